/**
 * A latency sink that keeps every chunk in memory, for tests and small tools. Imports nothing from
 * experiments.
 */
import { chunkRecords } from './latency-chunk.ts';
import type { LatencyChunk, LatencyRecord, LatencySink } from './latency-chunk.ts';

/**
 * Keeps the chunks it receives, in arrival order. Unbounded: use it only where the number of records is
 * small, never for a full experiment run.
 */
export class InMemoryLatencySink implements LatencySink {
  /** The chunks received, in arrival order; the sink owns them. */
  readonly chunks: LatencyChunk[] = [];

  /** Keeps `chunk`. */
  accept(chunk: LatencyChunk): void {
    this.chunks.push(chunk);
  }

  /** Total number of valid records over all chunks. */
  get records(): number {
    let n = 0;
    for (const c of this.chunks) n += c.size;
    return n;
  }

  /** Every valid record as a plain object, chunk after chunk. */
  allRecords(): LatencyRecord[] {
    return this.chunks.flatMap(chunkRecords);
  }

  /** The records of one operator subtask, in the order it recorded them. */
  recordsOf(operator: string, subtask: number): LatencyRecord[] {
    return this.chunks
      .filter((c) => c.operator === operator && c.subtask === subtask)
      .flatMap(chunkRecords);
  }

  /** Number of records per `<operator>-<subtask>` (the name of its latency file), in first-seen order. */
  countsBySubtask(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.chunks) {
      const name = `${c.operator}-${c.subtask}`;
      counts.set(name, (counts.get(name) ?? 0) + c.size);
    }
    return counts;
  }

  /** Forgets every chunk received so far. */
  clear(): void {
    this.chunks.length = 0;
  }
}

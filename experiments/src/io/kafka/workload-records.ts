/**
 * The records of a job's generated source, in the order of their scheduled times over all source subtasks
 * (ties: lower subtask first), each with its key, value, scheduled offset and source sequence number,
 * exactly as the embedded job would emit them. What `spacker generate` writes and the tests check against.
 */
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import type { JobGraph, Key, SourceVertex } from '../../../../engine/src/index.ts';

export interface WorkloadRecord {
  key: Key;
  value: unknown;
  /** Scheduled time, ms after the stream's start. */
  offsetMs: number;
  /** Sequence number as the embedded source assigns it: `index * sourceParallelism + subtask`. */
  seq: number;
}

/** The generated source vertex of a graph (the first source), or a clear error. */
export function generatedSource(graph: JobGraph): SourceVertex {
  const v = graph.all().find((x) => x.kind === 'source');
  if (v === undefined || v.kind !== 'source' || v.external === true) throw new InvalidConfigError('workload', 'graph', 'a job with a generated source');
  return v;
}

/** Iterates the source's records in scheduled order; `create` is called afresh, so two passes agree. */
export function* workloadRecords(source: SourceVertex): Generator<WorkloadRecord> {
  const p = source.parallelism;
  const schedules = Array.from({ length: p }, (_, s) => source.profile.forSubtask(s, p));
  const fns = Array.from({ length: p }, (_, s) => source.create(s, p));
  const counts = Array.from({ length: p }, (_, s) => Math.floor(source.count / p) + (s < source.count % p ? 1 : 0));
  const next = new Array<number>(p).fill(0);
  const captured: { key: Key; value: unknown }[] = [];
  const collector = { collect: (value: unknown, key?: Key): void => void captured.push({ key: key ?? '', value }) };
  for (;;) {
    let best = -1;
    let bestMs = Infinity;
    for (let s = 0; s < p; s++) {
      if (next[s] >= counts[s]) continue;
      const t = schedules[s].timeOf(next[s]);
      if (t < bestMs) {
        bestMs = t;
        best = s;
      }
    }
    if (best < 0) return;
    const i = next[best]++;
    captured.length = 0;
    fns[best].emit(i, bestMs, collector);
    for (const r of captured) yield { key: r.key, value: r.value, offsetMs: bestMs, seq: i * p + best };
  }
}

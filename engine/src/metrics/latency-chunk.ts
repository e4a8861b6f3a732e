/**
 * The unit in which per-record latency measurements leave an operator subtask: a chunk of parallel typed
 * arrays, and the sink that receives chunks. Imports nothing (in particular nothing from experiments).
 */

/** How many records a latency chunk holds unless told otherwise. */
export const DEFAULT_LATENCY_CHUNK_CAPACITY = 16384;
/** A partial chunk is handed over once its records span this many ms of completion time. */
export const DEFAULT_LATENCY_CHUNK_SPAN_MS = 1000;

/**
 * Latency measurements of consecutive records completed by one subtask of one operator, stored column-wise.
 * Only the first `size` entries of each array are meaningful; the arrays may be longer. A chunk handed to a
 * sink belongs to the sink from then on: it may transfer the arrays' buffers to another thread, which leaves
 * them detached (zero length) on the sender's side.
 */
export interface LatencyChunk {
  /** Name of the operator, verbatim (may contain spaces, e.g. `Splitter FlatMap`). */
  operator: string;
  /** Index of the subtask within the operator, `0 <= subtask < parallelism`. */
  subtask: number;
  /** Number of valid records in the arrays. */
  size: number;
  /** Completion time of each record at the operator, in ms since the run's start (fractional). */
  tsMs: Float64Array;
  /** Key group of each record. */
  keyGroup: Int32Array;
  /** Latency of each record: completion time minus scheduled emission time, in ms (fractional). */
  latencyMs: Float64Array;
  /** 1 when the record's key group belonged to a migration plan in progress at completion, else 0. */
  migrating: Uint8Array;
}

/**
 * Receives full (or flushed) latency chunks. `accept` is called on the engine's hot path, so it must return
 * quickly: hand the chunk to another thread or queue it, never do I/O synchronously.
 */
export interface LatencySink {
  /** Takes ownership of `chunk`; the caller never touches its arrays again. */
  accept(chunk: LatencyChunk): void;
}

/** One record of a chunk as a plain object: for tests and debugging, never for the hot path. */
export interface LatencyRecord {
  operator: string;
  subtask: number;
  tsMs: number;
  keyGroup: number;
  latencyMs: number;
  migrating: boolean;
}

/** The valid records of `chunk` as plain objects, in order. Allocates; meant for tests and tools. */
export function chunkRecords(chunk: LatencyChunk): LatencyRecord[] {
  const out: LatencyRecord[] = [];
  for (let i = 0; i < chunk.size; i++) {
    out.push({
      operator: chunk.operator,
      subtask: chunk.subtask,
      tsMs: chunk.tsMs[i],
      keyGroup: chunk.keyGroup[i],
      latencyMs: chunk.latencyMs[i],
      migrating: chunk.migrating[i] === 1,
    });
  }
  return out;
}

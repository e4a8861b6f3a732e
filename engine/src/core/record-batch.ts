/**
 * Records travel in bounded batches, column by column (key group, scheduled time, sequence number, key,
 * value). A batch never outlives one channel hop. Imports only key-group types.
 */
import type { Key, KeyGroupId } from './key-group.ts';

/** Records per batch a source emits or a router fills before handing it on. */
export const DEFAULT_BATCH_CAPACITY = 512;

/**
 * A bounded batch of records. Columns are plain arrays that grow as records are added (V8 keeps the numeric
 * ones unboxed), so a batch of one record costs little: sources at low rates emit such batches all the time.
 * A batch can be cleared and filled again (channels keep a few spare ones): its columns keep their memory, so
 * a busy edge allocates nothing per batch. Only indices `0 .. size-1` of a column are records.
 */
export class RecordBatch<V = unknown> {
  /** Number of valid records; columns are indexed `0 .. size-1` (a reused batch's columns may be longer). */
  size = 0;
  /** Key group of each record (set by the key-by edge). */
  readonly keyGroup: number[] = [];
  /** Scheduled emission time of each record, ms on the job's clock; latency is measured from it. */
  readonly scheduledMs: number[] = [];
  /** Sequence number of each record at its source subtask, interleaved across source subtasks. */
  readonly seq: number[] = [];
  readonly key: Key[] = [];
  readonly value: V[] = [];

  constructor(readonly capacity: number = DEFAULT_BATCH_CAPACITY) {}

  get full(): boolean {
    return this.size >= this.capacity;
  }

  /** Appends one record; the caller checks `full` first. */
  push(keyGroup: KeyGroupId, key: Key, value: V, scheduledMs: number, seq: number): void {
    const i = this.size;
    this.keyGroup[i] = keyGroup;
    this.key[i] = key;
    this.value[i] = value;
    this.scheduledMs[i] = scheduledMs;
    this.seq[i] = seq;
    this.size = i + 1;
  }

  /** Copies record `i` of `from` to the end of this batch. */
  pushFrom(from: RecordBatch<V>, i: number): void {
    this.push(from.keyGroup[i], from.key[i], from.value[i], from.scheduledMs[i], from.seq[i]);
  }

  /** Empties the batch for reuse; drops its references to keys and values, keeps its columns' memory. */
  clear(): void {
    for (let i = 0; i < this.size; i++) {
      this.key[i] = 0;
      this.value[i] = undefined as V;
    }
    this.size = 0;
  }
}

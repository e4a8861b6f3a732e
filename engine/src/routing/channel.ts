/**
 * A bounded, ordered channel from one upstream subtask to one downstream subtask. Records (in batches) and
 * control events share it, in order. It is bounded in records: a sender that finds it full must wait, and
 * that back-pressure reaches the sources. Control events are never refused.
 */
import { RecordBatch } from '../core/record-batch.ts';
import type { ControlEvent } from '../core/control-event.ts';

/** Spare batches a channel keeps for its sender (a batch in use by each end, and one more). */
const SPARE_BATCHES = 4;

export type ChannelItem<V> = RecordBatch<V> | ControlEvent;

export function isBatch<V>(item: ChannelItem<V>): item is RecordBatch<V> {
  return (item as RecordBatch<V>).capacity !== undefined;
}

/** One end-to-end link between two subtasks. */
export class Channel<V = unknown> {
  private items: ChannelItem<V>[] = [];
  private head = 0;
  /** Records queued and not yet taken by the receiver. */
  bufferedRecords = 0;
  /** Records ever pushed (for throughput and tests). */
  pushedRecords = 0;

  constructor(
    /** Records the channel holds before it refuses more. */
    readonly capacity: number,
    /** Which input of the receiving operator this channel feeds (0, or 1 for the second input of a join). */
    readonly input: number,
    /** Upstream subtask index, for alignment bookkeeping and logs. */
    readonly fromSubtask: number,
  ) {}

  /** Whether a sender may push another batch now. */
  hasRoom(): boolean {
    return this.bufferedRecords < this.capacity;
  }

  push(item: ChannelItem<V>): void {
    if (isBatch(item)) {
      if (item.size === 0) return;
      this.bufferedRecords += item.size;
      this.pushedRecords += item.size;
    }
    this.items.push(item);
  }

  peek(): ChannelItem<V> | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes the head item; `consumedRecords` of a batch may be released earlier through `release`. */
  shift(): void {
    this.items[this.head++] = undefined as unknown as ChannelItem<V>;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * A batch for the sender to fill: one the receiver gave back through `recycle`, or a new one. Reusing
   * batches keeps a busy edge from allocating columns for every batch (young-generation collections are
   * pauses that every task feels).
   */
  takeBatch(capacity: number): RecordBatch<V> {
    const b = this.spare.pop();
    return b !== undefined && b.capacity === capacity ? b : new RecordBatch<V>(capacity);
  }

  /** The receiver is done with `batch` (it took it off the head and has processed or copied every record). */
  recycle(batch: RecordBatch<V>): void {
    if (this.spare.length >= SPARE_BATCHES) return;
    batch.clear();
    this.spare.push(batch);
  }
  private readonly spare: RecordBatch<V>[] = [];

  /** Tells the channel that `n` records of its head batch were consumed (frees room for the sender). */
  release(n: number): void {
    this.bufferedRecords -= n;
  }

  get isEmpty(): boolean {
    return this.head >= this.items.length;
  }

  get length(): number {
    return this.items.length - this.head;
  }
}

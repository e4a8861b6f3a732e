/**
 * Order records held for replay, slot by slot, and the schedule that replays them in real time: every record
 * of slot k is due k x 50 ms after the source's start, as the reference's source emits a slot's records at
 * once and sleeps to the slot's end. Open-loop, like every source of the engine: latency is measured from
 * these scheduled times.
 */
import type { Schedule } from '../../../engine/src/index.ts';
import { SLOT_MS, type OrderRecord } from './order-record.ts';

/** The records of a replay, in file order, cut into slots. */
export interface OrderTape {
  readonly records: readonly OrderRecord[];
  /**
   * `slotStarts[k]` = index of the first record of slot k; one more entry than slots, the last = record
   * count. Empty slots repeat the next start.
   */
  readonly slotStarts: Float64Array;
}

/** Number of slots on a tape. */
export function slotCount(tape: OrderTape): number {
  return tape.slotStarts.length - 1;
}

/** Collects records slot by slot into a tape. */
export class TapeBuilder {
  private readonly records: OrderRecord[] = [];
  private readonly starts: number[] = [0];

  /** Slots closed so far. */
  get slots(): number {
    return this.starts.length - 1;
  }

  add(record: OrderRecord): void {
    this.records.push(record);
  }

  /** Closes the current slot (an `end` line). */
  endSlot(): void {
    this.starts.push(this.records.length);
  }

  /** The tape; records after the last `end` form a last slot. */
  build(): OrderTape {
    const starts = [...this.starts];
    if (starts[starts.length - 1] !== this.records.length) starts.push(this.records.length);
    return { records: this.records, slotStarts: Float64Array.from(starts) };
  }
}

/** Every record of slot k at k x slotMs; a subtask's share is every parallelism-th record. */
export class SlotSchedule implements Schedule {
  constructor(
    /** As `OrderTape.slotStarts`. */
    readonly slotStarts: Float64Array,
    readonly slotMs: number = SLOT_MS,
    private readonly subtask = 0,
    private readonly parallelism = 1,
  ) {}

  forSubtask(subtask: number, parallelism: number): SlotSchedule {
    return new SlotSchedule(this.slotStarts, this.slotMs, subtask, parallelism);
  }

  timeOf(i: number): number {
    return slotOf(this.slotStarts, i * this.parallelism + this.subtask) * this.slotMs;
  }

  dueBy(ms: number): number {
    if (ms < 0) return 0;
    const slots = this.slotStarts.length - 1;
    const k = Math.min(slots, Math.floor(ms / this.slotMs) + 1);
    const global = this.slotStarts[k];
    return Math.max(0, Math.ceil((global - this.subtask) / this.parallelism));
  }
}

/** The slot of record `g`: the last k with `starts[k] <= g` (binary search; empty slots are passed over). */
export function slotOf(starts: Float64Array, g: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= g) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

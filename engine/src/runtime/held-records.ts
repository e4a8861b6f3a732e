/**
 * Records a keyed subtask holds back for a migration, per slot: a slot is whatever unit the migration
 * mechanism moves (a key group for Spacker, a bin for Megaphone and Meces, one key for DRRS). Records of a
 * slot are kept in arrival order with the input each came on; a released slot is drained, in release order,
 * before anything newer of it is processed. Imports core/ only.
 */
import type { Key } from '../core/key-group.ts';
import { RecordBatch } from '../core/record-batch.ts';
import { ProtocolError } from '../errors.ts';

/** The records of one slot, with the input each arrived on and how far draining got. */
export interface Slot<V> {
  readonly id: number;
  readonly batch: RecordBatch<V>;
  readonly input: number[];
  /** Index of the next record to process once released. */
  pos: number;
  released: boolean;
}

export class HeldRecords<V> {
  private readonly slots = new Map<number, Slot<V>>();
  /** Released slots, in release order: the head drains first. */
  private readonly draining: Slot<V>[] = [];
  /**
   * Emptied slots, for the next holds: an all-at-once migration holds hundreds of key groups in the one step
   * that starts its chunk (allocating them there took ~0.25 ms of it).
   */
  private readonly spare: Slot<V>[] = [];

  constructor(private readonly label: string) {}

  /** Slots holding records or released and not drained yet. */
  get count(): number {
    return this.slots.size;
  }

  get drainPending(): boolean {
    return this.draining.length > 0;
  }

  has(slot: number): boolean {
    return this.slots.has(slot);
  }

  /** Records held in `slot` and not processed yet. */
  size(slot: number): number {
    const s = this.slots.get(slot);
    return s === undefined ? 0 : s.batch.size - s.pos;
  }

  /** Every record held, over all slots. */
  total(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.batch.size - s.pos;
    return n;
  }

  /** Adds one record to `slot` (opening it), after those already there. */
  push(slot: number, keyGroup: number, key: Key, value: V, scheduledMs: number, seq: number, input: number): void {
    const s = this.open(slot);
    s.batch.push(keyGroup, key, value, scheduledMs, seq);
    s.input.push(input);
  }

  /** Opens `slot` without a record (so that its release is waited for by its drain callback). */
  open(slot: number): Slot<V> {
    let s = this.slots.get(slot);
    if (s === undefined) {
      if (!Number.isInteger(slot) || slot < 0) throw new ProtocolError(`${this.label}: hold slot ${slot} is not a whole number >= 0`);
      const spare = this.spare.pop();
      s = spare ?? { id: slot, batch: new RecordBatch<V>(Infinity), input: [], pos: 0, released: false };
      if (spare !== undefined) (s as { id: number }).id = slot;
      this.slots.set(slot, s);
    }
    return s;
  }

  /** Its records may be processed now (in arrival order), before any newer one of the slot. */
  release(slot: number): void {
    const s = this.open(slot);
    if (s.released) throw new ProtocolError(`${this.label}: hold slot ${slot} released twice`);
    s.released = true;
    this.draining.push(s);
  }

  /** The slot that drains next, or undefined. */
  head(): Slot<V> | undefined {
    return this.draining[0];
  }

  /** The head slot has no record left: it closes. */
  closeHead(): Slot<V> {
    const s = this.draining.shift();
    if (s === undefined) throw new ProtocolError(`${this.label}: no hold slot is draining`);
    this.slots.delete(s.id);
    s.batch.clear();
    s.input.length = 0;
    s.pos = 0;
    s.released = false;
    this.spare.push(s);
    return s;
  }
}

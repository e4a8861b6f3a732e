/**
 * Event-time timers of one keyed subtask, kept as keyed state: the table `__timers` of each key group maps a
 * timestamp to the keys that have a timer then. Timers are therefore snapshotted, shipped, replicated and
 * restored with their key group through the ordinary codec, and a write marks the key group dirty like any
 * other. Imports core/ and state/ only.
 */
import type { Key, KeyGroupId } from '../core/key-group.ts';
import { TIMER_STATE, type KeyedStateBackend, type ListState } from './keyed-state-backend.ts';

export { TIMER_STATE };

/** Registers, deletes and fires event-time timers; one per keyed subtask. */
export class TimerService {
  /** The `__timers` entry of the backend's current key, which the service sets to a timestamp. */
  private readonly slot: ListState<Key>;

  constructor(private readonly backend: KeyedStateBackend) {
    this.slot = backend.listState<Key>(TIMER_STATE);
  }

  /**
   * A timer for `key` (in key group `kg`) at `timestampMs`; registering the same one twice keeps one. The
   * backend's current key is `key` again afterwards.
   */
  register(key: Key, kg: KeyGroupId, timestampMs: number): void {
    if (!Number.isFinite(timestampMs)) throw new RangeError(`timer time must be finite, got ${timestampMs}`);
    this.backend.setCurrentKey(timestampMs, kg);
    // Appending (no copy) keeps registration cheap when many keys of a key group share a time (window ends).
    if (!this.slot.get().includes(key)) this.slot.add(key);
    this.backend.setCurrentKey(key, kg);
  }

  /** Removes `key`'s timer at `timestampMs`, if any. The backend's current key is `key` afterwards. */
  delete(key: Key, kg: KeyGroupId, timestampMs: number): void {
    this.backend.setCurrentKey(timestampMs, kg);
    const keys = this.slot.get();
    if (keys.includes(key)) this.slot.update(keys.filter((k) => k !== key));
    this.backend.setCurrentKey(key, kg);
  }

  /** Timers of key group `kg` (timestamp -> keys), for tests and checks. */
  timersOf(kg: KeyGroupId): ReadonlyMap<number, readonly Key[]> {
    return (this.backend.stateTable(kg, TIMER_STATE) ?? new Map()) as ReadonlyMap<number, readonly Key[]>;
  }

  /**
   * Fires, in time order per key group, every timer at or before `watermarkMs` of the owned key groups that
   * are `eligible`, from key group `from` on; a fired timer is removed before `fire` runs (which may register
   * new ones; those that are due fire too). Stops once `outOfTime()` says so (asked every few timers) and
   * then returns where to go on: the key groups before it have nothing due any more. Returns the
   * key group to go on from (`maxParallelism`: the pass is complete) and the earliest timer left in a key
   * group that was not eligible (`Infinity`: none); `skipped`, if given, receives the key groups with due
   * timers that were not eligible.
   */
  advance(
    watermarkMs: number,
    eligible: (kg: KeyGroupId) => boolean,
    fire: (key: Key, kg: KeyGroupId, timestampMs: number) => void,
    options: { from?: KeyGroupId; outOfTime?: () => boolean; skipped?: KeyGroupId[] } = {},
  ): { next: KeyGroupId; frozenMin: number } {
    let frozenMin = Infinity;
    const b = this.backend;
    for (let kg = options.from ?? 0; kg < b.maxParallelism; kg++) {
      const table = b.stateTable(kg, TIMER_STATE);
      if (table === undefined || table.size === 0) continue;
      if (!eligible(kg)) {
        let min = Infinity;
        for (const ts of table.keys()) if ((ts as number) < min) min = ts as number;
        if (min < frozenMin) frozenMin = min;
        if (min <= watermarkMs) options.skipped?.push(kg);
        continue;
      }
      for (;;) {
        const due: number[] = [];
        for (const ts of table.keys()) if ((ts as number) <= watermarkMs) due.push(ts as number);
        if (due.length === 0) break;
        due.sort((x, y) => x - y);
        for (const ts of due) {
          b.setCurrentKey(ts, kg);
          const keys = this.slot.get();
          if (keys.length === 0) continue;
          this.slot.clear();
          for (let i = 0; i < keys.length; i++) {
            fire(keys[i], kg, ts);
            if ((i & 15) === 15 && i + 1 < keys.length && options.outOfTime?.() === true) {
              // Out of time within a key group: the keys not fired yet get their timer back; go on here.
              b.setCurrentKey(ts, kg);
              this.slot.update([...keys.slice(i + 1), ...this.slot.get()]);
              return { next: kg, frozenMin };
            }
          }
        }
        if (options.outOfTime?.() === true) return { next: kg, frozenMin };
      }
    }
    return { next: b.maxParallelism, frozenMin };
  }
}

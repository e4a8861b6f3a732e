/**
 * Time for the engine: milliseconds as floats on a monotonic clock. The wall clock reads `performance.now()`;
 * the manual clock lets tests drive time by hand. Imports nothing.
 */

/** A monotonic clock in milliseconds (fractional). */
export interface Clock {
  /** Reads the clock. */
  now(): number;
  /**
   * The last reading of `now()`, by any caller: free, and at most as old as that reading. For checks a time a
   * few microseconds old serves (is a record due yet? where does a step's budget start?): on the wall clock
   * every reading is a newly allocated number, and readings by the million per second would make the young
   * generation collect about once a second, a pause every task feels.
   */
  recent(): number;
}

/** `performance.now()`: monotonic, sub-millisecond. */
class WallClock implements Clock {
  // A typed array: storing a double in it allocates nothing.
  private readonly last = new Float64Array(1);
  now(): number {
    const t = performance.now();
    this.last[0] = t;
    return t;
  }
  recent(): number {
    return this.last[0];
  }
}

export const wallClock: Clock = new WallClock();

/** A clock that moves only when told to; for deterministic tests. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  recent(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be >= 0, got ${ms}`);
    this.t += ms;
  }
  set(ms: number): void {
    if (ms < this.t) throw new RangeError(`ManualClock.set: time cannot go back (${ms} < ${this.t})`);
    this.t = ms;
  }
}

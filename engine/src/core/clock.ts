/**
 * Time for the engine: milliseconds as floats on a monotonic clock. The wall clock reads `performance.now()`;
 * the manual clock lets tests drive time by hand. Imports nothing.
 */

/** A monotonic clock in milliseconds (fractional). */
export interface Clock {
  now(): number;
}

/** `performance.now()`: monotonic, sub-millisecond. */
export const wallClock: Clock = { now: () => performance.now() };

/** A clock that moves only when told to; for deterministic tests. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
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

/**
 * When each record of an open-loop source is due: a piecewise-constant rate over time. Record `i` is
 * scheduled at `timeOf(i)`, a pure function, so the schedule never depends on how the job is doing.
 * Imports only the `Schedule` type.
 */
import type { Schedule } from './schedule.ts';

/** One phase of constant rate; the last phase lasts until the source's end. */
export interface RatePhase {
  /** Records per second during the phase. */
  readonly ratePerSec: number;
  /** Length of the phase in ms (ignored for the last phase). */
  readonly durationMs?: number;
}

export class RateProfile implements Schedule {
  /** Per phase: start time (ms), first record index, rate. Phase k holds records `index_k .. index_{k+1}-1`. */
  private readonly starts: { ms: number; index: number; ratePerSec: number }[] = [];

  constructor(readonly phases: readonly RatePhase[]) {
    if (phases.length === 0) throw new RangeError('RateProfile needs at least one phase');
    let ms = 0;
    let index = 0;
    for (const [i, p] of phases.entries()) {
      if (!(p.ratePerSec > 0) || !Number.isFinite(p.ratePerSec)) throw new RangeError(`phase ${i}: ratePerSec must be > 0, got ${p.ratePerSec}`);
      const phase = { ms, index, ratePerSec: p.ratePerSec };
      this.starts.push(phase);
      if (i < phases.length - 1) {
        const d = p.durationMs ?? NaN;
        if (!(d > 0)) throw new RangeError(`phase ${i}: durationMs must be > 0, got ${d}`);
        const endMs = ms + d;
        // The phase holds exactly the records that `timeOf` places before the next phase's start.
        let n = Math.max(0, Math.ceil((d * p.ratePerSec) / 1000));
        while (n > 0 && offsetOf(phase, index + n - 1) >= endMs) n--;
        while (offsetOf(phase, index + n) < endMs) n++;
        index += n;
        ms = endMs;
      }
    }
  }

  static constant(ratePerSec: number): RateProfile {
    return new RateProfile([{ ratePerSec }]);
  }

  /** Every rate divided by `n` (the share of one of `n` source subtasks). */
  scaled(n: number): RateProfile {
    return new RateProfile(this.phases.map((p) => ({ ...p, ratePerSec: p.ratePerSec / n })));
  }

  /** A subtask's share of a rate is the same rate divided by the parallelism, whichever subtask it is. */
  forSubtask(_subtask: number, parallelism: number): RateProfile {
    return this.scaled(parallelism);
  }

  /** Scheduled time of record `i`, ms after the source's start: phase start + (i - its first index) / rate. */
  timeOf(i: number): number {
    let p = this.starts[0];
    for (const s of this.starts) if (s.index <= i) p = s;
    return offsetOf(p, i);
  }

  /** Number of records scheduled at or before `ms` (after the start): exactly the `i` with `timeOf(i) <= ms`. */
  dueBy(ms: number): number {
    return this.countUpTo(ms, false);
  }

  /** Records scheduled strictly before `ms` (the `i` with `timeOf(i) < ms`): the count of a source that runs for `ms`. */
  countBefore(ms: number): number {
    return this.countUpTo(ms, true);
  }

  /**
   * Counts the records with `timeOf(i) <= ms` (`< ms` when `strict`): an estimate from the rate, corrected
   * against `timeOf` itself so that the count never disagrees with the schedule by a rounding error.
   */
  private countUpTo(ms: number, strict: boolean): number {
    // No closure here: this runs at every source step.
    if (!within(0, ms, strict)) return 0;
    let k = 0;
    for (let j = 1; j < this.starts.length; j++) if (within(this.starts[j].ms, ms, strict)) k = j;
    const p = this.starts[k];
    const limit = k + 1 < this.starts.length ? this.starts[k + 1].index : Infinity;
    // Phase k's first record (at its start) is within; count the records of phase k that are.
    let n = Math.min(limit, Math.max(p.index + 1, p.index + Math.floor(((ms - p.ms) * p.ratePerSec) / 1000) + 1));
    while (n < limit && within(offsetOf(p, n), ms, strict)) n++;
    while (n > p.index + 1 && !within(offsetOf(p, n - 1), ms, strict)) n--;
    return n;
  }

  /** Rate in force at time `ms`. */
  rateAt(ms: number): number {
    let r = this.phases[0].ratePerSec;
    for (const [i, s] of this.starts.entries()) if (s.ms <= ms) r = this.phases[i].ratePerSec;
    return r;
  }
}

/** Whether time `t` is at or before `ms` (strictly before when `strict`). */
function within(t: number, ms: number, strict: boolean): boolean {
  return strict ? t < ms : t <= ms;
}

/** Time of record `i` as scheduled by phase `p`: one division, so a constant profile gives `i * 1000 / rate` exactly. */
function offsetOf(p: { ms: number; index: number; ratePerSec: number }, i: number): number {
  return p.ms + ((i - p.index) * 1000) / p.ratePerSec;
}

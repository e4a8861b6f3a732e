/**
 * When each record of an open-loop source is due: a piecewise-constant rate over time. Record `i` is
 * scheduled at `timeOf(i)`, a pure function, so the schedule never depends on how the job is doing.
 * Imports nothing.
 */

/** One phase of constant rate; the last phase lasts until the source's end. */
export interface RatePhase {
  /** Records per second during the phase. */
  readonly ratePerSec: number;
  /** Length of the phase in ms (ignored for the last phase). */
  readonly durationMs?: number;
}

export class RateProfile {
  /** Per phase: start time (ms), first record index, interval between records (ms). */
  private readonly starts: { ms: number; index: number; intervalMs: number }[] = [];

  constructor(readonly phases: readonly RatePhase[]) {
    if (phases.length === 0) throw new RangeError('RateProfile needs at least one phase');
    let ms = 0;
    let index = 0;
    for (const [i, p] of phases.entries()) {
      if (!(p.ratePerSec > 0) || !Number.isFinite(p.ratePerSec)) throw new RangeError(`phase ${i}: ratePerSec must be > 0, got ${p.ratePerSec}`);
      const intervalMs = 1000 / p.ratePerSec;
      this.starts.push({ ms, index, intervalMs });
      if (i < phases.length - 1) {
        const d = p.durationMs ?? NaN;
        if (!(d > 0)) throw new RangeError(`phase ${i}: durationMs must be > 0, got ${d}`);
        index += Math.ceil(d / intervalMs - 1e-9);
        ms += d;
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

  private phaseOfIndex(i: number): { ms: number; index: number; intervalMs: number } {
    let p = this.starts[0];
    for (const s of this.starts) if (s.index <= i) p = s;
    return p;
  }

  /** Scheduled time of record `i`, ms after the source's start. */
  timeOf(i: number): number {
    const p = this.phaseOfIndex(i);
    return p.ms + (i - p.index) * p.intervalMs;
  }

  /** Number of records scheduled at or before `ms` (after the start). */
  dueBy(ms: number): number {
    if (ms < 0) return 0;
    let p = this.starts[0];
    for (const s of this.starts) if (s.ms <= ms) p = s;
    const next = this.starts[this.starts.indexOf(p) + 1];
    const n = p.index + Math.floor((ms - p.ms) / p.intervalMs + 1e-9) + 1;
    return next !== undefined ? Math.min(n, next.index) : n;
  }

  /** Records scheduled strictly before `ms`: the count of a source that runs for `ms`. */
  countBefore(ms: number): number {
    return ms <= 0 ? 0 : this.dueBy(ms - 1e-6);
  }

  /** Rate in force at time `ms`. */
  rateAt(ms: number): number {
    let r = this.phases[0].ratePerSec;
    for (const [i, s] of this.starts.entries()) if (s.ms <= ms) r = this.phases[i].ratePerSec;
    return r;
  }
}

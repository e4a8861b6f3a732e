/**
 * Pacing of background work. The migration layer's work can wait; records cannot. The scheduler offers the
 * layer the gaps before the next record is due (runtime/scheduler.ts), and a gap is only worth using for a
 * piece of work (handing one key group over, installing one, snapshotting one replica) that ends before the
 * gap does. Gaps are times on the job's clock; a piece is charged what it took (measured on the wall clock,
 * where work takes time), so on a manual clock a gap holds as many pieces as it would on the wall. A piece's
 * length is learnt from the pieces done: a moving average of their durations, each counted at most
 * MAX_SAMPLE_MS (a piece stretched by the thread being descheduled says nothing about the next).
 */
import type { Clock } from '../core/clock.ts';

/** A first guess of a piece's length, ms, before one was measured. */
const INITIAL_PIECE_MS = 0.02;
/** The longest duration one piece counts with, ms. */
const MAX_SAMPLE_MS = 0.2;
/** Weight of the newest piece in the average. */
const WEIGHT = 0.2;

/**
 * Longest slice of work in a step the scheduler forces (the background had no gap for a while), ms: the copy
 * thread does the copying, the main thread only hands pieces over, a few at a time.
 */
export const FORCED_SLICE_MS = 0.05;

export class PieceClock {
  private estimate = INITIAL_PIECE_MS;

  constructor(
    /** The job's clock: gaps end at its times. */
    private readonly clock: Clock,
    /** How long work takes, ms (tests give a fake one). */
    private readonly measure: () => number = () => performance.now(),
  ) {}

  /** Expected length of the next piece, ms. */
  get pieceMs(): number {
    return this.estimate;
  }

  /** Whether a piece started at `nowMs` is expected to end by `untilMs` (job-clock times). */
  fits(nowMs: number, untilMs: number): boolean {
    return nowMs + this.estimate <= untilMs;
  }

  /** A piece took `ms`. */
  took(ms: number): void {
    this.estimate += WEIGHT * (Math.min(Math.max(ms, 0), MAX_SAMPLE_MS) - this.estimate);
  }

  /**
   * Runs `piece` until it has nothing to do (returns false) or the time is up: with `untilMs` (the end of a
   * gap, on the job's clock) only pieces expected to end by then; without (a forced step) for
   * FORCED_SLICE_MS, at least one piece. Returns how many pieces did work.
   */
  run(untilMs: number | undefined, piece: () => boolean): number {
    // A fresh reading: an earlier background task of the same gap may have used some of it.
    const start = this.clock.now();
    const forced = untilMs === undefined;
    let spent = 0;
    let pieces = 0;
    let last = this.measure();
    while (forced ? pieces === 0 || spent < FORCED_SLICE_MS : this.fits(start + spent, untilMs)) {
      if (!piece()) break;
      const end = this.measure();
      this.took(end - last);
      spent += end - last;
      last = end;
      pieces++;
    }
    return pieces;
  }

  /** Runs one piece when it is expected to fit (always without `untilMs`); returns whether it ran and did work. */
  runOne(untilMs: number | undefined, piece: () => boolean): boolean {
    if (untilMs !== undefined && !this.fits(this.clock.now(), untilMs)) return false;
    const t0 = this.measure();
    const worked = piece();
    this.took(this.measure() - t0);
    return worked;
  }
}

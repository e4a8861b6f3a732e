/**
 * Pacing of background work. The migration layer's work can wait; records cannot. The scheduler offers the
 * layer the gaps before the next record is due (runtime/scheduler.ts), and a gap is only worth using for a
 * piece of work (handing one key group over, installing one, snapshotting one replica) that ends before the
 * gap does. A piece's length is learnt from the pieces done: a moving average of their durations, each
 * counted at most MAX_SAMPLE_MS (a piece stretched by the thread being descheduled says nothing about the next).
 */

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

  /** Expected length of the next piece, ms. */
  get pieceMs(): number {
    return this.estimate;
  }

  /** Whether a piece started at `nowMs` is expected to end by `untilMs` (both performance.now() times). */
  fits(nowMs: number, untilMs: number): boolean {
    return nowMs + this.estimate <= untilMs;
  }

  /** A piece took `ms`. */
  took(ms: number): void {
    this.estimate += WEIGHT * (Math.min(Math.max(ms, 0), MAX_SAMPLE_MS) - this.estimate);
  }

  /**
   * Runs `piece` until it has nothing to do (returns false) or the time is up: with `untilMs` (performance.now()
   * time, the end of a gap) only pieces expected to end by then; without (a forced step) for FORCED_SLICE_MS,
   * at least one piece. Returns how many pieces did work.
   */
  run(untilMs: number | undefined, piece: () => boolean): number {
    let now = performance.now();
    const forced = untilMs === undefined;
    const deadline = untilMs ?? now + FORCED_SLICE_MS;
    let pieces = 0;
    while (forced ? pieces === 0 || now < deadline : this.fits(now, deadline)) {
      if (!piece()) break;
      const end = performance.now();
      this.took(end - now);
      now = end;
      pieces++;
    }
    return pieces;
  }
}

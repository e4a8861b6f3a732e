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
}

/**
 * The copy engine's shared-memory protocol, used by both sides (copy-engine.ts, copy-thread.ts). Slabs are
 * introduced once by message ({@link CopyMail}); a job is a run of tuples `(srcSlab, srcOffset, dstSlab,
 * dstOffset, length)` in a Float64 ring, closed by a marker tuple `(ticket, _, _, _, -1)`. Imports nothing.
 */

/** Numbers per ring tuple. */
export const TUPLE = 5;
/**
 * ctrl (Int32, {@link CTRL_BYTES}): [TAIL] tuples written, [HEAD] tuples consumed, both wrapping int32; [DONE] last
 * ticket done; [PAUSE] always 0, never notified: the short sleeps while copying wait on it; [PAUSES] those sleeps.
 */
export const TAIL = 0;
export const HEAD = 1;
export const DONE = 2;
export const PAUSE = 3;
export const PAUSES = 4;
export const CTRL_BYTES = 20;
/** Bytes the copy thread copies between two short sleeps (0.2-0.8 ms of copying here). */
export const YIELD_BYTES = 512 * 1024;
/** Time the copy thread looks for work between two short sleeps, ms. */
export const SPIN_YIELD_MS = 0.25;

/** What the copy thread is started with. */
export interface CopyThreadData {
  ctrl: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  /** Ring tuples - 1 (the ring holds a power of two). */
  mask: number;
}

/** Messages to the copy thread: introduce a slab, or forget slabs. */
export type CopyMail = { id: number; slab: SharedArrayBuffer } | { drop: number[] };

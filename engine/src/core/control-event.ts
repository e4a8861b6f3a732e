/**
 * Control events travel in the same channels as records, in order. Grammar of one channel:
 *   (RecordBatch | Barrier | Watermark)* EndOfStream
 * A barrier is broadcast by each task on every output channel once it has it on all inputs (aligned).
 * Imports nothing.
 */

/** A periodic checkpoint barrier; `id` increases by one per checkpoint of a job. */
export interface CheckpointBarrier {
  readonly kind: 'checkpoint';
  readonly id: number;
}

/**
 * A reconfiguration barrier for one chunk of a migration plan. Upstream tasks switch routing right after
 * forwarding it; targets act on it once it arrived on all their inputs.
 */
export interface ReconfigBarrier {
  readonly kind: 'reconfig';
  /** Monotonic id of the chunk's reconfiguration, from 1. */
  readonly id: number;
}

/**
 * Event time has reached `timestampMs` on this channel: every record that follows carries a time at or after
 * it. Times are ms after the job's start (a source's watermark is the scheduled time of its next record).
 * Timestamps on one channel never decrease. Only sources that ask for event time send them.
 */
export interface Watermark {
  readonly kind: 'watermark';
  readonly timestampMs: number;
}

/** The last event on a channel: its upstream subtask will send nothing more. */
export interface EndOfStream {
  readonly kind: 'end';
}

export type Barrier = CheckpointBarrier | ReconfigBarrier;
export type ControlEvent = Barrier | Watermark | EndOfStream;

export const END_OF_STREAM: EndOfStream = Object.freeze({ kind: 'end' });

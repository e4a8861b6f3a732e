/**
 * The checkpoint coordinator, as Flink's: triggers a checkpoint every interval (not while paused, nor while
 * one is in flight), tracks the subtasks that have not acknowledged it, and completes it once all have.
 * Knows subtasks and sources only by the small interfaces below; imports core/ and errors.ts.
 */
import type { Clock } from '../core/clock.ts';
import type { CheckpointBarrier } from '../core/control-event.ts';
import { ProtocolError } from '../errors.ts';

/** A subtask that takes part in checkpoints (a keyed subtask), by label `<operator>-<subtask>`. */
export interface CheckpointSubtask {
  readonly label: string;
  /** True once the subtask ended: it is not waited for (it has nothing left to checkpoint). */
  readonly done: boolean;
}

/** A source: checkpoints start by injecting their barrier into every source that has not ended. */
export interface CheckpointSource {
  readonly done: boolean;
  injectBarrier(barrier: CheckpointBarrier): void;
}

/** Called once per completed checkpoint: its id, its start (ms since the job's start) and its duration, ms. */
export type CheckpointCompletion = (id: number, startMs: number, durationMs: number) => void;

export interface CheckpointCoordinatorOptions {
  readonly clock: Clock;
  /** Periodic checkpoints every this many ms; 0 = off (`trigger` still starts one by hand). */
  readonly intervalMs: number;
  /** Clock time of the job's start: the first periodic checkpoint is due `intervalMs` after it. */
  readonly jobStartMs: number;
  /** Every subtask that acknowledges checkpoints (fixed for the job's life). */
  readonly subtasks: readonly CheckpointSubtask[];
  readonly sources: readonly CheckpointSource[];
  readonly onComplete: CheckpointCompletion;
}

/** The checkpoint in flight. Invariant: `pending` ⊆ `expected`; the checkpoint completes when `pending` is empty. */
interface InFlight {
  readonly barrier: CheckpointBarrier;
  /** Clock time of the trigger. */
  readonly startedMs: number;
  /** Labels of the subtasks that had not ended at the trigger. */
  readonly expected: ReadonlySet<string>;
  /** Labels of the expected subtasks that have not acknowledged yet (nor ended before aligning). */
  readonly pending: Set<string>;
  /** Labels of the subtasks whose barrier arrived on every input (their acknowledgement may be deferred). */
  readonly aligned: Set<string>;
}

/** Triggers, tracks and completes checkpoints; one at a time. */
export class CheckpointCoordinator {
  private readonly options: CheckpointCoordinatorOptions;
  /** Clock time the next periodic checkpoint is due; Infinity when periodic checkpoints are off. */
  private nextTriggerMs: number;
  private lastId = 0;
  private pausedFlag = false;
  private inflight: InFlight | undefined;

  constructor(options: CheckpointCoordinatorOptions) {
    this.options = options;
    this.nextTriggerMs = options.intervalMs > 0 ? options.jobStartMs + options.intervalMs : Infinity;
  }

  /** Clock time the next periodic checkpoint is due (it may wait longer: paused, or one still in flight). */
  get nextDueMs(): number {
    return this.nextTriggerMs;
  }

  /** True while periodic checkpoints are paused (a migration runs). */
  get paused(): boolean {
    return this.pausedFlag;
  }

  inFlight(): boolean {
    return this.inflight !== undefined;
  }

  /**
   * Pauses or resumes periodic checkpoints; a checkpoint in flight still completes. On resume the next one
   * is due a whole interval later at the earliest, so a migration is not followed by a checkpoint at once.
   */
  setPaused(paused: boolean): void {
    this.pausedFlag = paused;
    if (!paused) this.nextTriggerMs = Math.max(this.nextTriggerMs, this.options.clock.now() + this.options.intervalMs);
  }

  /**
   * Called every scheduler round: with a checkpoint in flight, stops waiting for subtasks that ended before
   * their barrier arrived and completes it if none is left; otherwise triggers one when it is due.
   */
  poll(): void {
    const f = this.inflight;
    if (f !== undefined) {
      for (const t of this.options.subtasks) if (t.done && !f.aligned.has(t.label)) f.pending.delete(t.label);
      if (f.pending.size === 0) this.complete(f);
      return;
    }
    const now = this.options.clock.now();
    if (now < this.nextTriggerMs || this.pausedFlag) return;
    this.nextTriggerMs = now + this.options.intervalMs;
    this.trigger();
  }

  /** Starts the next checkpoint now, unless every subtask or every source has ended (then it does nothing). */
  trigger(): void {
    if (this.inflight !== undefined) throw new ProtocolError(`checkpoint ${this.inflight.barrier.id} is still in flight`);
    const pending = new Set<string>();
    for (const t of this.options.subtasks) if (!t.done) pending.add(t.label);
    if (pending.size === 0 || this.options.sources.every((s) => s.done)) return;
    const barrier: CheckpointBarrier = { kind: 'checkpoint', id: ++this.lastId };
    this.inflight = { barrier, startedMs: this.options.clock.now(), expected: new Set(pending), pending, aligned: new Set() };
    for (const s of this.options.sources) if (!s.done) s.injectBarrier(barrier);
  }

  /** Subtask `label` aligned on checkpoint `checkpointId` (its acknowledgement follows, at once or deferred). */
  aligned(label: string, checkpointId: number): void {
    const f = this.inflight;
    if (f === undefined || f.barrier.id !== checkpointId) throw new ProtocolError(`${label}: checkpoint ${checkpointId} is not in flight`);
    f.aligned.add(label);
  }

  /** Subtask `label` has stored its part of checkpoint `checkpointId`; the last acknowledgement completes it. */
  acknowledge(label: string, checkpointId: number): void {
    const f = this.inflight;
    if (f === undefined || f.barrier.id !== checkpointId) throw new ProtocolError(`${label}: acknowledges checkpoint ${checkpointId}, which is not in flight`);
    if (!f.expected.has(label)) throw new ProtocolError(`${label}: acknowledges checkpoint ${checkpointId}, which does not wait for it (waits for: ${[...f.expected].join(', ')})`);
    if (!f.pending.delete(label)) throw new ProtocolError(`${label}: acknowledges checkpoint ${checkpointId} twice`);
    if (f.pending.size === 0) this.complete(f);
  }

  private complete(f: InFlight): void {
    this.inflight = undefined;
    const durationMs = this.options.clock.now() - f.startedMs;
    this.options.onComplete(f.barrier.id, f.startedMs - this.options.jobStartMs, durationMs);
  }
}

/**
 * One open-loop source subtask: record `i` is scheduled at `startMs + profile.timeOf(i)` whatever happens downstream,
 * and is emitted as soon as it is due and the output has room. A source that falls behind (back-pressure,
 * a stalled loop) emits late, and the lateness shows up as latency: no coordinated omission. With event time on,
 * it sends a watermark (the scheduled time of its next record, ms after the start) at least every interval.
 */
import type { Clock } from '../core/clock.ts';
import type { Schedule } from '../core/schedule.ts';
import { END_OF_STREAM, type Barrier } from '../core/control-event.ts';
import type { Router } from '../routing/router.ts';
import type { SourceFunction, Task } from './task.ts';

/** Records a source step emits at most, so that a step stays short. */
const MAX_RECORDS_PER_STEP = 2048;

export class SourceTask<V> implements Task {
  readonly label: string;
  /** Records emitted so far (local indices `0 .. emitted-1`). */
  emitted = 0;
  done = false;
  private readonly pendingBarriers: Barrier[] = [];
  /** Number of steps in which the output had no room although records were due. */
  backPressuredSteps = 0;

  constructor(
    readonly name: string,
    readonly subtask: number,
    readonly parallelism: number,
    private readonly fn: SourceFunction<V>,
    private readonly out: Router<V>,
    private readonly clock: Clock,
    /** Clock time of record 0. */
    public startMs: number,
    /** When this subtask's records are due. */
    readonly profile: Schedule,
    /** Records this subtask emits in total. */
    readonly count: number,
    /** Watermarks at least this often (scheduled time, ms); 0 = no event time. */
    readonly watermarkIntervalMs: number = 0,
  ) {
    this.label = `${name}-${subtask}`;
  }

  /** Scheduled time of local record `i`. */
  scheduledMsOf(i: number): number {
    return this.startMs + this.profile.timeOf(i);
  }

  /** While paused the source emits nothing; its records keep their schedule and are emitted late. */
  paused = false;

  nextDueMs(): number {
    if (this.done) return Infinity;
    if (this.pendingBarriers.length > 0) return -Infinity;
    return this.paused ? Infinity : this.scheduledMsOf(this.emitted);
  }

  /** Queues a barrier; it is broadcast between records at the next step. */
  injectBarrier(barrier: Barrier): void {
    this.pendingBarriers.push(barrier);
  }

  /** Stops the source early: it sends end-of-stream at its next step (records not yet due are dropped). */
  stop(): void {
    this.stopRequested = true;
  }
  private stopRequested = false;

  step(): boolean {
    if (this.done) return false;
    let worked = false;
    while (this.pendingBarriers.length > 0) {
      this.out.broadcast(this.pendingBarriers.shift() as Barrier);
      worked = true;
    }
    // Also ends a subtask with nothing (left) to emit, e.g. when a source has fewer records than subtasks.
    if (this.stopRequested || this.emitted >= this.count) return this.finish();
    if (this.paused) return worked;
    // The scheduler reads the clock after every round and while it waits for the next record: that reading
    // tells whether a record is due (see Clock.recent).
    const due = Math.min(this.count, this.profile.dueBy(this.clock.recent() - this.startMs));
    let n = Math.min(due - this.emitted, MAX_RECORDS_PER_STEP);
    if (n <= 0) return worked;
    if (!this.out.hasRoom()) {
      this.backPressuredSteps++;
      return worked;
    }
    const out = this.out;
    const stride = this.parallelism;
    let handedOn = out.batchesHandedOn;
    for (let i = this.emitted; n > 0; n--, i++) {
      const offsetMs = this.profile.timeOf(i);
      out.currentScheduledMs = this.startMs + offsetMs;
      out.currentSeq = i * stride + this.subtask;
      this.fn.emit(i, offsetMs, out);
      this.emitted = i + 1;
      // After each full batch, stop if a channel is full: no channel gets more than capacity + one batch,
      // however many records fell due at once (after a stall).
      if (out.batchesHandedOn !== handedOn) {
        handedOn = out.batchesHandedOn;
        if (!out.hasRoom()) break;
      }
    }
    if (this.watermarkIntervalMs > 0 && this.emitted < this.count) {
      const next = this.profile.timeOf(this.emitted);
      if (next - this.watermarkMs >= this.watermarkIntervalMs) {
        this.watermarkMs = next;
        out.broadcast({ kind: 'watermark', timestampMs: next });
      }
    }
    out.flush();
    if (this.emitted >= this.count) this.finish();
    return true;
  }

  /** The last watermark sent. */
  private watermarkMs = -Infinity;

  private finish(): boolean {
    this.out.broadcast(END_OF_STREAM);
    this.done = true;
    return true;
  }
}

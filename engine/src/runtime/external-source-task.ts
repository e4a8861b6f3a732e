/**
 * One subtask of a source fed from outside the job (`ExternalSource`): each step polls the records that have
 * arrived and hands them on with the scheduled time they carry, so latency is measured from the schedule
 * whatever the transport did. Barriers, pausing, stopping and back-pressure work as for generated sources.
 */
import type { Clock } from '../core/clock.ts';
import { END_OF_STREAM, type Barrier } from '../core/control-event.ts';
import type { Key } from '../core/key-group.ts';
import type { Router } from '../routing/router.ts';
import type { ExternalSource, Task } from './task.ts';

/** Records a step emits at most, so that a step stays short. */
const MAX_RECORDS_PER_STEP = 2048;
/** Records polled between two looks at the output channels' room. */
const POLL_PIECE = 64;
/** While nothing has arrived, the job looks again this often (ms): records arrive between event-loop turns. */
const POLL_INTERVAL_MS = 2;

export class ExternalSourceTask<V> implements Task {
  readonly label: string;
  /** Records emitted so far. */
  emitted = 0;
  done = false;
  /** While paused the source emits nothing; arrived records wait and show their delay as latency. */
  paused = false;
  backPressuredSteps = 0;
  private readonly pendingBarriers: Barrier[] = [];
  private started = false;
  private stopRequested = false;
  private readonly emitOne: (scheduledMs: number, value: V, key: Key, seq: number) => void;

  constructor(
    readonly name: string,
    readonly subtask: number,
    readonly parallelism: number,
    private readonly fn: ExternalSource<V>,
    private readonly out: Router<V>,
    private readonly clock: Clock,
    /** Clock time the job counts from (set by the job once every operator is open). */
    public startMs: number,
  ) {
    this.label = `${name}-${subtask}`;
    this.emitOne = (scheduledMs, value, key, seq) => {
      const o = this.out;
      o.currentScheduledMs = scheduledMs;
      o.currentSeq = seq;
      o.collect(value, key);
      this.emitted++;
    };
  }

  nextDueMs(): number {
    if (this.done) return Infinity;
    if (this.pendingBarriers.length > 0 || this.stopRequested) return -Infinity;
    if (this.paused) return Infinity;
    if (this.fn.ended) return -Infinity;
    return Math.min(this.fn.nextDueMs(), this.clock.now() + POLL_INTERVAL_MS);
  }

  injectBarrier(barrier: Barrier): void {
    this.pendingBarriers.push(barrier);
  }

  stop(): void {
    this.stopRequested = true;
  }

  step(): boolean {
    if (this.done) return false;
    if (!this.started) {
      this.started = true;
      this.fn.start?.(this.startMs);
    }
    let worked = false;
    while (this.pendingBarriers.length > 0) {
      this.out.broadcast(this.pendingBarriers.shift() as Barrier);
      worked = true;
    }
    if (this.stopRequested) {
      this.fn.stop?.();
      return this.finish();
    }
    if (this.paused) return worked;
    // Polled in pieces, with a look at the channels between them: a channel gets at most one piece past its
    // capacity, however many records arrived at once.
    for (let total = 0; total < MAX_RECORDS_PER_STEP; ) {
      if (!this.out.hasRoom()) {
        if (this.fn.nextDueMs() <= this.clock.now()) this.backPressuredSteps++;
        break;
      }
      const n = this.fn.poll(this.clock.now(), POLL_PIECE, this.emitOne);
      if (n === 0) break;
      total += n;
      worked = true;
    }
    if (worked) this.out.flush();
    if (this.fn.ended) return this.finish();
    return worked;
  }

  private finish(): boolean {
    this.out.broadcast(END_OF_STREAM);
    this.done = true;
    return true;
  }
}

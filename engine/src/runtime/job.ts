/**
 * A running job: what `buildJob` (job-builder.ts) made from a `JobGraph`, a `CheckpointCoordinator`, and the
 * drivers (wall clock, or by hand for tests). It implements the migration layer's `JobPort`, and
 * `attachMigration` plugs a migration layer in (barrier alignments, drained key groups, checkpoints).
 */
import { wallClock, type Clock } from '../core/clock.ts';
import type { Barrier, CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
import type { Assignment } from '../core/assignment.ts';
import type { Channel } from '../routing/channel.ts';
import type { Router } from '../routing/router.ts';
import { BytePool } from '../state/byte-pool.ts';
import type { LatencyBuffer } from '../metrics/latency-buffer.ts';
import type { LatencySink } from '../metrics/latency-chunk.ts';
import { ProtocolError } from '../errors.ts';
import { formatEvent, type EventRecord } from '../events/index.ts';
import type { JobGraph } from './job-graph.ts';
import { buildJob } from './job-builder.ts';
import { CheckpointCoordinator } from './checkpoint-coordinator.ts';
import type { KeyedTask, BarrierHandler } from './keyed-task.ts';
import type { SinkTask } from './sink-task.ts';
import type { SourceTask } from './source-task.ts';
import type { ExternalSourceTask } from './external-source-task.ts';
import { Scheduler } from './scheduler.ts';
import type { TaskManager } from './task-manager.ts';
import { MigrationLayer, type MigrationLayerOptions } from '../migration/migration-layer.ts';
import type { CheckpointParticipant, JobPort, StepTask } from '../migration/ports.ts';

/** Receives the job's events (`events.csv` rows): checkpoints, job start and end. */
export interface JobListener {
  onEvent(tsMs: number, event: string, detail: string): void;
}

export interface JobOptions {
  clock?: Clock;
  /** Delay before record 0 of every source, ms. */
  startDelayMs?: number;
  taskManagers?: number;
  /** Records per channel before back-pressure. */
  channelCapacity?: number;
  batchCapacity?: number;
  latencySink?: LatencySink;
  /** Periodic checkpoints every this many ms; 0 = off. */
  checkpointIntervalMs?: number;
  listener?: JobListener;
}

export class Job implements BarrierHandler, JobPort {
  readonly clock: Clock;
  /** Clock time of record 0 of every source; results report times relative to it. */
  readonly startMs: number;
  readonly scheduler: Scheduler;
  readonly taskManagers: TaskManager[];
  readonly sources: (SourceTask<unknown> | ExternalSourceTask<unknown>)[];
  readonly sinks: SinkTask<unknown>[];
  /** Keyed subtasks per operator name. */
  readonly keyed: Map<string, KeyedTask[]>;
  /** Routers feeding each keyed operator, per operator name (one per upstream subtask and input). */
  private readonly routersIntoOperator: Map<string, Router<unknown>[]>;
  /** Receives reconfiguration alignments; set by `attachMigration`. */
  reconfigHandler: Pick<BarrierHandler, 'onReconfigAligned'> | undefined;
  /** Takes part in every checkpoint and acknowledges it (replication); without one, subtasks ack at once. */
  checkpointParticipant: CheckpointParticipant | undefined;
  /** Called when a checkpoint completes, with its id, start (elapsed ms) and duration. */
  readonly checkpointListeners: ((id: number, startMs: number, durationMs: number) => void)[] = [];
  private readonly channels: Channel<unknown>[];
  /** Byte memory shared by the keyed state of every subtask (recycled across migrations). */
  readonly bytePool = new BytePool();

  private readonly assignments: Map<string, Assignment>;
  private readonly placement: Map<string, number>;
  private readonly listener: JobListener | undefined;
  private readonly checkpoints: CheckpointCoordinator;
  private readonly latencyBuffers: LatencyBuffer[];

  constructor(readonly graph: JobGraph, options: JobOptions = {}) {
    this.clock = options.clock ?? wallClock;
    this.listener = options.listener;
    // Provisional: the real start is set once every operator is open (opening may load state, which takes time).
    this.startMs = this.clock.now();
    const built = buildJob(graph, {
      clock: this.clock,
      startMs: this.startMs,
      taskManagers: options.taskManagers,
      channelCapacity: options.channelCapacity,
      batchCapacity: options.batchCapacity,
      latencySink: options.latencySink,
      bytePool: this.bytePool,
      barrierHandler: this,
    });
    this.taskManagers = built.taskManagers;
    this.sources = built.sources;
    this.sinks = built.sinks;
    this.keyed = built.keyed;
    this.routersIntoOperator = built.routersIntoOperator;
    this.channels = built.channels;
    this.assignments = built.assignments;
    this.placement = built.placement;
    this.latencyBuffers = built.latencyBuffers;
    this.startMs = this.clock.now() + (options.startDelayMs ?? 0);
    for (const s of this.sources) s.startMs = this.startMs;
    for (const list of this.keyed.values()) for (const t of list) t.runStartMs = this.startMs;
    this.checkpoints = new CheckpointCoordinator({
      clock: this.clock,
      intervalMs: options.checkpointIntervalMs ?? 0,
      jobStartMs: this.startMs,
      subtasks: [...this.keyed.values()].flat(),
      sources: this.sources,
      onComplete: (id, startMs, durationMs) => {
        this.emit({ event: 'checkpoint', id, durationMs });
        for (const l of this.checkpointListeners) l(id, startMs, durationMs);
      },
    });
    this.scheduler = new Scheduler(built.tasks, this.clock);
  }

  /** The current key-group table of a keyed operator. */
  assignment(operator: string): Assignment {
    const a = this.assignments.get(operator);
    if (a === undefined) throw new ProtocolError(`no keyed operator named '${operator}' (keyed: ${[...this.assignments.keys()].join(', ')})`);
    return a;
  }

  /** Records the assignment that is now in force (the migration layer calls this per chunk). */
  setAssignment(operator: string, a: Assignment): void {
    this.assignment(operator);
    this.assignments.set(operator, a);
  }

  keyedTasks(operator: string): KeyedTask[] {
    const list = this.keyed.get(operator);
    if (list === undefined) throw new ProtocolError(`no keyed operator named '${operator}'`);
    return list;
  }

  /** TaskManager index of a subtask, by label `<operator>-<subtask>`. */
  taskManagerOf(label: string): number {
    const tm = this.placement.get(label);
    if (tm === undefined) throw new ProtocolError(`no subtask '${label}'`);
    return tm;
  }

  /** Milliseconds since record 0 was scheduled. */
  elapsedMs(): number {
    return this.clock.now() - this.startMs;
  }

  /** `elapsedMs` at the clock's last reading (Clock.recent): for checks made in every gap between records. */
  recentElapsedMs(): number {
    return this.clock.recent() - this.startMs;
  }

  /** Hands the listener the event as events.csv writes it (formatEvent: name and `k=v` detail). */
  emit(e: EventRecord): void {
    if (this.listener === undefined) return;
    const { event, detail } = formatEvent(e);
    this.listener.onEvent(this.elapsedMs(), event, detail);
  }

  get done(): boolean {
    return this.scheduler.done;
  }

  /** Stops every source early; the job then drains and ends. */
  stop(): void {
    for (const s of this.sources) s.stop();
  }

  // ---- checkpoints ------------------------------------------------------------------------------------

  /** Set by the migration layer while a plan runs: periodic checkpoints are not triggered then. */
  get checkpointsPaused(): boolean {
    return this.checkpoints.paused;
  }

  set checkpointsPaused(paused: boolean) {
    this.checkpoints.setPaused(paused);
  }

  /** Triggers a checkpoint when one is due (not while one is in flight or checkpoints are paused). */
  maybeCheckpoint(): void {
    this.checkpoints.poll();
  }

  /** Starts the next checkpoint now: barriers go into every source that has not ended. */
  triggerCheckpoint(): void {
    this.checkpoints.trigger();
  }

  onCheckpointAligned(task: KeyedTask, barrier: CheckpointBarrier): void {
    this.checkpoints.aligned(task.label, barrier.id);
    if (this.checkpointParticipant !== undefined) this.checkpointParticipant.onCheckpoint(task, barrier.id);
    else {
      task.state.clearAllDirty();
      this.checkpoints.acknowledge(task.label, barrier.id);
    }
  }

  acknowledgeCheckpoint(label: string, checkpointId: number): void {
    this.checkpoints.acknowledge(label, checkpointId);
  }

  checkpointInFlight(): boolean {
    return this.checkpoints.inFlight();
  }

  setCheckpointsPaused(paused: boolean): void {
    this.checkpoints.setPaused(paused);
  }

  onReconfigAligned(task: KeyedTask, barrier: ReconfigBarrier): void {
    if (this.reconfigHandler === undefined) throw new ProtocolError(`${task.label}: reconfiguration barrier ${barrier.id} but no migration layer attached`);
    this.reconfigHandler.onReconfigAligned(task, barrier);
  }

  // ---- the migration layer's port ---------------------------------------------------------------------

  /** Plugs a migration layer in for one keyed operator. */
  attachMigration(options: MigrationLayerOptions): MigrationLayer {
    if (this.reconfigHandler !== undefined) throw new ProtocolError('a migration layer is already attached');
    const layer = new MigrationLayer(this, options);
    this.reconfigHandler = layer;
    this.checkpointParticipant = layer;
    this.addTask(layer);
    return layer;
  }

  subtasks(operator: string): readonly KeyedTask[] {
    return this.keyedTasks(operator);
  }

  routersInto(operator: string): readonly Router<unknown>[] {
    const r = this.routersIntoOperator.get(operator);
    if (r === undefined) throw new ProtocolError(`no keyed operator named '${operator}'`);
    return r;
  }

  get taskManagerCount(): number {
    return this.taskManagers.length;
  }

  injectBarrier(barrier: Barrier): void {
    for (const s of this.sources) if (!s.done) s.injectBarrier(barrier);
  }

  pauseSources(paused: boolean): void {
    for (const s of this.sources) s.paused = paused;
  }

  quiescent(): boolean {
    for (const ch of this.channels) if (!ch.isEmpty) return false;
    for (const list of this.keyed.values()) for (const t of list) if (t.holding) return false;
    return true;
  }

  sourcesDone(): boolean {
    return this.sources.every((s) => s.done);
  }

  addTask(task: StepTask): void {
    this.scheduler.add(task);
  }

  // ---- drivers ----------------------------------------------------------------------------------------

  /**
   * Runs the job on the wall clock until every task has ended. The loop is callback-driven (no promise per
   * turn): a busy turn is followed by `setImmediate`, an idle one by a timer until the next record is due.
   */
  run(onTick?: () => void): Promise<void> {
    this.emit({ event: 'job_start', tasks: this.scheduler.tasks.length });
    let lastTick = this.clock.now();
    return new Promise((resolve, reject) => {
      const turn = (): void => {
        try {
          this.maybeCheckpoint();
          const worked = this.scheduler.runSlice();
          const now = this.clock.now();
          if (onTick !== undefined && now - lastTick >= 100) {
            lastTick = now;
            onTick();
          }
          if (this.scheduler.done) {
            this.flushLatency();
            this.emit({ event: 'job_end', records: this.processedRecords() });
            resolve();
            return;
          }
          const wait = worked ? 0 : Math.min(this.scheduler.nextDueMs(), this.checkpoints.nextDueMs) - now;
          if (wait >= 2) setTimeout(turn, Math.min(wait - 1, 50));
          else setImmediate(turn);
        } catch (err) {
          reject(err);
        }
      };
      turn();
    });
  }

  /** Runs rounds until nothing can happen without the clock moving (for manual-clock tests). */
  runUntilIdle(maxRounds = 1_000_000): void {
    for (let i = 0; i < maxRounds; i++) {
      this.maybeCheckpoint();
      if (!this.scheduler.runRound()) return;
    }
    throw new ProtocolError(`job still busy after ${maxRounds} rounds`);
  }

  /** Hands every partly filled latency buffer to the sink. */
  flushLatency(): void {
    for (const b of this.latencyBuffers) b.flush();
  }

  /** Records processed by all keyed operators together. */
  processedRecords(): number {
    let n = 0;
    for (const list of this.keyed.values()) for (const t of list) n += t.processed;
    return n;
  }
}

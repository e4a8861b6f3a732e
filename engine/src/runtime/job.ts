/**
 * A running job: channels, routers, tasks and state built from a `JobGraph`, the checkpoint coordinator,
 * and the drivers (wall clock, or by hand for tests). It implements the migration layer's `JobPort`, and
 * `attachMigration` plugs a migration layer in (barrier alignments, drained key groups, checkpoints).
 */
import { wallClock, type Clock } from '../core/clock.ts';
import type { CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
import { DEFAULT_BATCH_CAPACITY } from '../core/record-batch.ts';
import { Assignment } from '../routing/assignment.ts';
import { Channel } from '../routing/channel.ts';
import { Router, type Partitioning } from '../routing/router.ts';
import { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { BytePool } from '../state/byte-pool.ts';
import { LatencyBuffer } from '../metrics/latency-buffer.ts';
import type { LatencySink } from '../metrics/latency-chunk.ts';
import { ProtocolError } from '../errors.ts';
import type { JobGraph, KeyedVertex, Vertex } from './job-graph.ts';
import { KeyedTask, type BarrierHandler } from './keyed-task.ts';
import { SinkTask } from './sink-task.ts';
import { SourceTask } from './source-task.ts';
import { ExternalSourceTask } from './external-source-task.ts';
import { Scheduler } from './scheduler.ts';
import { TaskManager, placeSubtask } from './task-manager.ts';
import type { Task } from './task.ts';
import type { Barrier } from '../core/control-event.ts';
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
  readonly sources: (SourceTask<unknown> | ExternalSourceTask<unknown>)[] = [];
  readonly sinks: SinkTask<unknown>[] = [];
  /** Keyed subtasks per operator name. */
  readonly keyed = new Map<string, KeyedTask[]>();
  /** Routers feeding each keyed operator, per operator name (one per upstream subtask and input). */
  private readonly routersIntoOperator = new Map<string, Router<unknown>[]>();
  /** Set by the migration layer while a plan runs: periodic checkpoints are not triggered then. */
  checkpointsPaused = false;
  /** Receives reconfiguration alignments; set by `attachMigration`. */
  reconfigHandler: Pick<BarrierHandler, 'onReconfigAligned' | 'onReconfigArrived'> | undefined;
  /** Takes part in every checkpoint and acknowledges it (replication); without one, subtasks ack at once. */
  checkpointParticipant: CheckpointParticipant | undefined;
  /** Called when a checkpoint completes, with its id, start (elapsed ms) and duration. */
  readonly checkpointListeners: ((id: number, startMs: number, durationMs: number) => void)[] = [];
  private readonly channels: Channel<unknown>[] = [];
  /** Byte memory shared by the keyed state of every subtask (recycled across migrations). */
  readonly bytePool = new BytePool();

  private readonly assignments = new Map<string, Assignment>();
  private readonly placement = new Map<string, number>();
  private readonly listener: JobListener | undefined;
  private readonly checkpointIntervalMs: number;
  private nextCheckpointMs: number;
  private checkpointId = 0;
  /** The checkpoint in flight and the labels of the subtasks that have not acknowledged it. */
  private inflight: { barrier: CheckpointBarrier; startedMs: number; pending: Set<string>; aligned: Set<string> } | undefined;
  private readonly latencyBuffers: LatencyBuffer[] = [];

  constructor(readonly graph: JobGraph, options: JobOptions = {}) {
    this.clock = options.clock ?? wallClock;
    this.listener = options.listener;
    // Provisional: the real start is set once every operator is open (opening may load state, which takes time).
    this.startMs = this.clock.now();
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 0;
    const tmCount = options.taskManagers ?? 1;
    this.taskManagers = Array.from({ length: tmCount }, (_, i) => new TaskManager(i));
    const capacity = options.channelCapacity ?? 65536;
    const batchCapacity = options.batchCapacity ?? DEFAULT_BATCH_CAPACITY;

    // Channels into each consuming vertex: inbound[vertex][subtask] and outbound routers per producer subtask.
    const inbound = new Map<string, Channel<unknown>[][]>();
    const routers = new Map<string, Router<unknown>[]>();
    for (const v of graph.all()) {
      if (v.kind === 'source') continue;
      const ins = Array.from({ length: v.parallelism }, () => [] as Channel<unknown>[]);
      inbound.set(v.name, ins);
      const inputs = v.kind === 'keyed' ? v.inputs.map((i) => i.from) : [v.from];
      if (v.kind === 'keyed') this.assignments.set(v.name, Assignment.initial(v.maxParallelism, v.parallelism));
      const table = v.kind === 'keyed' ? (this.assignments.get(v.name) as Assignment).table() : undefined;
      const into: Router<unknown>[] = [];
      inputs.forEach((from, inputIndex) => {
        const up = graph.get(from);
        const out: Router<unknown>[] = [];
        for (let u = 0; u < up.parallelism; u++) {
          const channels = ins.map((list) => {
            const ch = new Channel<unknown>(capacity, inputIndex, u);
            list.push(ch);
            this.channels.push(ch);
            return ch;
          });
          const partitioning: Partitioning<unknown> =
            v.kind === 'keyed'
              ? { kind: 'keyed', maxParallelism: v.maxParallelism, selector: (v as KeyedVertex).inputs[inputIndex].key ?? defaultKey, table: table as Int32Array }
              : { kind: 'forward' };
          out.push(new Router(channels, partitioning, u, batchCapacity));
        }
        routers.set(from, out);
        into.push(...out);
      });
      if (v.kind === 'keyed') this.routersIntoOperator.set(v.name, into);
    }

    const tasks: Task[] = [];
    for (const v of graph.all()) this.createTasks(v, inbound, routers, tasks, options.latencySink);
    this.startMs = this.clock.now() + (options.startDelayMs ?? 0);
    for (const s of this.sources) s.startMs = this.startMs;
    for (const list of this.keyed.values()) for (const t of list) t.runStartMs = this.startMs;
    this.nextCheckpointMs = this.checkpointIntervalMs > 0 ? this.startMs + this.checkpointIntervalMs : Infinity;
    // Sources first, then operators in topological order: one round carries records all the way down.
    tasks.sort((a, b) => Number(isSource(b)) - Number(isSource(a)));
    this.scheduler = new Scheduler(tasks, this.clock);
  }

  private createTasks(v: Vertex, inbound: Map<string, Channel<unknown>[][]>, routers: Map<string, Router<unknown>[]>, tasks: Task[], latencySink: LatencySink | undefined): void {
    const out = routers.get(v.name);
    for (let s = 0; s < v.parallelism; s++) {
      const tm = placeSubtask(s, this.taskManagers.length);
      this.placement.set(`${v.name}-${s}`, tm);
      this.taskManagers[tm].tasks.push(`${v.name}-${s}`);
      if (v.kind === 'source' && v.external === true) {
        const router = out?.[s] ?? new Router<unknown>([], { kind: 'forward' }, s);
        const t = new ExternalSourceTask(v.name, s, v.parallelism, v.create(s, v.parallelism), router, this.clock, this.startMs);
        this.sources.push(t);
        tasks.push(t);
      } else if (v.kind === 'source') {
        const share = Math.floor(v.count / v.parallelism) + (s < v.count % v.parallelism ? 1 : 0);
        const router = out?.[s] ?? new Router<unknown>([], { kind: 'forward' }, s);
        const t = new SourceTask(v.name, s, v.parallelism, v.create(s, v.parallelism), router, this.clock, this.startMs, v.profile.forSubtask(s, v.parallelism), share, v.watermarkIntervalMs ?? 0);
        this.sources.push(t);
        tasks.push(t);
      } else if (v.kind === 'keyed') {
        const assignment = this.assignments.get(v.name) as Assignment;
        const state = new KeyedStateBackend(v.maxParallelism, assignment.keyGroupsOf(s), this.bytePool);
        let latency: LatencyBuffer | undefined;
        if (v.measureLatency && latencySink !== undefined) {
          latency = new LatencyBuffer(v.name, s, latencySink);
          this.latencyBuffers.push(latency);
        }
        const ins = (inbound.get(v.name) as Channel<unknown>[][])[s];
        const t = new KeyedTask(v.name, s, v.parallelism, ins, state, v.create(s), out?.[s], this.clock, this.startMs, latency, this);
        let list = this.keyed.get(v.name);
        if (list === undefined) this.keyed.set(v.name, (list = []));
        list.push(t);
        tasks.push(t);
      } else {
        const ins = (inbound.get(v.name) as Channel<unknown>[][])[s];
        const t = new SinkTask(v.name, s, ins, v.consume);
        this.sinks.push(t);
        tasks.push(t);
      }
    }
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

  emit(event: string, detail = ''): void {
    this.listener?.onEvent(this.elapsedMs(), event, detail);
  }

  get done(): boolean {
    return this.scheduler.done;
  }

  /** Stops every source early; the job then drains and ends. */
  stop(): void {
    for (const s of this.sources) s.stop();
  }

  // ---- checkpoints ------------------------------------------------------------------------------------

  /** Triggers a checkpoint when one is due (not while one is in flight or checkpoints are paused). */
  maybeCheckpoint(): void {
    const f = this.inflight;
    if (f !== undefined) {
      // A subtask that ended before the barrier reached it has nothing left to checkpoint.
      for (const list of this.keyed.values()) for (const t of list) if (t.done && !f.aligned.has(t.label)) f.pending.delete(t.label);
      if (f.pending.size === 0) this.completeCheckpoint();
      return;
    }
    const now = this.clock.now();
    if (now < this.nextCheckpointMs || this.checkpointsPaused) return;
    this.nextCheckpointMs = now + this.checkpointIntervalMs;
    this.triggerCheckpoint();
  }

  /** Starts the next checkpoint now: barriers go into every source that has not ended. */
  triggerCheckpoint(): void {
    if (this.inflight !== undefined) throw new ProtocolError(`checkpoint ${this.inflight.barrier.id} is still in flight`);
    const pending = new Set<string>();
    for (const list of this.keyed.values()) for (const t of list) if (!t.done) pending.add(t.label);
    if (pending.size === 0 || this.sources.every((s) => s.done)) return;
    const barrier: CheckpointBarrier = { kind: 'checkpoint', id: ++this.checkpointId };
    this.inflight = { barrier, startedMs: this.clock.now(), pending, aligned: new Set() };
    for (const s of this.sources) if (!s.done) s.injectBarrier(barrier);
  }

  onCheckpointAligned(task: KeyedTask, barrier: CheckpointBarrier): void {
    const f = this.inflight;
    if (f === undefined || f.barrier.id !== barrier.id) throw new ProtocolError(`${task.label}: checkpoint ${barrier.id} is not in flight`);
    f.aligned.add(task.label);
    if (this.checkpointParticipant !== undefined) this.checkpointParticipant.onCheckpoint(task, barrier.id);
    else {
      task.state.clearAllDirty();
      this.acknowledgeCheckpoint(task.label, barrier.id);
    }
  }

  acknowledgeCheckpoint(label: string, checkpointId: number): void {
    const f = this.inflight;
    if (f === undefined || f.barrier.id !== checkpointId) throw new ProtocolError(`${label}: acknowledges checkpoint ${checkpointId}, which is not in flight`);
    if (!f.pending.delete(label)) throw new ProtocolError(`${label}: acknowledges checkpoint ${checkpointId} twice`);
    if (f.pending.size === 0) this.completeCheckpoint();
  }

  private completeCheckpoint(): void {
    const f = this.inflight as NonNullable<typeof this.inflight>;
    this.inflight = undefined;
    const durationMs = this.clock.now() - f.startedMs;
    const startMs = f.startedMs - this.startMs;
    this.emit('checkpoint', `id=${f.barrier.id};duration_ms=${durationMs.toFixed(3)}`);
    for (const l of this.checkpointListeners) l(f.barrier.id, startMs, durationMs);
  }

  checkpointInFlight(): boolean {
    return this.inflight !== undefined;
  }

  setCheckpointsPaused(paused: boolean): void {
    this.checkpointsPaused = paused;
    if (!paused) this.nextCheckpointMs = Math.max(this.nextCheckpointMs, this.clock.now() + this.checkpointIntervalMs);
  }

  onReconfigAligned(task: KeyedTask, barrier: ReconfigBarrier): void {
    if (this.reconfigHandler === undefined) throw new ProtocolError(`${task.label}: reconfiguration barrier ${barrier.id} but no migration layer attached`);
    this.reconfigHandler.onReconfigAligned(task, barrier);
  }

  onReconfigArrived(task: KeyedTask, barrier: ReconfigBarrier, channel: number): void {
    this.reconfigHandler?.onReconfigArrived?.(task, barrier, channel);
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
    this.emit('job_start', `tasks=${this.scheduler.tasks.length}`);
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
            this.emit('job_end', `records=${this.processedRecords()}`);
            resolve();
            return;
          }
          const wait = worked ? 0 : Math.min(this.scheduler.nextDueMs(), this.nextCheckpointMs) - now;
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

function isSource(t: Task): boolean {
  return t instanceof SourceTask || t instanceof ExternalSourceTask;
}

function defaultKey(_value: unknown, key: unknown): string | number {
  if (key === undefined) throw new ProtocolError('record without a key on a keyed edge (give the input a key selector)');
  return key as string | number;
}

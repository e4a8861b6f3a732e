/**
 * A running job: channels, routers, tasks and state built from a `JobGraph`, the checkpoint coordinator,
 * and the drivers (wall clock, or by hand for tests). The migration layer works through the accessors
 * here (tasks, routers, assignments, TaskManagers); this file knows nothing of migrations.
 */
import { wallClock, type Clock } from '../core/clock.ts';
import type { CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
import { DEFAULT_BATCH_CAPACITY } from '../core/record-batch.ts';
import { Assignment } from '../routing/assignment.ts';
import { Channel } from '../routing/channel.ts';
import { Router, type Partitioning } from '../routing/router.ts';
import { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { LatencyBuffer } from '../metrics/latency-buffer.ts';
import type { LatencySink } from '../metrics/latency-chunk.ts';
import { ProtocolError } from '../errors.ts';
import type { JobGraph, KeyedVertex, Vertex } from './job-graph.ts';
import { KeyedTask, type BarrierHandler } from './keyed-task.ts';
import { SinkTask } from './sink-task.ts';
import { SourceTask } from './source-task.ts';
import { Scheduler } from './scheduler.ts';
import { TaskManager, placeSubtask } from './task-manager.ts';
import type { Task } from './task.ts';

/** Receives the job's events (`events.csv` rows): checkpoints, job start and end. */
export interface JobListener {
  onEvent(tsMs: number, event: string, detail: string): void;
}

/** Extra work at each checkpoint of a keyed subtask, before its dirty flags are cleared (replication). */
export type CheckpointHook = (task: KeyedTask, barrier: CheckpointBarrier) => void;

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

export class Job implements BarrierHandler {
  readonly clock: Clock;
  /** Clock time of record 0 of every source; results report times relative to it. */
  readonly startMs: number;
  readonly scheduler: Scheduler;
  readonly taskManagers: TaskManager[];
  readonly sources: SourceTask<unknown>[] = [];
  readonly sinks: SinkTask<unknown>[] = [];
  /** Keyed subtasks per operator name. */
  readonly keyed = new Map<string, KeyedTask[]>();
  /** Routers feeding each keyed operator, per operator name (one per upstream subtask and input). */
  readonly routersInto = new Map<string, Router<unknown>[]>();
  readonly checkpointHooks: CheckpointHook[] = [];
  /** Set by the migration layer while a plan runs: periodic checkpoints are not triggered then. */
  checkpointsPaused = false;
  /** Receives reconfiguration barriers; set by the migration layer. */
  reconfigHandler: ((task: KeyedTask, channel: number, barrier: ReconfigBarrier) => void) | undefined;

  private readonly assignments = new Map<string, Assignment>();
  private readonly placement = new Map<string, number>();
  private readonly listener: JobListener | undefined;
  private readonly checkpointIntervalMs: number;
  private nextCheckpointMs: number;
  private checkpointId = 0;
  private inflight: { barrier: CheckpointBarrier; startedMs: number; pending: number } | undefined;
  private readonly latencyBuffers: LatencyBuffer[] = [];

  constructor(readonly graph: JobGraph, options: JobOptions = {}) {
    this.clock = options.clock ?? wallClock;
    this.listener = options.listener;
    this.startMs = this.clock.now() + (options.startDelayMs ?? 0);
    this.checkpointIntervalMs = options.checkpointIntervalMs ?? 0;
    this.nextCheckpointMs = this.checkpointIntervalMs > 0 ? this.startMs + this.checkpointIntervalMs : Infinity;
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
      if (v.kind === 'keyed') this.routersInto.set(v.name, into);
    }

    const tasks: Task[] = [];
    for (const v of graph.all()) this.createTasks(v, inbound, routers, tasks, options.latencySink);
    // Sources first, then operators in topological order: one round carries records all the way down.
    tasks.sort((a, b) => Number(b instanceof SourceTask) - Number(a instanceof SourceTask));
    this.scheduler = new Scheduler(tasks, this.clock);
  }

  private createTasks(v: Vertex, inbound: Map<string, Channel<unknown>[][]>, routers: Map<string, Router<unknown>[]>, tasks: Task[], latencySink: LatencySink | undefined): void {
    const out = routers.get(v.name);
    for (let s = 0; s < v.parallelism; s++) {
      const tm = placeSubtask(s, this.taskManagers.length);
      this.placement.set(`${v.name}-${s}`, tm);
      this.taskManagers[tm].tasks.push(`${v.name}-${s}`);
      if (v.kind === 'source') {
        const share = Math.floor(v.count / v.parallelism) + (s < v.count % v.parallelism ? 1 : 0);
        const router = out?.[s] ?? new Router<unknown>([], { kind: 'forward' }, s);
        const t = new SourceTask(v.name, s, v.parallelism, v.create(s, v.parallelism), router, this.clock, this.startMs, v.profile.scaled(v.parallelism), share);
        this.sources.push(t);
        tasks.push(t);
      } else if (v.kind === 'keyed') {
        const assignment = this.assignments.get(v.name) as Assignment;
        const state = new KeyedStateBackend(v.maxParallelism, assignment.keyGroupsOf(s));
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
    const now = this.clock.now();
    if (now < this.nextCheckpointMs || this.inflight !== undefined || this.checkpointsPaused) return;
    this.nextCheckpointMs = now + this.checkpointIntervalMs;
    this.triggerCheckpoint();
  }

  /** Starts checkpoint `id+1` now: barriers go into every source. */
  triggerCheckpoint(): void {
    if (this.inflight !== undefined) throw new ProtocolError(`checkpoint ${this.inflight.barrier.id} is still in flight`);
    const barrier: CheckpointBarrier = { kind: 'checkpoint', id: ++this.checkpointId };
    let pending = 0;
    for (const list of this.keyed.values()) pending += list.filter((t) => !t.done).length;
    if (pending === 0) return;
    this.inflight = { barrier, startedMs: this.clock.now(), pending };
    for (const s of this.sources) if (!s.done) s.injectBarrier(barrier);
  }

  onCheckpointAligned(task: KeyedTask, barrier: CheckpointBarrier): void {
    for (const hook of this.checkpointHooks) hook(task, barrier);
    task.state.dirty.fill(0);
    const f = this.inflight;
    if (f === undefined || f.barrier.id !== barrier.id) throw new ProtocolError(`${task.label}: checkpoint ${barrier.id} is not in flight`);
    if (--f.pending === 0) {
      this.inflight = undefined;
      this.emit('checkpoint', `id=${barrier.id};duration_ms=${(this.clock.now() - f.startedMs).toFixed(3)}`);
    }
  }

  onReconfigBarrier(task: KeyedTask, channel: number, barrier: ReconfigBarrier): void {
    if (this.reconfigHandler === undefined) throw new ProtocolError(`${task.label}: reconfiguration barrier ${barrier.id} but no migration layer attached`);
    this.reconfigHandler(task, channel, barrier);
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

  /** Records processed by all keyed operators that measure latency (or by all keyed operators if none do). */
  processedRecords(): number {
    let n = 0;
    for (const list of this.keyed.values()) for (const t of list) n += t.processed;
    return n;
  }
}

function defaultKey(_value: unknown, key: unknown): string | number {
  if (key === undefined) throw new ProtocolError('record without a key on a keyed edge (give the input a key selector)');
  return key as string | number;
}

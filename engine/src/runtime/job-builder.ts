/**
 * Builds what a `JobGraph` describes: channels into every consuming vertex, the routers feeding them, the
 * initial key-group assignments, keyed state, and one task per subtask placed on a TaskManager. Runs once,
 * when a `Job` is made (job.ts); it starts nothing and keeps no state of its own.
 */
import type { Clock } from '../core/clock.ts';
import { DEFAULT_BATCH_CAPACITY } from '../core/record-batch.ts';
import { Assignment } from '../core/assignment.ts';
import { Channel } from '../routing/channel.ts';
import { Router, type Partitioning } from '../routing/router.ts';
import { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { BytePool } from '../state/byte-pool.ts';
import { LatencyBuffer } from '../metrics/latency-buffer.ts';
import type { LatencySink } from '../metrics/latency-chunk.ts';
import { ProtocolError } from '../errors.ts';
import type { JobGraph, KeyedVertex, Vertex } from './job-graph.ts';
import { KeyedTask, type BarrierHandler } from './keyed-task.ts';
import { SinkTask } from './sink-task.ts';
import { SourceTask } from './source-task.ts';
import { ExternalSourceTask } from './external-source-task.ts';
import { TaskManager, placeSubtask } from './task-manager.ts';
import type { Task } from './task.ts';

export interface JobBuildOptions {
  readonly clock: Clock;
  /** Clock time the tasks start from; the job may move it later (tasks' `startMs` / `runStartMs`). */
  readonly startMs: number;
  readonly taskManagers?: number;
  /** Records per channel before back-pressure. */
  readonly channelCapacity?: number;
  readonly batchCapacity?: number;
  readonly latencySink?: LatencySink;
  /** Byte memory shared by the keyed state of every subtask. */
  readonly bytePool: BytePool;
  /** Hears every keyed subtask's barrier alignments (the job). */
  readonly barrierHandler: BarrierHandler;
}

/** The parts of a built job. */
export interface BuiltJob {
  readonly taskManagers: TaskManager[];
  readonly sources: (SourceTask<unknown> | ExternalSourceTask<unknown>)[];
  readonly sinks: SinkTask<unknown>[];
  /** Keyed subtasks per operator name, in subtask order. */
  readonly keyed: Map<string, KeyedTask[]>;
  /** Routers feeding each keyed operator, per operator name (one per upstream subtask and input). */
  readonly routersIntoOperator: Map<string, Router<unknown>[]>;
  /** Every channel of the job. */
  readonly channels: Channel<unknown>[];
  /** Initial key-group assignment per keyed operator. */
  readonly assignments: Map<string, Assignment>;
  /** TaskManager index per subtask label `<operator>-<subtask>`. */
  readonly placement: Map<string, number>;
  readonly latencyBuffers: LatencyBuffer[];
  /** Every task, in scheduling order: sources first, then operators in topological order. */
  readonly tasks: Task[];
}

/** Builds channels, routers, state and tasks for `graph` (already validated). */
export function buildJob(graph: JobGraph, options: JobBuildOptions): BuiltJob {
  const tmCount = options.taskManagers ?? 1;
  const built: BuiltJob = {
    taskManagers: Array.from({ length: tmCount }, (_, i) => new TaskManager(i)),
    sources: [],
    sinks: [],
    keyed: new Map(),
    routersIntoOperator: new Map(),
    channels: [],
    assignments: new Map(),
    placement: new Map(),
    latencyBuffers: [],
    tasks: [],
  };
  const { inbound, routers } = wire(graph, built, options.channelCapacity ?? 65536, options.batchCapacity ?? DEFAULT_BATCH_CAPACITY);
  for (const v of graph.all()) createTasks(v, inbound, routers, built, options);
  // Sources first, then operators in topological order: one round carries records all the way down.
  built.tasks.sort((a, b) => Number(isSource(b)) - Number(isSource(a)));
  return built;
}

/** Channels into each consuming vertex (inbound[vertex][subtask]) and outbound routers per producer subtask. */
function wire(graph: JobGraph, built: BuiltJob, capacity: number, batchCapacity: number): { inbound: Map<string, Channel<unknown>[][]>; routers: Map<string, Router<unknown>[]> } {
  const inbound = new Map<string, Channel<unknown>[][]>();
  const routers = new Map<string, Router<unknown>[]>();
  for (const v of graph.all()) {
    if (v.kind === 'source') continue;
    const ins = Array.from({ length: v.parallelism }, () => [] as Channel<unknown>[]);
    inbound.set(v.name, ins);
    const inputs = v.kind === 'keyed' ? v.inputs.map((i) => i.from) : [v.from];
    if (v.kind === 'keyed') built.assignments.set(v.name, v.initialAssignment ?? Assignment.initial(v.maxParallelism, v.parallelism));
    const table = v.kind === 'keyed' ? (built.assignments.get(v.name) as Assignment).table() : undefined;
    const into: Router<unknown>[] = [];
    inputs.forEach((from, inputIndex) => {
      const up = graph.get(from);
      const out: Router<unknown>[] = [];
      for (let u = 0; u < up.parallelism; u++) {
        const channels = ins.map((list) => {
          const ch = new Channel<unknown>(capacity, inputIndex, u);
          list.push(ch);
          built.channels.push(ch);
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
    if (v.kind === 'keyed') built.routersIntoOperator.set(v.name, into);
  }
  return { inbound, routers };
}

/** One task per subtask of `v`, placed round-robin on the TaskManagers. */
function createTasks(v: Vertex, inbound: Map<string, Channel<unknown>[][]>, routers: Map<string, Router<unknown>[]>, built: BuiltJob, options: JobBuildOptions): void {
  const { clock, startMs } = options;
  const out = routers.get(v.name);
  for (let s = 0; s < v.parallelism; s++) {
    const tm = placeSubtask(s, built.taskManagers.length);
    built.placement.set(`${v.name}-${s}`, tm);
    built.taskManagers[tm].tasks.push(`${v.name}-${s}`);
    if (v.kind === 'source' && v.external === true) {
      const router = out?.[s] ?? new Router<unknown>([], { kind: 'forward' }, s);
      const t = new ExternalSourceTask(v.name, s, v.parallelism, v.create(s, v.parallelism), router, clock, startMs);
      built.sources.push(t);
      built.tasks.push(t);
    } else if (v.kind === 'source') {
      const share = Math.floor(v.count / v.parallelism) + (s < v.count % v.parallelism ? 1 : 0);
      const router = out?.[s] ?? new Router<unknown>([], { kind: 'forward' }, s);
      const t = new SourceTask(v.name, s, v.parallelism, v.create(s, v.parallelism), router, clock, startMs, v.profile.forSubtask(s, v.parallelism), share, v.watermarkIntervalMs ?? 0);
      built.sources.push(t);
      built.tasks.push(t);
    } else if (v.kind === 'keyed') {
      const assignment = built.assignments.get(v.name) as Assignment;
      const state = new KeyedStateBackend(v.maxParallelism, assignment.keyGroupsOf(s), options.bytePool);
      let latency: LatencyBuffer | undefined;
      if (v.measureLatency && options.latencySink !== undefined) {
        latency = new LatencyBuffer(v.name, s, options.latencySink);
        built.latencyBuffers.push(latency);
      }
      const ins = (inbound.get(v.name) as Channel<unknown>[][])[s];
      const t = new KeyedTask(v.name, s, v.parallelism, ins, state, v.create(s), out?.[s], clock, startMs, latency, options.barrierHandler);
      let list = built.keyed.get(v.name);
      if (list === undefined) built.keyed.set(v.name, (list = []));
      list.push(t);
      built.tasks.push(t);
    } else {
      const ins = (inbound.get(v.name) as Channel<unknown>[][])[s];
      const t = new SinkTask(v.name, s, ins, v.consume);
      built.sinks.push(t);
      built.tasks.push(t);
    }
  }
}

function isSource(t: Task): boolean {
  return t instanceof SourceTask || t instanceof ExternalSourceTask;
}

function defaultKey(_value: unknown, key: unknown): string | number {
  if (key === undefined) throw new ProtocolError('record without a key on a keyed edge (give the input a key selector)');
  return key as string | number;
}

// Helpers for migration tests on a ManualClock. A source whose records name their origin, and a keyed
// function whose state per key is a running sum plus, per origin (source subtask, and the upstream keyed
// subtask if any), the list of sequence numbers it processed: loss, duplicates and reordering all show in
// the final state. Also: the test jobs (one input, two inputs, keyed -> keyed), reading the final state,
// measured statistics for the planner, and a driver that starts plans at chosen times.
import assert from 'node:assert/strict';
import type { Assignment } from '../../src/core/assignment.ts';
import { ManualClock, wallClock } from '../../src/core/clock.ts';
import type { Key, KeyGroupId } from '../../src/core/key-group.ts';
import { RateProfile } from '../../src/core/rate-profile.ts';
import type { KeyGroupStats, OwnerTable, Strategy } from '../../src/control/plan.ts';
import type { PlanReport } from '../../src/migration/mechanism.ts';
import type { MigrationLayer, MigrationLayerOptions } from '../../src/migration/migration-layer.ts';
import type { TimerSink } from '../../src/migration/ports.ts';
import type { Collector } from '../../src/routing/router.ts';
import { JobGraph } from '../../src/runtime/job-graph.ts';
import { Job, type JobListener, type JobOptions } from '../../src/runtime/job.ts';
import type { KeyedContext, KeyedFunction, SourceFunction } from '../../src/runtime/task.ts';
import type { KeyedStateBackend, MapState, ValueState } from '../../src/state/keyed-state-backend.ts';

/** A record: which source (tag) and subtask emitted it, its local index, and the upstream keyed subtask it passed. */
export interface Tagged {
  readonly tag: string;
  readonly subtask: number;
  readonly index: number;
  /** Subtask of the upstream keyed operator that forwarded it (keyed -> keyed jobs). */
  readonly via?: number;
}

/** A cheap integer mix, so that keys jump around instead of cycling. */
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The key of record `index` of subtask `subtask` of source `tag`. */
export function keyOf(tag: string, subtask: number, index: number, nKeys: number): string {
  return `k${mix(index * 7919 + subtask * 104729 + tag.charCodeAt(0)) % nKeys}`;
}

/** A second key, for the keyed -> keyed edge. */
export function rekey(v: Tagged, nKeys: number): string {
  return `r${mix(v.index * 31 + v.subtask * 65537 + 17) % nKeys}`;
}

/** Emits `{tag, subtask, index}` under `keyOf(...)`. */
export class TaggedSource implements SourceFunction<Tagged> {
  constructor(
    readonly subtask: number,
    readonly nKeys: number,
    readonly tag: string,
  ) {}

  emit(index: number, _offsetMs: number, out: Collector<Tagged>): void {
    out.collect({ tag: this.tag, subtask: this.subtask, index }, keyOf(this.tag, this.subtask, index, this.nKeys));
  }
}

/** The ordered stream a record belongs to at the stateful operator: its source subtask, and the upstream keyed subtask. */
export function originOf(v: Tagged): string {
  return v.via === undefined ? `${v.tag}${v.subtask}` : `${v.tag}${v.subtask}>${v.via}`;
}

export const SUM_STATE = 'sum';
export const SEQS_STATE = 'seqs';
export const PAYLOAD_STATE = 'payload';

/** Bytes of a key's payload: 8 to 40, by key. */
function payloadSize(key: string): number {
  return 8 + (mix(key.length * 131 + key.charCodeAt(key.length - 1)) % 5) * 8;
}

/** Called for every record before the function touches state (tests use it to check ownership or to log). */
export type RecordHook = (v: Tagged, ctx: KeyedContext<Tagged>, state: KeyedStateBackend, input: number) => void;

/**
 * Keeps per key a running sum of `seq + 1` (value state), per origin the sequence numbers seen in processing
 * order (map state: origin -> list), and a byte payload (pooled memory, updated in place as the
 * micro-benchmark does) holding the record count and the sum. Forwards each record unchanged.
 */
export class SeqListFunction implements KeyedFunction<Tagged, Tagged> {
  private sum!: ValueState<number>;
  private seqs!: MapState<string, number[]>;
  private payload!: ValueState<Buffer>;
  private state!: KeyedStateBackend;

  constructor(private readonly hook?: RecordHook) {}

  open(state: KeyedStateBackend): void {
    this.state = state;
    this.sum = state.valueState<number>(SUM_STATE);
    this.seqs = state.mapState<string, number[]>(SEQS_STATE);
    this.payload = state.valueState<Buffer>(PAYLOAD_STATE);
  }

  processElement(v: Tagged, ctx: KeyedContext<Tagged>, input: number): void {
    this.hook?.(v, ctx, this.state, input);
    this.sum.update((this.sum.value() ?? 0) + ctx.seq + 1);
    const origin = originOf(v);
    this.seqs.put(origin, [...(this.seqs.get(origin) ?? []), ctx.seq]);
    let bytes = this.payload.value();
    if (bytes === undefined) {
      bytes = this.state.allocBytes(payloadSize(ctx.key as string));
      bytes.fill(0);
    }
    const count = bytes.readUInt32LE(0) + 1;
    bytes.writeUInt32LE(count, 0);
    bytes.writeUInt32LE((bytes.readUInt32LE(4) + ctx.seq + 1) >>> 0, 4);
    bytes.fill(count & 0xff, 8);
    this.payload.update(bytes);
    ctx.collect(v, ctx.key);
  }
}

/** Keeps per key the count and the sum of `seq + 1` (order-free: for an operator downstream of the migrating one). */
export class CountFunction implements KeyedFunction<Tagged, Tagged> {
  private count!: ValueState<number>;
  private sum!: ValueState<number>;

  open(state: KeyedStateBackend): void {
    this.count = state.valueState<number>('count');
    this.sum = state.valueState<number>(SUM_STATE);
  }

  processElement(v: Tagged, ctx: KeyedContext<Tagged>): void {
    this.count.update((this.count.value() ?? 0) + 1);
    this.sum.update((this.sum.value() ?? 0) + ctx.seq + 1);
    ctx.collect(v, ctx.key);
  }
}

/** The upstream keyed operator of a keyed -> keyed job: stamps its subtask into the record and forwards it. */
export class ViaFunction implements KeyedFunction<Tagged, Tagged> {
  processElement(v: Tagged, ctx: KeyedContext<Tagged>): void {
    ctx.collect({ ...v, via: ctx.subtask }, ctx.key);
  }
}

/**
 * The shape of a test job. `single`: sources -> Op; `two-input`: A, B -> Op; `chain`: sources -> Up -> Op
 * (rekeyed); `downstream`: sources -> Op -> Down (rekeyed, counting).
 */
export type JobShape = 'single' | 'two-input' | 'chain' | 'downstream';

export interface TestJobSpec {
  readonly shape: JobShape;
  /** Subtasks of source A (the only source unless two-input). */
  readonly sourceParallelism: number;
  /** Subtasks of source B (two-input only). */
  readonly sourceParallelismB?: number;
  /** Records of source A (and of B, two-input). */
  readonly records: number;
  readonly recordsB?: number;
  /** Records per second of each source, all subtasks together. */
  readonly ratePerSec: number;
  readonly nKeys: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The other keyed operator: upstream (chain) or downstream (downstream). */
  readonly upParallelism?: number;
  readonly upMaxParallelism?: number;
  readonly sink?: boolean;
  /** Wraps every subtask's keyed function of Op (e.g. to log). */
  readonly hook?: RecordHook;
}

/** The operator whose key groups move in every test job. */
export const OP = 'Op';
/** The keyed operator after it in `downstream` jobs. */
export const DOWN = 'Down';

export function testGraph(spec: TestJobSpec): JobGraph {
  const profile = RateProfile.constant(spec.ratePerSec);
  const g = new JobGraph().source<Tagged>('A', { parallelism: spec.sourceParallelism, profile, count: spec.records, create: (s) => new TaggedSource(s, spec.nKeys, 'A') });
  const create = (): KeyedFunction<unknown, unknown> => new SeqListFunction(spec.hook) as KeyedFunction<unknown, unknown>;
  if (spec.shape === 'two-input') {
    g.source<Tagged>('B', { parallelism: spec.sourceParallelismB ?? 1, profile, count: spec.recordsB ?? spec.records, create: (s) => new TaggedSource(s, spec.nKeys, 'B') });
    g.keyed(OP, { parallelism: spec.parallelism, maxParallelism: spec.maxParallelism, inputs: [{ from: 'A' }, { from: 'B' }], create });
  } else if (spec.shape === 'chain') {
    g.keyed('Up', { parallelism: spec.upParallelism ?? 2, maxParallelism: spec.upMaxParallelism ?? 16, inputs: [{ from: 'A' }], create: () => new ViaFunction() as KeyedFunction<unknown, unknown> });
    g.keyed(OP, { parallelism: spec.parallelism, maxParallelism: spec.maxParallelism, inputs: [{ from: 'Up', key: (v) => rekey(v as Tagged, spec.nKeys) }], create });
  } else {
    g.keyed(OP, { parallelism: spec.parallelism, maxParallelism: spec.maxParallelism, inputs: [{ from: 'A' }], create });
  }
  let last = OP;
  if (spec.shape === 'downstream') {
    g.keyed(DOWN, { parallelism: spec.upParallelism ?? 2, maxParallelism: spec.upMaxParallelism ?? 16, inputs: [{ from: OP, key: (v) => rekey(v as Tagged, spec.nKeys) }], create: () => new CountFunction() as KeyedFunction<unknown, unknown> });
    last = DOWN;
  }
  if (spec.sink === true) g.sink('Sink', { parallelism: 1 + (spec.parallelism % 2), from: last });
  return g;
}

/** Every record the sources of `spec` emit, per source tag: `[subtask parallelism, record count]`. */
export function sourcesOf(spec: TestJobSpec): [tag: string, parallelism: number, count: number][] {
  const out: [string, number, number][] = [['A', spec.sourceParallelism, spec.records]];
  if (spec.shape === 'two-input') out.push(['B', spec.sourceParallelismB ?? 1, spec.recordsB ?? spec.records]);
  return out;
}

/** The state of one key: its running sum, per origin the sequence numbers in processing order, its payload (hex). */
export interface KeyState {
  readonly sum: number;
  readonly seqs: Record<string, number[]>;
  readonly payload: string;
}

/** The state of every key of `operator`, read from all subtasks (sorted by key); a key held twice fails. */
export function finalState(job: Job, operator: string): Record<string, KeyState> {
  const out = new Map<Key, KeyState>();
  for (const task of job.keyedTasks(operator)) {
    for (const kg of task.state.ownedKeyGroups()) {
      const sums = new Map(task.state.entries(kg, SUM_STATE));
      const lists = new Map(task.state.entries(kg, SEQS_STATE));
      const payloads = new Map(task.state.entries(kg, PAYLOAD_STATE));
      for (const key of new Set([...sums.keys(), ...lists.keys(), ...payloads.keys()])) {
        assert.ok(!out.has(key), `key ${String(key)} has state in two subtasks (one of them ${task.label}, key group ${kg})`);
        const m = (lists.get(key) as Map<string, number[]> | undefined) ?? new Map<string, number[]>();
        const payload = Buffer.from(payloads.get(key) as Uint8Array).toString('hex');
        out.set(key, { sum: sums.get(key) as number, seqs: Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1))), payload });
      }
    }
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
}

/**
 * The same keys with the same state; on a difference, the first differing key is compared alone (a diff of
 * the whole state would take node's assert minutes to print).
 */
export function assertSameState(actual: Record<string, KeyState>, expected: Record<string, KeyState>, message = 'final state'): void {
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  for (const key of keys) assert.deepEqual(actual[key], expected[key], `${message}: key ${key}`);
}

/**
 * Exactly once and in order, read off the final state: per key and origin the sequence numbers increase,
 * every key's sum matches its lists, and over all keys every record of every source appears once.
 */
export function assertExactlyOnceInOrder(state: Record<string, KeyState>, spec: TestJobSpec): void {
  const seen = new Map<string, Uint8Array>();
  for (const [tag, p, count] of sourcesOf(spec)) seen.set(tag, new Uint8Array(count + p));
  for (const [key, s] of Object.entries(state)) {
    let sum = 0;
    for (const [origin, list] of Object.entries(s.seqs)) {
      for (let i = 1; i < list.length; i++) assert.ok(list[i] > list[i - 1], `key ${key}, origin ${origin}: seq ${list[i]} processed after ${list[i - 1]}`);
      const flags = seen.get(origin[0]) as Uint8Array;
      for (const seq of list) {
        assert.equal(flags[seq], 0, `key ${key}: record seq ${seq} of source ${origin[0]} processed twice`);
        flags[seq] = 1;
        sum += seq + 1;
      }
    }
    assert.equal(s.sum, sum, `key ${key}: running sum`);
    const payload = Buffer.from(s.payload, 'hex');
    const count = Object.values(s.seqs).reduce((n, list) => n + list.length, 0);
    assert.equal(payload.readUInt32LE(0), count, `key ${key}: payload count`);
    assert.equal(payload.readUInt32LE(4), sum >>> 0, `key ${key}: payload sum`);
    assert.ok(payload.subarray(8).every((b) => b === (count & 0xff)), `key ${key}: payload fill`);
  }
  for (const [tag, p, count] of sourcesOf(spec)) {
    const flags = seen.get(tag) as Uint8Array;
    // Source subtask s emits local indices 0..share-1 as seq = index * p + s.
    for (let s = 0; s < p; s++) {
      const share = Math.floor(count / p) + (s < count % p ? 1 : 0);
      for (let i = 0; i < share; i++) assert.equal(flags[i * p + s], 1, `record seq ${i * p + s} of source ${tag} (subtask ${s}, index ${i}) was lost`);
    }
  }
}

/** Every subtask of `operator` holds state for exactly the key groups the job's assignment gives it. */
export function assertStateMatchesAssignment(job: Job, operator: string): void {
  const a = job.assignment(operator);
  for (const task of job.keyedTasks(operator)) {
    assert.deepEqual(task.state.ownedKeyGroups(), a.keyGroupsOf(task.subtask), `${task.label}: key groups with state vs. the assignment`);
  }
}

/** Measured per-key-group rates (records so far) and state bytes, summed over the subtasks. */
export function keyGroupStats(job: Job, operator: string): KeyGroupStats {
  const mp = job.assignment(operator).maxParallelism;
  const rate = new Float64Array(mp);
  const bytes = new Float64Array(mp);
  for (const t of job.keyedTasks(operator)) {
    for (let kg = 0; kg < mp; kg++) {
      rate[kg] += t.recordsPerKeyGroup[kg];
      bytes[kg] += t.state.bytes[kg];
    }
  }
  return { rate, bytes };
}

/** Timer rows and events, as the results files would get them. */
export class Recorder implements TimerSink, JobListener {
  readonly timers: { reconfigId: number; chunk: number; timer: string; startMs: number; durationMs: number }[] = [];
  readonly events: { tsMs: number; event: string; detail: string }[] = [];
  timer(reconfigId: number, chunk: number, timer: string, startMs: number, durationMs: number): void {
    this.timers.push({ reconfigId, chunk, timer, startMs, durationMs });
  }
  onEvent(tsMs: number, event: string, detail: string): void {
    this.events.push({ tsMs, event, detail });
  }
  named(event: string): { tsMs: number; event: string; detail: string }[] {
    return this.events.filter((e) => e.event === event);
  }
}

/** A job on a manual clock with a migration layer attached (or none: the oracle). */
export interface TestRun {
  readonly clock: ManualClock;
  readonly job: Job;
  readonly layer: MigrationLayer | undefined;
  readonly recorder: Recorder;
}

export function startTestJob(spec: TestJobSpec, options: Omit<JobOptions, 'clock' | 'listener'> = {}, migration?: Omit<MigrationLayerOptions, 'operator' | 'timers'>): TestRun {
  const clock = new ManualClock();
  const recorder = new Recorder();
  const job = new Job(testGraph(spec), { ...options, clock, listener: recorder });
  const layer = migration === undefined ? undefined : job.attachMigration({ ...migration, operator: OP, timers: recorder });
  return { clock, job, layer, recorder };
}

/** The same job on the wall clock, to be run by `job.run()` (the scheduler's slices, gaps and spinning). */
export function startWallClockTestJob(spec: TestJobSpec, options: Omit<JobOptions, 'clock' | 'listener'>, migration: Omit<MigrationLayerOptions, 'operator' | 'timers'>): Omit<TestRun, 'clock' | 'layer'> & { layer: MigrationLayer } {
  const recorder = new Recorder();
  const job = new Job(testGraph(spec), { ...options, clock: wallClock, listener: recorder });
  return { job, layer: job.attachMigration({ ...migration, operator: OP, timers: recorder }), recorder };
}

/** Runs a job without migration to its end: the oracle's final state (of `operator`, by default Op). */
export function oracleState(spec: TestJobSpec, options: Omit<JobOptions, 'clock' | 'listener'> = {}): Record<string, KeyState> {
  return oracleStates(spec, options).op;
}

/** The oracle's final states of Op and, in `downstream` jobs, of Down (`countState`). */
export function oracleStates(spec: TestJobSpec, options: Omit<JobOptions, 'clock' | 'listener'> = {}): { op: Record<string, KeyState>; down: Record<string, [count: number, sum: number]> } {
  const run = startTestJob({ ...spec, hook: undefined }, options);
  driveToEnd(run, 1);
  return { op: finalState(run.job, OP), down: spec.shape === 'downstream' ? countState(run.job, DOWN) : {} };
}

/** `key -> [count, sum]` of a CountFunction operator, sorted by key. */
export function countState(job: Job, operator: string): Record<string, [number, number]> {
  const out: [string, [number, number]][] = [];
  for (const task of job.keyedTasks(operator)) {
    for (const kg of task.state.ownedKeyGroups()) {
      const sums = new Map(task.state.entries(kg, SUM_STATE));
      for (const [key, count] of task.state.entries(kg, 'count')) out.push([String(key), [count as number, sums.get(key) as number]]);
    }
  }
  return Object.fromEntries(out.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** One plan of a test: started at `atMs` (elapsed), or as soon after as the previous plan has ended. */
export interface ScheduledPlan {
  readonly atMs: number;
  /** The target owner table, computed from the current one when the plan starts. */
  readonly target: (current: Int32Array) => OwnerTable;
  readonly strategy: Strategy;
}

/** What `driveWithPlans` saw. */
export interface DriveResult {
  /** Elapsed ms at which each plan started. */
  readonly startedMs: number[];
  /** The target of each plan. */
  readonly targets: OwnerTable[];
  /** Settles when every plan has: the reports in plan order. */
  readonly reports: Promise<PlanReport[]>;
}

/**
 * Drives the job in steps of `stepMs` until it is done, starting each plan (a `layer.request` to `mechanism`
 * with the measured statistics and the replicated set so far) at its time or, if the previous one is still
 * running then, right after it. Fails if the job has not ended `limitMs` after its start.
 */
export function driveWithPlans(run: TestRun, plans: readonly ScheduledPlan[], stepMs = 1, limitMs = 120_000, mechanism = 'spacker'): DriveResult {
  const { job, clock } = run;
  const layer = run.layer as MigrationLayer;
  const startedMs: number[] = [];
  const targets: OwnerTable[] = [];
  const promises: Promise<PlanReport>[] = [];
  let next = 0;
  const maybeStart = (): void => {
    while (next < plans.length && layer.status().state === 'idle' && job.elapsedMs() >= plans[next].atMs) {
      const p = plans[next++];
      const current = job.assignment(OP);
      const target = p.target(current.table());
      targets.push(target);
      startedMs.push(job.elapsedMs());
      const request = { target: withTable(current, target), strategy: p.strategy, stats: keyGroupStats(job, OP), previousReplicated: layer.replication.replicatedList() };
      const promise = layer.request(request, mechanism);
      promise.catch(() => undefined); // surfaced through `reports`
      promises.push(promise);
    }
  };
  maybeStart();
  job.runUntilIdle();
  while (!job.done || next < plans.length) {
    if (job.elapsedMs() > limitMs) {
      throw new Error(`the job has not ended after ${limitMs} ms: plans started ${next}/${plans.length}, layer ${JSON.stringify(layer.status())}, sources done ${job.sourcesDone()}`);
    }
    clock.advance(stepMs);
    maybeStart();
    job.runUntilIdle();
  }
  return { startedMs, targets, reports: Promise.all(promises) };
}

/** Drives a job (with or without a layer) until it is done. */
export function driveToEnd(run: TestRun, stepMs = 1, limitMs = 200_000): void {
  run.job.runUntilIdle();
  while (!run.job.done) {
    if (run.job.elapsedMs() > limitMs) throw new Error(`the job has not ended after ${limitMs} ms`);
    run.clock.advance(stepMs);
    run.job.runUntilIdle();
  }
}

/** Owner table as a plain array. */
export function tableOf(a: { table(): Int32Array }): number[] {
  return [...a.table()];
}

/** `a` changed so that its owner table is `table` (tests write targets as tables; the engine takes Assignments). */
export function withTable(a: Assignment, table: ArrayLike<number>): Assignment {
  return a.withMoves(Array.from(table, (to, keyGroup) => ({ keyGroup, to })));
}

/** `current` with the key groups for which `raw[kg] % 2 === 1` moved to `raw[kg] >> 1` mod parallelism. */
export function moveSome(current: ArrayLike<number>, raw: readonly number[], parallelism: number): number[] {
  return Array.from({ length: current.length }, (_, kg: KeyGroupId) => ((raw[kg] & 1) === 1 ? (raw[kg] >> 1) % parallelism : current[kg]));
}

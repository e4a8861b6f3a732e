// Runs a Nexmark query on a ManualClock, with migration plans at chosen times, and returns what reached the
// sink: the streaming side of the tests that compare every query with its batch computation.
import { Job, ManualClock, decodeKeyGroup, planMigration } from '../../engine/src/index.ts';
import type { PlanReport, Strategy } from '../../engine/src/index.ts';
import { buildNexmark, type NexmarkParams } from '../../workloads/src/nexmark/nexmark.ts';

/** A restart reads no strategy field; the request still carries one. */
const RESTART_STRATEGY: Strategy = { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: 1 };

/** A migration started at `atMs` (elapsed), or as soon after as the previous one ended. */
export interface TestPlan {
  readonly atMs: number;
  /** Target owner of each key group, from the current owners. */
  readonly target: (current: Int32Array) => ArrayLike<number>;
  readonly strategy: Strategy;
}

export interface NexmarkRun {
  readonly outputs: unknown[];
  readonly job: Job;
  readonly operator: string;
  readonly totalRecords: number;
  readonly reports: PlanReport[];
  readonly restarts: number;
}

/** Drives the query's job to its end in steps of `stepMs`, starting the plans on the way. */
export async function runNexmark(p: NexmarkParams, plans: readonly TestPlan[] = [], options: { stepMs?: number; checkpointIntervalMs?: number; replicateFilter?: number; channelCapacity?: number; restartAtMs?: number; linkLatencyMs?: number } = {}): Promise<NexmarkRun> {
  const outputs: unknown[] = [];
  const { graph, operator, totalRecords } = buildNexmark(p, (v) => outputs.push(v));
  const clock = new ManualClock();
  const job = new Job(graph, { clock, checkpointIntervalMs: options.checkpointIntervalMs ?? 0, channelCapacity: options.channelCapacity, taskManagers: 2 });
  // Links between the TaskManagers take time (default 80 ms): watermarks move on while state is in transit.
  const link = { bandwidthMBps: 0, latencyMs: options.linkLatencyMs ?? 80 };
  const layer = job.attachMigration({ operator, timers: { timer: () => undefined }, replicateFilter: options.replicateFilter ?? 0, link });
  const promises: Promise<PlanReport>[] = [];
  let next = 0;
  let restarted = 0;
  const maybeStart = (): void => {
    if (options.restartAtMs !== undefined && restarted === 0 && job.elapsedMs() >= options.restartAtMs && layer.status().state === 'idle') {
      restarted++;
      // Every key group to the next subtask.
      const current = job.assignment(operator);
      const moves = [...current.table()].map((o, kg) => ({ keyGroup: kg, to: (o + 1) % p.parallelism }));
      promises.push(layer.request({ target: current.withMoves(moves), strategy: plans[0]?.strategy ?? RESTART_STRATEGY }, 'restart'));
    }
    while (next < plans.length && layer.status().state === 'idle' && job.elapsedMs() >= plans[next].atMs) {
      const plan = plans[next++];
      const current = job.assignment(operator);
      const target = current.withMoves(Array.from(plan.target(current.table()), (to, keyGroup) => ({ keyGroup, to })));
      const stats = { rate: new Float64Array(p.maxParallelism), bytes: new Float64Array(p.maxParallelism) };
      const migration = planMigration({ operator, current, target, strategy: plan.strategy, stats, previousReplicated: layer.replication.replicatedList() });
      promises.push(layer.runPlan(migration));
    }
  };
  const stepMs = options.stepMs ?? 1;
  maybeStart();
  job.runUntilIdle();
  const limitMs = p.runtimeS * 1000 + 120_000;
  while (!job.done || next < plans.length) {
    if (job.elapsedMs() > limitMs) throw new Error(`job not done after ${limitMs} ms (plans started ${next}/${plans.length}, layer ${layer.status().state})`);
    clock.advance(stepMs);
    maybeStart();
    job.runUntilIdle();
  }
  return { outputs, job, operator, totalRecords, reports: await Promise.all(promises), restarts: restarted };
}

/** Results as a sorted list of JSON strings: a multiset, comparable with deepEqual. */
export function multiset(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

/**
 * The operator's final keyed state, per key group, as sorted JSON lines (`table|key|value`, lists sorted as
 * multisets), and a check that every key group lives exactly at its owner in the final assignment.
 */
export function finalState(run: NexmarkRun): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const assignment = run.job.assignment(run.operator);
  for (const task of run.job.keyedTasks(run.operator)) {
    const owned = task.state.ownedKeyGroups();
    const expected = [...assignment.keyGroupsOf(task.subtask)].sort((a, b) => a - b);
    if (JSON.stringify(owned) !== JSON.stringify(expected)) throw new Error(`${task.label} holds key groups ${owned.join(',')}, owns ${expected.join(',')}`);
    for (const kg of owned) {
      const tables = decodeKeyGroup(task.state.snapshotKeyGroup(kg), true);
      const lines: string[] = [];
      for (const [name, table] of tables) for (const [key, value] of table) lines.push(`${name}|${String(key)}|${JSON.stringify(normalize(value))}`);
      if (lines.length > 0) out.set(kg, lines.sort());
    }
  }
  return out;
}

/** Lists as sorted multisets (their order depends on arrival order across inputs), maps as sorted entries. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => JSON.stringify(normalize(x))).sort();
  if (v instanceof Map) return [...v].map(([k, x]) => [k, normalize(x)]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return v;
}

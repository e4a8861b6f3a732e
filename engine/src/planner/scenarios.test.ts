// The scenario programs as data: names, phase timing, strategy changes, targets chained phase to phase, and
// each phase planned end to end with planMigration.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../control/plan.ts';
import { InvalidParameterError } from '../errors.ts';
import { planMigration } from './plan-migration.ts';
import {
  SCENARIOS,
  SCENARIO_NAMES,
  equiShuffle,
  loadBalanceZipf,
  rescale,
  scenarioNamed,
  scenarioTargets,
  selectAffectedTasks,
  strategyAt,
  type ScenarioContext,
} from './scenarios.ts';
import type { Assignment } from '../core/assignment.ts';

const micro: ScenarioContext = { maxParallelism: 1024, parallelism: 8, affectedKeys: 512, affectedTasks: 8, zipfSkew: 1, seed: 12345678 };
const base: Strategy = { order: 'reverse', syncKeys: 0, replicateFilter: 0, hotRatio: 0.01, seed: 99 };

function moved(a: Assignment, b: Assignment): number {
  const y = b.table();
  return a.table().filter((o, kg) => o !== y[kg]).length;
}

/** Each assignment's lists, in order (what a phase hands the next). */
const lists = (as: readonly Assignment[]): number[][][] => as.map((a) => a.lists());

describe('planner > scenarios', () => {
  it('registers exactly the reference scenario names; scenarioNamed lists them for anything else', () => {
    assert.deepEqual(Object.keys(SCENARIOS).sort(), [...SCENARIO_NAMES].sort());
    for (const name of SCENARIO_NAMES) assert.equal(scenarioNamed(name), SCENARIOS[name]);
    assert.throws(
      () => scenarioNamed('profiling'),
      (e: unknown) =>
        e instanceof InvalidParameterError &&
        e.field === 'scenario' &&
        e.message === `invalid value for 'scenario': "profiling"; allowed: shuffle, load_balance, load_balance_zipf, static, dynamic, stock`,
    );
  });

  it('phase timing: static/dynamic at 0, 30 s, 60 s; stock at 0, 10 s, 20 s; the others once at 0', () => {
    const times = Object.fromEntries(SCENARIO_NAMES.map((n) => [n, SCENARIOS[n].map((p) => p.atMs)]));
    assert.deepEqual(times, {
      shuffle: [0],
      load_balance: [0],
      load_balance_zipf: [0],
      static: [0, 30_000, 60_000],
      dynamic: [0, 30_000, 60_000],
      stock: [0, 10_000, 20_000],
    });
  });

  it('shuffle: equiShuffle(affected_keys) over affected_tasks', () => {
    const initial = rescale(1024, 8, 8);
    const [target] = scenarioTargets(SCENARIOS.shuffle, initial, { ...micro, affectedTasks: 4 });
    assert.deepEqual(target.lists(), equiShuffle(initial, 512, selectAffectedTasks(4, 8)).lists());
    assert.equal(moved(initial, target), 512);
  });

  it('static: affected_keys/4, then affected_keys on top, then loadBalanceZipf, all with the configured strategy', () => {
    const initial = rescale(1024, 8, 8);
    const [one, two, three] = scenarioTargets(SCENARIOS.static, initial, { ...micro, affectedKeys: 514 });
    assert.deepEqual(one.lists(), equiShuffle(initial, 128, selectAffectedTasks(8, 8)).lists());
    assert.deepEqual(two.lists(), equiShuffle(one, 514, selectAffectedTasks(8, 8)).lists());
    assert.deepEqual(three.lists(), loadBalanceZipf(two, 1).lists());
    for (let i = 0; i < 3; i++) assert.deepEqual(strategyAt(base, SCENARIOS.static, i), base);
  });

  it('dynamic: same targets as static; strategy changes from phase 2 on, hotRatio and seed kept', () => {
    const initial = rescale(1024, 8, 8);
    assert.deepEqual(lists(scenarioTargets(SCENARIOS.dynamic, initial, micro)), lists(scenarioTargets(SCENARIOS.static, initial, micro)));
    assert.deepEqual(strategyAt(base, SCENARIOS.dynamic, 0), base);
    assert.deepEqual(strategyAt(base, SCENARIOS.dynamic, 1), { order: 'random', syncKeys: 8, replicateFilter: 2, hotRatio: 0.01, seed: 99 });
    assert.deepEqual(strategyAt(base, SCENARIOS.dynamic, 2), { order: 'default', syncKeys: 8, replicateFilter: 2, hotRatio: 0.01, seed: 99 });
  });

  it('dynamic planned end to end: every phase gives a valid plan; phases 2 and 3 in chunks of 8 per source', () => {
    const initial = rescale(1024, 8, 8);
    const stats = { rate: Array.from({ length: 1024 }, (_, kg) => 1 / (kg + 1)), bytes: new Array<number>(1024).fill(0) };
    let current: Assignment = initial;
    let replicated: readonly number[] = [];
    const chunks: number[] = [];
    scenarioTargets(SCENARIOS.dynamic, initial, micro).forEach((target, i) => {
      const plan = planMigration({
        operator: 'Splitter FlatMap',
        current,
        target,
        strategy: strategyAt({ ...base, order: 'default', hotRatio: 0 }, SCENARIOS.dynamic, i),
        stats,
        previousReplicated: replicated,
      });
      chunks.push(plan.chunks.length);
      replicated = plan.replicated;
      current = target;
    });
    // Phase 1 all at once; phase 2: 64 per source → 8 chunks. Before phase 3 task 0 holds 80..127 and
    // 896..975; it keeps 80..113 (cumulative mass closest to the target) and moves 94 → 12 chunks.
    assert.deepEqual(chunks, [1, 8, 12]);
    assert.equal(replicated.length, 512);
  });

  it('stock: rescale 16 → 4 → 8 → 6 over 16 physical subtasks', () => {
    const ctx = { ...micro, maxParallelism: 64, parallelism: 16 };
    const targets = scenarioTargets(SCENARIOS.stock, rescale(64, 16, 16), ctx);
    assert.deepEqual(lists(targets), lists([rescale(64, 16, 4), rescale(64, 16, 8), rescale(64, 16, 6)]));
    assert.deepEqual(targets.map((t) => t.lists().filter((l) => l.length > 0).length), [4, 8, 6]);
  });

  it('load_balance and load_balance_zipf run their generators', () => {
    const [lb] = scenarioTargets(SCENARIOS.load_balance, rescale(16, 2, 2), { ...micro, maxParallelism: 16, parallelism: 2 });
    assert.deepEqual(lb.lists()[0], [0, 1]);
    const [zipf] = scenarioTargets(SCENARIOS.load_balance_zipf, rescale(1024, 8, 8), micro);
    assert.deepEqual(zipf.lists()[0], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('scenarios do not modify the initial assignment or the context', () => {
    const initial = rescale(1024, 8, 8);
    const ctx = Object.freeze({ ...micro });
    for (const name of ['shuffle', 'load_balance_zipf', 'static', 'dynamic'] as const) scenarioTargets(SCENARIOS[name], initial, ctx);
    const sixteen = rescale(1024, 16, 16);
    scenarioTargets(SCENARIOS.stock, sixteen, { ...ctx, parallelism: 16 });
    assert.deepEqual(initial.lists(), rescale(1024, 8, 8).lists());
    assert.deepEqual(sixteen.lists(), rescale(1024, 16, 16).lists());
  });
});

// planMigration: the micro-benchmark shuffle (512 of 1024 key groups over 8 of 8 tasks) with sync_keys 0, 1, 8,
// golden plans kept as JSON in fixtures/ (regenerate with SPACKER_UPDATE_FIXTURES=1 after checking the diff),
// validation errors and purity.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MigrationPlan, Strategy } from '../control/plan.ts';
import { InvalidConfigError, InvalidPlanError } from '../errors.ts';
import { Assignment } from '../core/assignment.ts';
import { planMigration, type PlanInput } from './plan-migration.ts';
import { equiShuffle, loadBalance, rescale, selectAffectedTasks } from './scenarios.ts';

const base: Strategy = { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: 12345678 };

function deepFreeze<T>(value: T): T {
  if (value instanceof Assignment) return value; // immutable already
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** JSON with 2-space indentation, arrays of numbers and objects of scalars kept on one line. */
function formatJson(value: unknown, indent: string): string {
  const flat = (v: unknown) => v === null || typeof v !== 'object';
  if (flat(value)) return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every(flat)) return JSON.stringify(value).replaceAll(',', ', ');
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as object);
  if (entries.every(([, v]) => flat(v))) return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** Input that moves `initial` to `target`. */
function inputFor(operator: string, initial: Assignment, target: Assignment, strategy: Partial<Strategy>, extra: Partial<PlanInput> = {}): PlanInput {
  return { operator, current: initial, target, strategy: { ...base, ...strategy }, ...extra };
}

/** How the golden files keep an input: owner tables and the parallelism (their format predates Assignment). */
type GoldenInput = Omit<PlanInput, 'current' | 'target'> & { current: number[]; target: number[]; parallelism: number };

function toGolden(input: PlanInput): GoldenInput {
  const { operator, current, target, ...rest } = input;
  return { operator, current: Array.from(current.table()), target: Array.from(target.table()), parallelism: current.parallelism, ...rest };
}

/** The assignment whose owner table is `owner`. */
const ofTable = (owner: readonly number[], parallelism: number): Assignment =>
  Assignment.initial(owner.length, parallelism).withMoves(owner.map((to, keyGroup) => ({ keyGroup, to })));

function fromGolden(golden: GoldenInput): PlanInput {
  const { current, target, parallelism, ...rest } = golden;
  return { ...rest, current: ofTable(current, parallelism), target: ofTable(target, parallelism) };
}

/** Replays the plan chunk by chunk with the fluid update and returns the final owner table. */
function replay(initial: Assignment, plan: MigrationPlan): number[] {
  let assignment = initial;
  for (const chunk of plan.chunks) assignment = assignment.withMoves(chunk.moves);
  return Array.from(assignment.table());
}

const micro = rescale(1024, 8, 8);
const microTarget = equiShuffle(micro, 512, selectAffectedTasks(8, 8));

/** Golden cases: name → input. */
const GOLDEN: Record<string, () => PlanInput> = {
  'equi-shuffle-mp16-p4-default-sync1': () =>
    inputFor('Splitter FlatMap', rescale(16, 4, 4), equiShuffle(rescale(16, 4, 4), 8, [0, 1, 2, 3]), { syncKeys: 1, replicateFilter: 4 }),
  'equi-shuffle-mp32-p4-random-seed42-sync2': () =>
    inputFor('Splitter FlatMap', rescale(32, 4, 4), equiShuffle(rescale(32, 4, 4), 20, [0, 1, 2, 3]), { order: 'random', seed: 42, syncKeys: 2, replicateFilter: 2 }),
  'load-balance-mp16-p2-hot-first-sync4': () =>
    inputFor('Splitter FlatMap', rescale(16, 2, 2), loadBalance(rescale(16, 2, 2)), { order: 'hot-first', syncKeys: 4, hotRatio: 0.125 }, {
      stats: { rate: [9, 8, 1, 7, 2, 6, 3, 5, 0, 0, 0, 0, 0, 0, 0, 4], bytes: new Array<number>(16).fill(1024) },
      previousReplicated: [15],
    }),
};

describe('planner > plan-migration', () => {
  it('shuffle of 512 key groups over 8 of 8 tasks: sync_keys 0, 1, 8 give 1, 64, 8 chunks', () => {
    for (const [syncKeys, chunks, perChunk] of [[0, 1, 512], [1, 64, 8], [8, 8, 64]]) {
      const input = inputFor('Splitter FlatMap', micro, microTarget, { syncKeys });
      const plan = planMigration(input);
      assert.equal(plan.chunks.length, chunks);
      plan.chunks.forEach((chunk, seq) => {
        assert.equal(chunk.seq, seq);
        assert.equal(chunk.moves.length, perChunk);
        // Every source task contributes equally to every chunk (each gives 64 key groups).
        assert.equal(new Set(chunk.moves.map((m) => m.from)).size, 8);
      });
      assert.deepEqual(replay(micro, plan), Array.from(input.target.table()));
    }
  });

  it('orders within each source and lists sources in ascending order (hand-worked mp 16, p 4)', () => {
    const plan = planMigration(GOLDEN['equi-shuffle-mp16-p4-default-sync1']());
    const chunk = (kgs: number[], seq: number) => ({ seq, moves: kgs.map((kg) => ({ keyGroup: kg, from: kg >> 2, to: ((kg >> 2) + 1) % 4 })) });
    assert.deepEqual(plan.chunks, [chunk([0, 4, 8, 12], 0), chunk([1, 5, 9, 13], 1)]);
    assert.deepEqual(plan.replicated, [0, 4, 8, 12]);
    const reversed = planMigration({ ...GOLDEN['equi-shuffle-mp16-p4-default-sync1'](), strategy: { ...base, order: 'reverse', syncKeys: 1 } });
    assert.deepEqual(reversed.chunks, [chunk([1, 5, 9, 13], 0), chunk([0, 4, 8, 12], 1)]);
  });

  it('random order: each source shuffled as Java does with Random(42) (Collections.shuffle of 5 ids: [1, 2, 3, 4, 0])', () => {
    const plan = planMigration(GOLDEN['equi-shuffle-mp32-p4-random-seed42-sync2']());
    const kgs = plan.chunks.map((c) => c.moves.map((m) => m.keyGroup));
    assert.deepEqual(kgs, [[1, 2, 9, 10, 17, 18, 25, 26], [3, 4, 11, 12, 19, 20, 27, 28], [0, 8, 16, 24]]);
  });

  it('equal current and target give a plan with no chunks (replicated set still computed)', () => {
    const plan = planMigration({ operator: 'op', current: micro, target: micro, strategy: { ...base, replicateFilter: 256 } });
    assert.deepEqual(plan, { operator: 'op', strategy: { ...base, replicateFilter: 256 }, replicated: [0, 256, 512, 768], chunks: [] });
  });

  for (const [name, build] of Object.entries(GOLDEN)) {
    it(`golden plan ${name}`, () => {
      const path = fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url));
      const input = build();
      const plan = planMigration(input);
      if (process.env.SPACKER_UPDATE_FIXTURES === '1') writeFileSync(path, formatJson({ input: toGolden(input), plan }, '') + '\n');
      const golden = JSON.parse(readFileSync(path, 'utf8')) as { input: GoldenInput; plan: MigrationPlan };
      assert.deepEqual(JSON.parse(JSON.stringify(toGolden(input))), golden.input);
      assert.deepEqual(plan, golden.plan);
      assert.deepEqual(planMigration(fromGolden(golden.input)), golden.plan);
    });
  }

  it('assignments over different key groups or subtasks throw InvalidPlanError', () => {
    const input = inputFor('op', rescale(16, 4, 4), rescale(16, 4, 2), {});
    assert.throws(() => planMigration({ ...input, target: Assignment.initial(17, 4) }), /target assignment covers 17 key groups; the current one covers 16/);
    assert.throws(() => planMigration({ ...input, target: Assignment.initial(16, 5) }), (e: unknown) =>
      e instanceof InvalidPlanError && e.message === 'target assignment has 5 subtasks; the current one has 4');
  });

  it('strategy errors surface as InvalidConfigError / InvalidPlanError', () => {
    const input = inputFor('op', rescale(16, 4, 4), rescale(16, 4, 2), {});
    assert.throws(() => planMigration({ ...input, strategy: { ...base, order: 'hottest' as Strategy['order'] } }), InvalidConfigError);
    assert.throws(() => planMigration({ ...input, strategy: { ...base, syncKeys: -1 } }), InvalidConfigError);
    assert.throws(() => planMigration({ ...input, strategy: { ...base, order: 'cold-first' } }), /'cold-first' needs measured/);
  });

  it('does not modify its input, and the plan shares no arrays with it', () => {
    const input = deepFreeze(GOLDEN['load-balance-mp16-p2-hot-first-sync4']());
    const plan = planMigration(input);
    assert.notEqual(plan.strategy, input.strategy);
    assert.notEqual(plan.replicated, input.previousReplicated);
    assert.deepEqual(plan.replicated, [0, 1, 15]);
    assert.deepEqual(plan.chunks.map((c) => c.moves.map((m) => m.keyGroup)), [[3, 5, 7, 6], [4, 2]]);
  });
});

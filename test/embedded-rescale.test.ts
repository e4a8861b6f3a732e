// Scenario `rescale` on the embedded engine (issue 18): the micro-benchmark deployed with max(p, q) subtasks,
// starting on Flink's contiguous key-group ranges over p, migrates exactly the key groups whose Flink range
// changes for q; its total input rate is the Flink job's; its final state equals a run without migration;
// bad targets are refused naming spacker.reconfig.target_parallelism. On a manual clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Job, ManualClock, affectedKeyGroups, operatorIndexOf, scenarioTargets, type KeyedVertex, type SourceVertex } from '../engine/src/index.ts';
import { parseSetArgs } from '../experiments/src/config/parse.ts';
import { resolveConfig, type ResolvedConfig } from '../experiments/src/config/resolve.ts';
import { buildMicroJob } from '../experiments/src/jobs/micro-benchmark.ts';
import { buildStockJob } from '../experiments/src/jobs/stock.ts';
import { microBenchmarkOnFlink } from '../experiments/src/flink/jobs/micro-benchmark.ts';
import { scheduledPerKey } from '../experiments/src/flink/flink-results.ts';
import { migrationSetup, TimerLog } from '../experiments/src/run/migration-setup.ts';
import { drive } from '../engine/test/helpers/manual-job.ts';

const OP = 'Splitter FlatMap';

function config(p: number, q: number, sets: string[] = []): ResolvedConfig {
  return resolveConfig([parseSetArgs([
    'spector.reconfig.scenario=rescale', `spacker.parallelism=${p}`, `spacker.reconfig.target_parallelism=${q}`, 'spacker.max_parallelism=128',
    'spacker.runtime=2', 'spacker.rate.per_task=300', 'spacker.workload.n_keys=512', 'spacker.workload.per_key_size=64', 'spacker.workload.state_access_ratio=50',
    'spacker.checkpoint.interval=0', 'spector.reconfig.start=1000', ...sets,
  ])]);
}

/** Flink's owner of every key group for parallelism p (KeyGroupRangeAssignment), computed on its own. */
const flinkOwners = (maxP: number, p: number): number[] => Array.from({ length: maxP }, (_, kg) => operatorIndexOf(kg, maxP, p));

describe('test > embedded rescale: the key-group moves Flink implies', () => {
  for (const [p, q] of [[8, 12], [12, 8], [2, 4]]) {
    it(`${p} -> ${q} over 128 key groups: ${Math.max(p, q)} subtasks, Flink's ranges over ${p} first, the moves = the two range assignments' difference`, () => {
      const c = config(p, q);
      const built = buildMicroJob(c, 'micro-benchmark');
      const vertex = built.graph.get(OP) as KeyedVertex;
      assert.equal(vertex.parallelism, Math.max(p, q));
      const job = new Job(built.graph, { clock: new ManualClock() });
      const initial = job.assignment(OP);
      assert.deepEqual([...initial.table()], flinkOwners(128, p));
      const setup = migrationSetup(c, built.graph);
      const controller = setup.controller ?? assert.fail('a controller');
      assert.equal(controller.phases.length, 1);
      assert.equal(controller.startMs, 1000);
      const [target] = scenarioTargets(controller.phases, initial, controller.context);
      assert.deepEqual([...target.table()], flinkOwners(128, q));
      const moves = affectedKeyGroups(initial, target).flat().sort((a, b) => a - b);
      const expected = flinkOwners(128, p).flatMap((owner, kg) => (owner === flinkOwners(128, q)[kg] ? [] : [kg]));
      assert.deepEqual(moves, expected);
      assert.ok(moves.length > 0 && moves.length < 128);
    });
  }

  it("the total input rate is the Flink job's: spacker.rate.per_task per subtask of spacker.parallelism, before and after", () => {
    for (const [p, q] of [[2, 4], [12, 8]]) {
      const c = config(p, q);
      const source = buildMicroJob(c, 'micro-benchmark').graph.get('Source') as SourceVertex;
      // Embedded: the source's records over the run; Flink: what its sources schedule (flink-results.ts).
      const flinkScheduled = [...scheduledPerKey({ ...microBenchmarkOnFlink.params(c), perTaskRate: 300 } as never).values()].reduce((a, b) => a + b, 0);
      assert.equal(source.count, 300 * p * 2);
      assert.equal(flinkScheduled, source.count);
      // The Flink job's arguments at either parallelism: rate per task x parallelism = 300 x p.
      for (const at of [p, q]) {
        const args = microBenchmarkOnFlink.args(c, at, p);
        const value = (k: string): number => Number(args[args.indexOf(`--${k}`) + 1]);
        assert.equal(value('spacker.parallelism'), at);
        assert.ok(Math.abs(value('spacker.rate.per_task') * at - 300 * p) < 1e-9, `Flink at ${at}: ${value('spacker.rate.per_task')} x ${at}`);
      }
    }
  });
});

describe('test > embedded rescale: a run ends in the state of a run without migration', () => {
  /** The job run to its end on a manual clock; its final key group -> state bytes. */
  function run(c: ResolvedConfig): { job: Job; state: Map<number, Buffer> } {
    const built = buildMicroJob(c, 'micro-benchmark');
    const clock = new ManualClock();
    const job = new Job(built.graph, { clock });
    job.attachMigration({ ...migrationSetup(c, built.graph), timers: new TimerLog() });
    drive(job, clock, 1);
    const state = new Map<number, Buffer>();
    for (const t of job.keyedTasks(OP)) for (const kg of t.state.ownedKeyGroups()) state.set(kg, Buffer.from(t.state.snapshotKeyGroup(kg)));
    return { job, state };
  }

  for (const [p, q, strategy] of [[2, 4, 'spector.reconfig.sync_keys=1'], [4, 2, 'spector.reconfig.sync_keys=0']] as const) {
    it(`${p} -> ${q} (${strategy}): every record once, every key group's state as without migration, owned by Flink's range over ${q}`, () => {
      const migrated = run(config(p, q, [strategy]));
      const plain = run(config(p, q, ['spector.reconfig.scenario=none', 'spector.reconfig.affected_keys=0', 'spector.reconfig.affected_tasks=1']));
      assert.equal(migrated.job.processedRecords(), 300 * p * 2);
      assert.equal(plain.job.processedRecords(), migrated.job.processedRecords());
      assert.deepEqual([...migrated.state.keys()].sort((a, b) => a - b), [...plain.state.keys()].sort((a, b) => a - b));
      for (const [kg, bytes] of plain.state) assert.equal(Buffer.compare(bytes, migrated.state.get(kg) as Buffer), 0, `key group ${kg}`);
      assert.deepEqual([...migrated.job.assignment(OP).table()], flinkOwners(128, q));
      const subtasks = migrated.job.keyedTasks(OP).map((t) => t.state.ownedKeyGroups().length > 0);
      assert.deepEqual(subtasks, Array.from({ length: Math.max(p, q) }, (_, s) => s < q), `subtasks 0..${q - 1} hold key groups, the others none`);
    });
  }
});

describe('test > embedded rescale: bad targets name the key', () => {
  const refused = (c: ResolvedConfig, pattern: RegExp): void => {
    assert.throws(() => migrationSetup(c, buildMicroJob(c, 'micro-benchmark').graph), pattern);
  };
  it('unset (0), equal to spacker.parallelism, above spacker.max_parallelism', () => {
    const allowed = /spacker\.reconfig\.target_parallelism.*a parallelism from 1 to spacker\.max_parallelism \(128\) other than spacker\.parallelism \(4\), for scenario rescale/;
    refused(config(4, 0), allowed);
    refused(config(4, 4), allowed);
    refused(config(4, 129, ['spacker.max_parallelism=128']), allowed);
  });

  it('a scale-out of a job that deploys only spacker.parallelism subtasks', () => {
    const c = resolveConfig([parseSetArgs(['spector.reconfig.scenario=rescale', 'spacker.parallelism=2', 'spacker.reconfig.target_parallelism=4', 'spector.reconfig.start=1000'])]);
    assert.throws(() => migrationSetup(c, buildStockJob(c).graph), /spacker\.reconfig\.target_parallelism.*at most 2: this job deploys 2 subtasks of 'Splitter FlatMap'/);
  });
});

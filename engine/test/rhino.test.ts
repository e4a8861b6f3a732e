// Scenario tests of Rhino on this engine: every key group is replicated at every checkpoint, one handover
// moves every key group, and the origin ships only what changed since the last replica, so Rhino ships fewer
// bytes than Spacker's all-at-once with the same replicas (which ships dirty key groups whole) and than
// without replicas; the final state is the run without migration's, every record once and in order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../src/control/plan.ts';
import { REFERENCE_SEED } from '../src/planner/scenarios.ts';
import {
  assertExactlyOnceInOrder,
  assertSameState,
  assertStateMatchesAssignment,
  driveWithPlans,
  finalState,
  moveSome,
  OP,
  oracleState,
  startTestJob,
  tableOf,
  type TestJobSpec,
} from './helpers/migration-job.ts';

const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 800, ratePerSec: 2000, nKeys: 300, parallelism: 4, maxParallelism: 32 };
const options = { taskManagers: 2, checkpointIntervalMs: 10 };
const link = { bandwidthMBps: 0, latencyMs: 5 };
const ALL_AT_ONCE: Strategy = { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: REFERENCE_SEED };

/** Deterministic bytes for picking a target. */
function raw(n = 256): number[] {
  let x = 7;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) & 0xff;
  });
}

function migrate(mechanism: 'rhino' | 'spacker', replicateFilter: number) {
  const run = startTestJob(spec, options, { link, mechanism, replicateFilter });
  const target = moveSome(tableOf(run.job.assignment(OP)), raw(), spec.parallelism);
  const result = driveWithPlans(run, [{ atMs: 100, strategy: { ...ALL_AT_ONCE, replicateFilter }, target: () => target }], 1, 120_000, mechanism);
  return { run, result };
}

describe('migration > rhino', () => {
  it('ships only the change since the last replica: fewer bytes than whole dirty key groups, one handover, state as without migration', async (t) => {
    const rhino = migrate('rhino', 0);
    const [report] = await rhino.result.reports;
    const spacker = migrate('spacker', 1);
    const [spackerReport] = await spacker.result.reports;
    const plain = migrate('spacker', 0);
    const [plainReport] = await plain.result.reports;

    t.diagnostic(`bytes shipped: rhino ${report.bytes}, spacker all-at-once with replicas ${spackerReport.bytes}, without ${plainReport.bytes}`);
    assert.equal(report.chunks, 1, 'one handover');
    assert.equal(report.keyGroups, spackerReport.keyGroups);
    assert.ok(rhino.run.layer !== undefined && rhino.run.layer.replication.snapshots > 0, 'every key group replicated at checkpoints although none was asked for');
    assert.ok(report.replicaRestores > 0, 'clean key groups restored from their replicas');
    assert.ok(report.bytes > 0, 'changed key groups ship their change');
    assert.ok(report.bytes < spackerReport.bytes, `bytes: rhino ${report.bytes}, spacker all-at-once with replicas ${spackerReport.bytes}`);
    assert.ok(spackerReport.bytes < plainReport.bytes, `bytes: spacker with replicas ${spackerReport.bytes}, without ${plainReport.bytes}`);

    const expected = oracleState(spec, options);
    for (const r of [rhino.run, spacker.run]) {
      const state = finalState(r.job, OP);
      assertExactlyOnceInOrder(state, spec);
      assertSameState(state, expected);
      assertStateMatchesAssignment(r.job, OP);
    }
  });
});

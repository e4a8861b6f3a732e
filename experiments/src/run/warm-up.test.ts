// The warm-up before a measured run: the tiny version of the run's own job and migration runs to its end on a
// manual clock (a live migration with replication, the dynamic scenario's three phases, the restart baseline)
// without touching the disk; a job it cannot build is returned as the reason, not thrown.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../config/resolve.ts';
import { parseSetArgs } from '../config/parse.ts';
import { buildMicroJob } from '../jobs/micro-benchmark.ts';
import { warmUp } from './warm-up.ts';
import type { BuiltJob } from './run-job.ts';

describe('warm-up', () => {
  for (const [sets, migrations] of [
    [['spector.reconfig.sync_keys=1', 'spector.replicate_keys_filter=2'], 1],
    [['spector.reconfig.sync_keys=0', 'spector.reconfig.scenario=dynamic'], 3],
    [['spacker.strategy=restart'], 1],
  ] as [string[], number][]) {
    it(`runs the tiny job with its migration to the end (${sets.join(', ')})`, () => {
      const config = resolveConfig([parseSetArgs(sets)]);
      const built: BuiltJob[] = [];
      const r = warmUp(config, (c) => {
        const b = buildMicroJob(c, 'micro-benchmark');
        built.push(b);
        return b;
      });
      assert.ok(!('skipped' in r), JSON.stringify(r));
      assert.deepEqual([r.done, r.migrations], [true, migrations]);
      assert.equal(built.length, 1);
      assert.ok(built[0].totalRecords > 0 && built[0].totalRecords <= 8 * 400, String(built[0].totalRecords));
    });
  }

  it('a job that cannot be built is returned as the reason, not thrown', () => {
    const r = warmUp(resolveConfig([]), () => {
      throw new Error('no such operator');
    });
    assert.deepEqual(r, { skipped: 'no such operator' });
  });
});

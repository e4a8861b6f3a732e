// The warm-up before a measured run: the tiny version of the run's own job and migration runs to its end on a
// manual clock (a live migration with replication, and the restart baseline), in well under a second, without
// touching the disk; a configuration it cannot shrink is reported in one line and the run goes on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../config/resolve.ts';
import { parseSetArgs } from '../config/parse.ts';
import { buildMicroJob } from '../jobs/micro-benchmark.ts';
import { warmUp } from './warm-up.ts';
import type { BuiltJob } from './run-job.ts';

function captureErrors<T>(f: () => T): { value: T; errors: string[] } {
  const errors: string[] = [];
  const saved = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  try {
    return { value: f(), errors };
  } finally {
    console.error = saved;
  }
}

describe('warm-up', () => {
  for (const [sets, migrations] of [
    [['spector.reconfig.sync_keys=1', 'spector.replicate_keys_filter=2'], 1],
    [['spector.reconfig.sync_keys=0', 'spector.reconfig.scenario=dynamic'], 3],
    [['spacker.strategy=restart'], 1],
  ] as [string[], number][]) {
    it(`runs the tiny job with its migration to the end (${sets.join(', ')})`, () => {
      const config = resolveConfig([parseSetArgs(sets)]);
      const built: BuiltJob[] = [];
      const t0 = performance.now();
      const { value, errors } = captureErrors(() => warmUp(config, (c) => {
        const b = buildMicroJob(c, 'micro-benchmark');
        built.push(b);
        return b;
      }));
      assert.deepEqual(errors, []);
      assert.deepEqual(value, { done: true, migrations });
      assert.equal(built.length, 1);
      assert.ok(built[0].totalRecords > 0 && built[0].totalRecords <= 8 * 400, String(built[0].totalRecords));
      assert.ok(performance.now() - t0 < 20_000);
    });
  }

  it('a job that cannot be built is reported in one line, not thrown', () => {
    const config = resolveConfig([]);
    const { errors } = captureErrors(() => warmUp(config, () => {
      throw new Error('no such operator');
    }));
    assert.deepEqual(errors, ['warm-up skipped: no such operator']);
  });
});

// The replicated set (reference 1.5): modular filter, hottest fraction, growth only, validation messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyGroupStats } from '../control/plan.ts';
import { InvalidConfigError, InvalidParameterError, InvalidPlanError } from '../errors.ts';
import { hottestKeyGroups, replicatedSet } from './replication.ts';

const range = (n: number, from = 0, step = 1): number[] => Array.from({ length: n }, (_, i) => from + i * step);
/** Rates of 16 key groups: 3, 9 and 12 are the hottest (9 and 12 tie), then 0. */
const stats: KeyGroupStats = {
  rate: [5, 1, 1, 50, 1, 1, 1, 1, 1, 70, 1, 1, 70, 1, 1, 1],
  bytes: new Array<number>(16).fill(0),
};

describe('planner > replication', () => {
  it('filter 1, 2, 4, 8 replicate 100 %, 50 %, 25 %, 12.5 %; 0 nothing', () => {
    assert.deepEqual(replicatedSet(16, 1, 0, undefined, []), range(16));
    assert.deepEqual(replicatedSet(16, 2, 0, undefined, []), range(8, 0, 2));
    assert.deepEqual(replicatedSet(16, 4, 0, undefined, []), [0, 4, 8, 12]);
    assert.deepEqual(replicatedSet(16, 8, 0, undefined, []), [0, 8]);
    assert.deepEqual(replicatedSet(16, 0, 0, undefined, []), []);
    assert.equal(replicatedSet(1024, 2, 0, undefined, []).length, 512);
  });

  it('hotRatio adds the ceil(ratio × maxParallelism) hottest key groups, ties by ascending id', () => {
    assert.deepEqual(hottestKeyGroups(stats, 16, 3), [9, 12, 3]);
    assert.deepEqual(replicatedSet(16, 0, 0.125, stats, []), [9, 12]);
    assert.deepEqual(replicatedSet(16, 0, 0.1, stats, []), [9, 12]); // ceil(1.6) = 2
    assert.deepEqual(replicatedSet(16, 0, 0.25, stats, []), [0, 3, 9, 12]);
    assert.deepEqual(replicatedSet(16, 8, 0.125, stats, []), [0, 8, 9, 12]);
    assert.deepEqual(replicatedSet(10, 0, 0.3, { rate: range(10), bytes: range(10) }, []), [7, 8, 9]); // 0.3 × 10 is 3, not 4
    assert.deepEqual(replicatedSet(16, 0, 1, stats, []), range(16));
  });

  it('only grows: previous key groups stay, and growing the filter adds to them', () => {
    const first = replicatedSet(16, 8, 0, undefined, []);
    const second = replicatedSet(16, 4, 0, undefined, first);
    const third = replicatedSet(16, 0, 0, undefined, [...second, 5]);
    assert.deepEqual(second, [0, 4, 8, 12]);
    assert.deepEqual(third, [0, 4, 5, 8, 12]);
    assert.deepEqual(replicatedSet(16, 8, 0, undefined, [15, 3, 3]), [0, 3, 8, 15]);
  });

  it('a negative or fractional filter throws InvalidConfigError naming the key', () => {
    assert.throws(
      () => replicatedSet(16, -2, 0, undefined, []),
      (e: unknown) =>
        e instanceof InvalidParameterError &&
        e.field === 'replicateFilter' &&
        e.message === `invalid value for 'replicateFilter': -2; allowed: an integer >= 0 (0 = no replication)`,
    );
    assert.throws(() => replicatedSet(16, 0.5, 0, undefined, []), InvalidConfigError);
  });

  it('a hotRatio outside [0, 1] throws InvalidConfigError', () => {
    for (const ratio of [-0.1, 1.5, NaN]) {
      assert.throws(() => replicatedSet(16, 0, ratio, stats, []), (e: unknown) => e instanceof InvalidConfigError && e.message.includes(`'hotRatio'`));
    }
  });

  it('hotRatio > 0 without stats, or stats too short, throws InvalidPlanError', () => {
    assert.throws(() => replicatedSet(16, 0, 0.5, undefined, []), (e: unknown) => e instanceof InvalidPlanError && /hotRatio 0\.5 needs measured/.test(e.message));
    assert.throws(() => replicatedSet(32, 0, 0.5, stats, []), /measured rates cover 16 key groups; expected 32/);
  });

  it('a previous key group out of range throws InvalidPlanError', () => {
    assert.throws(() => replicatedSet(16, 0, 0, undefined, [16]), /previously replicated key group 16 is not in 0\.\.15/);
  });

  it('does not modify its inputs', () => {
    const previous = Object.freeze([7, 1]);
    const frozen = Object.freeze({ rate: Object.freeze([...stats.rate as number[]]), bytes: Object.freeze([...stats.bytes as number[]]) });
    assert.deepEqual(replicatedSet(16, 8, 0.125, frozen, previous), [0, 1, 7, 8, 9, 12]);
    assert.deepEqual(previous, [7, 1]);
  });
});

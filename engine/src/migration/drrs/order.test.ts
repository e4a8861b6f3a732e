import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EMERGENCY_RATIO, nextPull, normalized, type PullCandidate } from './order.ts';

const c = (keyGroup: number, stateBytes: number, waitingRecords = 0, waitingMs = 0): PullCandidate => ({ keyGroup, stateBytes, waitingRecords, waitingMs });

describe('migration > drrs > pull order', () => {
  it('nothing to pull: -1', () => {
    assert.equal(nextPull([], 0), -1);
  });

  it('nothing waits: the smallest state first, ties to the lowest key group', () => {
    assert.equal(nextPull([c(4, 300), c(2, 100), c(9, 200)], 0), 2);
    assert.equal(nextPull([c(7, 100), c(3, 100), c(9, 200)], 0.5), 3);
  });

  it('the buffer at least 90 % full: the smallest state, whatever waits', () => {
    const candidates = [c(1, 1000, 50, 900), c(2, 10, 0, 0), c(3, 500, 5, 10)];
    assert.equal(nextPull(candidates, EMERGENCY_RATIO), 2);
    assert.equal(nextPull(candidates, 1), 2);
    // Below the ratio the score decides: key group 1 waited longest and has most records per byte.
    assert.equal(nextPull(candidates, 0.89), 1);
  });

  it('otherwise the highest 0.5 x normalized waiting time + 0.5 x normalized records per byte', () => {
    // waiting: 100, 0, 50 -> 1, 0, 0.5; efficiency: 10/100=0.1, 0/10=0, 40/100=0.4 -> 0.25, 0, 1.
    // scores: 0.625, 0, 0.75.
    assert.equal(nextPull([c(1, 100, 10, 100), c(2, 10, 0, 0), c(3, 100, 40, 50)], 0.5), 3);
    // waiting 300 instead: 1, 0, 1/6; scores 0.625, 0, 0.583.
    assert.equal(nextPull([c(1, 100, 10, 300), c(2, 10, 0, 0), c(3, 100, 40, 50)], 0.5), 1);
    // A key group without state counts as one byte (no division by zero).
    assert.equal(nextPull([c(1, 0, 1, 1), c(2, 1000, 1, 1)], 0), 1);
  });

  it('min-max normalization: [0, 1], all 1 when the values are equal (the artifact\'s rule)', () => {
    assert.deepEqual(normalized([2, 4, 6]), [0, 0.5, 1]);
    assert.deepEqual(normalized([5, 5]), [1, 1]);
  });

  it('property: the choice is a candidate; with nothing waiting or an emergency it has the smallest state', () => {
    const arb = fc.uniqueArray(fc.record({ keyGroup: fc.nat(100), stateBytes: fc.nat(10_000), waitingRecords: fc.nat(50), waitingMs: fc.double({ min: 0, max: 1000, noNaN: true }) }), { minLength: 1, maxLength: 20, selector: (x) => x.keyGroup });
    fc.assert(
      fc.property(arb, fc.double({ min: 0, max: 1, noNaN: true }), (cands, fill) => {
        const kg = nextPull(cands, fill);
        const chosen = cands.find((x) => x.keyGroup === kg);
        assert.ok(chosen !== undefined);
        const min = Math.min(...cands.map((x) => x.stateBytes));
        if (fill >= EMERGENCY_RATIO || cands.every((x) => x.waitingRecords === 0)) assert.equal(chosen.stateBytes, min);
      }),
    );
  });
});

// Tests of RateProfile: record i is scheduled at start + i / rate within its phase, and `dueBy` and
// `countBefore` count exactly the records that `timeOf` places at or before (strictly before) a time, for
// constant and multi-phase profiles, including indices far beyond a short test run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RateProfile, type RatePhase } from './rate-profile.ts';

/** Records i with timeOf(i) < ms (strict) or <= ms, by binary search over the monotone timeOf. */
function referenceCount(p: RateProfile, ms: number, strict: boolean): number {
  const within = (i: number): boolean => (strict ? p.timeOf(i) < ms : p.timeOf(i) <= ms);
  if (!within(0)) return 0;
  let lo = 0; // within(lo)
  let hi = 1;
  while (within(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (within(mid)) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

const rate = fc.oneof(
  fc.constantFrom(1, 3, 7, 1000, 10_000, 12_345.678, 1_000_000 / 3, 1_000_000),
  fc.double({ min: 0.5, max: 2_000_000, noNaN: true }),
);
const phases: fc.Arbitrary<RatePhase[]> = fc.array(
  fc.record({ ratePerSec: rate, durationMs: fc.oneof(fc.constantFrom(1000, 250, 70_000), fc.double({ min: 1, max: 100_000, noNaN: true })) }),
  { minLength: 1, maxLength: 4 },
);
/** Indices up to 2^31: about 35 minutes at a million records per second. */
const index = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 2 ** 31 }));

describe('core > rate-profile', () => {
  it('a constant profile schedules record i at exactly i * 1000 / rate', () => {
    for (const r of [1, 3, 7, 10_000, 20_000, 12_345.678]) {
      const p = RateProfile.constant(r);
      for (const i of [0, 1, 2, 3, 10, 999, 123_456, 98_765_432, 2 ** 31]) assert.equal(p.timeOf(i), (i * 1000) / r, `rate ${r}, record ${i}`);
    }
  });

  it('multi-phase: each phase starts at its start time with the first record not scheduled before it', () => {
    const p = new RateProfile([
      { ratePerSec: 3, durationMs: 1000 },
      { ratePerSec: 1000, durationMs: 10 },
      { ratePerSec: 10 },
    ]);
    // Phase 0: records at 0, 333.3, 666.7; phase 1 from 1000 ms: 10 records 1 ms apart; then 100 ms apart.
    assert.deepEqual([0, 1, 2].map((i) => p.timeOf(i)), [0, 1000 / 3, 2000 / 3]);
    assert.equal(p.timeOf(3), 1000);
    assert.equal(p.timeOf(12), 1009);
    assert.equal(p.timeOf(13), 1010);
    assert.equal(p.timeOf(14), 1110);
    assert.equal(p.dueBy(999.999), 3);
    assert.equal(p.dueBy(1000), 4);
    assert.equal(p.countBefore(1000), 3);
    assert.equal(p.countBefore(1010), 13);
    assert.equal(p.dueBy(1010), 14);
    assert.equal(p.rateAt(0), 3);
    assert.equal(p.rateAt(1005), 1000);
    assert.equal(p.rateAt(5000), 10);
  });

  it('dueBy(timeOf(i)) === i + 1 and countBefore(timeOf(i)) === i (constant profiles)', () => {
    fc.assert(
      fc.property(rate, index, (r, i) => {
        const p = RateProfile.constant(r);
        const t = p.timeOf(i);
        assert.equal(p.dueBy(t), i + 1, `rate ${r}: dueBy(timeOf(${i}) = ${t})`);
        assert.equal(p.countBefore(t), i, `rate ${r}: countBefore(timeOf(${i}) = ${t})`);
      }),
      { numRuns: 1000 },
    );
  });

  it('dueBy(timeOf(i)) === i + 1 and countBefore(timeOf(i)) === i (multi-phase profiles)', () => {
    fc.assert(
      fc.property(phases, index, (ph, i) => {
        const p = new RateProfile(ph);
        const t = p.timeOf(i);
        assert.equal(p.dueBy(t), i + 1, `dueBy(timeOf(${i}) = ${t})`);
        assert.equal(p.countBefore(t), i, `countBefore(timeOf(${i}) = ${t})`);
      }),
      { numRuns: 1000 },
    );
  });

  it('timeOf increases strictly, and every phase after the first starts with a record at its start time', () => {
    fc.assert(
      fc.property(phases, index, (ph, i) => {
        const p = new RateProfile(ph);
        assert.ok(p.timeOf(i + 1) > p.timeOf(i), `timeOf(${i + 1}) > timeOf(${i})`);
        let start = 0;
        for (const x of ph.slice(0, -1)) {
          start += x.durationMs ?? 0;
          const first = p.countBefore(start);
          assert.equal(p.timeOf(first), start, `first record of the phase starting at ${start}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('countBefore(T) is the number of i with timeOf(i) < T; dueBy(T) of those with timeOf(i) <= T', () => {
    const time = fc.oneof(fc.double({ min: -10, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1e9 }));
    fc.assert(
      fc.property(phases, time, (ph, T) => {
        const p = new RateProfile(ph);
        assert.equal(p.countBefore(T), referenceCount(p, T, true), `countBefore(${T})`);
        assert.equal(p.dueBy(T), referenceCount(p, T, false), `dueBy(${T})`);
      }),
      { numRuns: 500 },
    );
  });

  it('times just around a record time count the record exactly when it is due', () => {
    fc.assert(
      fc.property(phases, fc.integer({ min: 1, max: 2 ** 31 }), fc.double({ min: 1e-12, max: 1e-3, noNaN: true }), (ph, i, eps) => {
        const p = new RateProfile(ph);
        const t = p.timeOf(i);
        const below = t - eps;
        const above = t + eps;
        if (below < t && below > p.timeOf(i - 1)) {
          assert.equal(p.dueBy(below), i, `dueBy just below timeOf(${i})`);
          assert.equal(p.countBefore(below), i, `countBefore just below timeOf(${i})`);
        }
        if (above > t && above < p.timeOf(i + 1)) {
          assert.equal(p.dueBy(above), i + 1, `dueBy just above timeOf(${i})`);
          assert.equal(p.countBefore(above), i + 1, `countBefore just above timeOf(${i})`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('scaled(n) divides every rate', () => {
    const p = new RateProfile([{ ratePerSec: 4000, durationMs: 2000 }, { ratePerSec: 8000 }]).scaled(4);
    assert.deepEqual(p.phases.map((x) => x.ratePerSec), [1000, 2000]);
    assert.equal(p.countBefore(2000), 2000);
    assert.equal(p.countBefore(3000), 4000);
  });

  it('rejects no phases, non-positive rates and non-positive durations of inner phases', () => {
    assert.throws(() => new RateProfile([]), /at least one phase/);
    assert.throws(() => RateProfile.constant(0), /phase 0: ratePerSec must be > 0, got 0/);
    assert.throws(() => RateProfile.constant(Infinity), /phase 0: ratePerSec/);
    assert.throws(() => new RateProfile([{ ratePerSec: 1 }, { ratePerSec: 2 }]), /phase 0: durationMs must be > 0, got NaN/);
    assert.throws(() => new RateProfile([{ ratePerSec: 1, durationMs: 0 }, { ratePerSec: 2 }]), /phase 0: durationMs must be > 0, got 0/);
  });
});

/** Vectors printed by the JDK's own java.util.Random (java 17) for the seeds the workloads use. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JavaRandom } from './java-random.ts';
import { FastZipf } from './fast-zipf.ts';

describe('core > java-random', () => {
  it('nextDouble matches Java for seed 12345678', () => {
    const r = new JavaRandom(12345678);
    const got = Array.from({ length: 5 }, () => r.nextDouble());
    assert.deepEqual(got, [0.7005605651027493, 0.9090314639555788, 0.3157171244095627, 0.2080200357000218, 0.7669726595942773]);
  });
  it('nextInt(power of two) matches Java for seed 123456789', () => {
    const r = new JavaRandom(123456789);
    assert.deepEqual(Array.from({ length: 5 }, () => r.nextInt(1024)), [679, 781, 467, 260, 399]);
  });
  it('nextInt(bound), next(32) match Java for a negative seed', () => {
    const r = new JavaRandom(-7);
    assert.deepEqual(Array.from({ length: 5 }, () => r.nextInt(1000)), [662, 297, 590, 707, 478]);
    assert.deepEqual(Array.from({ length: 3 }, () => r.next(32)), [628894175, -636178114, 1355350872]);
  });
});

describe('core > fast-zipf', () => {
  it('skew 0 is uniform and rank 1 is value `offset`', () => {
    const z = new FastZipf(4, 0, 10, 1);
    assert.deepEqual([...z.cumulative], [0.25, 0.5, 0.75, 1]);
    const seen = new Set(Array.from({ length: 1000 }, () => z.next()));
    assert.deepEqual([...seen].sort(), [10, 11, 12, 13]);
  });
  it('skew 1 makes rank 1 the hottest with probability 1/H(n)', () => {
    const z = new FastZipf(1024, 1, 0, 12345678);
    let h = 0;
    for (let i = 1; i <= 1024; i++) h += 1 / i;
    assert.ok(Math.abs(z.probability(0) - 1 / h) < 1e-12);
    const counts = new Float64Array(1024);
    for (let i = 0; i < 200_000; i++) counts[z.next()]++;
    assert.ok(Math.abs(counts[0] / 200_000 - 1 / h) < 0.01, `rank-1 share ${counts[0] / 200_000}`);
    assert.ok(counts[0] > counts[1] && counts[1] > counts[10]);
  });
});

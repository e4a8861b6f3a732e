// Measured key-group statistics: rates over the sampling window, and statistics computed only when read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lazyStats, RateMeter } from './rate-meter.ts';
import type { SubtaskPort } from './ports.ts';

describe('rate meter', () => {
  it('rates are records per second per key group, summed over subtasks, over the window', () => {
    const counts = [new Float64Array(4), new Float64Array(4)];
    const meter = new RateMeter(counts.map((c) => ({ recordsPerKeyGroup: c }) as unknown as SubtaskPort));
    assert.deepEqual([...meter.rates()], [0, 0, 0, 0], 'no samples yet');
    assert.equal(meter.sample(0), true);
    counts[0][1] = 10;
    counts[1][1] = 5;
    counts[1][3] = 2;
    assert.equal(meter.sample(500), false, 'less than a second after the last sample');
    assert.equal(meter.sample(2000), true);
    assert.deepEqual([...meter.rates()], [0, 7.5, 0, 1]);
  });

  it('lazy statistics compute each part when first read, once', () => {
    let rateCalls = 0;
    let bytesCalls = 0;
    const stats = lazyStats(() => (rateCalls++, Float64Array.of(3, 1)), () => (bytesCalls++, Float64Array.of(100, 200)));
    assert.deepEqual([rateCalls, bytesCalls], [0, 0], 'nothing computed before a read');
    assert.deepEqual(Array.from(stats.rate), [3, 1]);
    assert.deepEqual(Array.from(stats.rate), [3, 1]);
    assert.deepEqual([rateCalls, bytesCalls], [1, 0]);
    assert.deepEqual(Array.from(stats.bytes), [100, 200]);
    assert.deepEqual([rateCalls, bytesCalls], [1, 1]);
  });
});

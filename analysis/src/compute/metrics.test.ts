// compute > metrics: the spike, the mean latency during scaling and the re-stable time, with exact values
// on small hand-made inputs (a never re-stable migration among them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latencySumsDuring, meanLatencyDuring, restableHorizonS, restableTimeMs, spikeMs, steadyPeakMs, windowMetrics, windowSeconds, type SecondBucket } from './metrics.ts';

/** Per-second p99 from second 0 on. */
const buckets = (p99: readonly number[]): SecondBucket[] => p99.map((v, ts_s) => ({ ts_s, p99: v }));

describe('compute > metrics > spike', () => {
  it('is the max per-second p99 from the start second to one second after the end second', () => {
    const b = buckets([100, 1, 1, 5, 7, 2, 9, 1]);
    assert.deepEqual(windowSeconds({ startMs: 3100, endMs: 4500 }), { fromS: 3, toS: 5 });
    assert.equal(spikeMs(b, { startMs: 3100, endMs: 4500 }), 7);
    assert.equal(spikeMs(b, { startMs: 5000, endMs: 5000 }), 9, 'seconds 5 and 6');
    assert.equal(spikeMs(b, { startMs: 20000, endMs: 21000 }), undefined, 'no second in the window');
  });

  it('of another per-second statistic', () => {
    const b = [{ ts_s: 2, p99: 3, max: 30 }, { ts_s: 3, p99: 4, max: 12 }];
    assert.equal(spikeMs(b, { startMs: 2000, endMs: 2999 }, 'max'), 30);
  });
});

describe('compute > metrics > mean latency during scaling', () => {
  const logs = [
    { tsMs: [999, 1000, 1500, 2000, 2000.5], latencyMs: [100, 2, 4, 6, 100] },
    { tsMs: [1200, 3000], latencyMs: [8, 1] },
  ];

  it('averages the records completed from the start to the end, both included, over every log', () => {
    assert.deepEqual(latencySumsDuring(logs, [{ startMs: 1000, endMs: 2000 }]), [{ count: 4, sumMs: 20 }]);
    assert.deepEqual(meanLatencyDuring(logs, [{ startMs: 1000, endMs: 2000 }, { startMs: 2500, endMs: 3000 }]), [5, 1]);
  });

  it('is undefined for a window in which no record completed; reads an iterable once', () => {
    let reads = 0;
    function* once(): Generator<(typeof logs)[number]> {
      reads++;
      yield* logs;
    }
    assert.deepEqual(meanLatencyDuring(once(), [{ startMs: 4000, endMs: 5000 }, { startMs: 0, endMs: 999 }]), [undefined, 100]);
    assert.equal(reads, 1);
  });
});

describe('compute > metrics > re-stable time', () => {
  // Seconds 1..4 steady (peak 2), the migration at 5.3 s: 9 ms at 5, 3 at 6, 2.3 at 7, then stable.
  const b = buckets([50, 1, 2, 1.5, 1, 9, 3, 2.3, 2, 1.9, 2.1]);
  const w = { startMs: 5300, endMs: 5600 };

  it('the steady peak: max p99 of the 10 s before the start second, second 0 and other windows left out', () => {
    assert.equal(steadyPeakMs(b, w), 2);
    assert.equal(steadyPeakMs(b, { startMs: 3000, endMs: 3100 }), 2, 'seconds 1 and 2');
    assert.equal(steadyPeakMs(b, w, [{ startMs: 2000, endMs: 2500 }]), 1, 'seconds 2 and 3 belong to another window');
    assert.equal(steadyPeakMs(b, { startMs: 500, endMs: 600 }), undefined, 'no steady second');
    const long = buckets(Array.from({ length: 30 }, (_, s) => (s === 5 ? 40 : 1)));
    assert.equal(steadyPeakMs(long, { startMs: 20000, endMs: 20100 }), 1, 'only the 10 s before: second 5 is too early');
  });

  it('ends with the last second at or above 1.2 x the steady peak: 7000 - 5300 ms', () => {
    // threshold 2.4: second 7 (2.3) is stable, second 6 (3) is the last unstable one
    assert.equal(restableTimeMs(b, w, { steadyPeakMs: 2, untilS: 10 }), 1700);
    // with factor 1.1 (2.2) second 7 is unstable too
    assert.equal(restableTimeMs(b, w, { steadyPeakMs: 2, untilS: 10, factor: 1.1 }), 2700);
  });

  it('is 0 when no second from the start one on reaches the threshold', () => {
    assert.equal(restableTimeMs(buckets([1, 1, 1, 1, 1, 1.1, 1, 1]), { startMs: 5300, endMs: 5400 }, { steadyPeakMs: 1, untilS: 7 }), 0);
  });

  it('never (null) when the last second before the horizon is still unstable', () => {
    const rising = buckets([1, 1, 1, 1, 1, 9, 9, 1, 9, 9]);
    assert.equal(restableTimeMs(rising, w, { steadyPeakMs: 1, untilS: 10 }), null);
    assert.equal(restableTimeMs(rising, w, { steadyPeakMs: 1, untilS: 8 }), 1700, 'a nearer horizon');
  });

  it('a second without records is not stable (a stalled job); an empty horizon is undefined', () => {
    const gap = b.filter((x) => x.ts_s !== 8);
    assert.equal(restableTimeMs(gap, w, { steadyPeakMs: 2, untilS: 10 }), 3700);
    assert.equal(restableTimeMs(gap, w, { steadyPeakMs: 2, untilS: 9 }), null);
    assert.equal(restableTimeMs(b, w, { steadyPeakMs: 2, untilS: 5 }), undefined);
  });

  it('the horizon: the next migration\'s start second, else the run\'s last second', () => {
    const ws = [{ startMs: 5300, endMs: 5600 }, { startMs: 8200, endMs: 8300 }];
    assert.equal(restableHorizonS(ws, 0, 11), 8);
    assert.equal(restableHorizonS(ws, 1, 11), 10);
  });

  it('windowMetrics: spike, steady peak and re-stable time of every window of a run', () => {
    assert.deepEqual(windowMetrics(b, [w], 11), [{ spikeMs: 9, steadyPeakMs: 2, restableMs: 1700 }]);
    // A second migration at 8.2 s: the first one's horizon ends at second 8; the second one's steady window
    // leaves out seconds 5..6 (the first window), so its peak is 2.3 (second 7) and threshold 2.76.
    assert.deepEqual(windowMetrics(b, [w, { startMs: 8200, endMs: 8300 }], 11), [
      { spikeMs: 9, steadyPeakMs: 2, restableMs: 1700 },
      { spikeMs: 2, steadyPeakMs: 2.3, restableMs: 0 },
    ]);
    assert.deepEqual(windowMetrics(b, [{ startMs: 300, endMs: 400 }], 11), [{ spikeMs: 50 }], 'no steady peak: no re-stable time');
  });
});

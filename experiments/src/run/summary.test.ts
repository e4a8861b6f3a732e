// run > summary: the steady baseline a migration's p99 of the other key groups is judged against; each
// migration's spike, mean latency during scaling and re-stable time (metrics.ts's definitions).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrationSummaries, steadyWindowP99 } from './summary.ts';
import type { LatencyLogSummary, LatencySeriesPoint } from '../results/latency-log.ts';
import type { PhaseReport } from '../../../engine/src/index.ts';

const point = (ts_s: number, p99: number): LatencySeriesPoint => ({ ts_s, count: 1000, p50: 0, p95: 0, p99, p999: 0, max: p99 });

describe('run > summary > steady baseline', () => {
  it('averages the max of every window as long as the migration, over the 10 s before it', () => {
    // seconds 40..49 before a migration at 50; alternating 1 and 3 ms: every 2-second window's max is 3
    const series = Array.from({ length: 10 }, (_, i) => point(40 + i, i % 2 === 0 ? 1 : 3));
    assert.equal(steadyWindowP99(series, 50, 2), 3);
    // single seconds: the plain mean
    assert.equal(steadyWindowP99(series, 50, 1), 2);
  });

  it('leaves out second 0 and everything from the migration on', () => {
    const series = [point(0, 100), point(1, 2), point(2, 4), point(3, 50)];
    assert.equal(steadyWindowP99(series, 3, 1), 3);
    assert.equal(steadyWindowP99(series, 3, 2), 4);
  });

  it('with fewer steady seconds than the window, the max of those there are; none: undefined', () => {
    assert.equal(steadyWindowP99([point(1, 2), point(2, 5)], 3, 4), 5);
    assert.equal(steadyWindowP99([point(0, 9)], 1, 2), undefined);
  });
});

describe('run > summary > migrations', () => {
  const phase = (startMs: number, endMs: number): PhaseReport => ({
    round: 1, phase: 1, mechanism: 'spacker', strategy: { order: 'default', syncKeys: 0, replicateFilter: 0 } as PhaseReport['strategy'],
    chunks: 1, keyGroups: 4, bytes: 100, replicaRestores: 0, startMs, endMs, completionMs: endMs - startMs,
  });
  // Steady p99 1..2 ms in seconds 1..4, a migration at 5.3-5.6 s: 9, then 3, then stable; 10-s run.
  const p99 = [50, 1, 2, 1.5, 1, 9, 3, 2.3, 2, 1.9];
  const series = p99.map((v, s) => point(s, v));
  const latency = { seriesAll: series, seriesMigrating: series.map((x) => ({ ...x, p99: x.p99 * 2 })), seriesOther: series.map((x) => ({ ...x, p99: x.p99 / 2 })) } as LatencyLogSummary;
  const logs = [{ tsMs: [5000, 5300, 5450, 5600, 5601], latencyMs: [99, 3, 5, 7, 99] }];

  it('spike as before, mean latency during scaling from the per-record log, re-stable time', () => {
    const [m] = migrationSummaries([phase(5300, 5600)], latency, 10, () => logs);
    assert.equal(m.spikeMs, 9);
    assert.equal(m.p99MigratingMs, 18);
    assert.equal(m.p99OtherMs, 4.5);
    assert.equal(m.meanDuringScalingMs, 5);
    assert.equal(m.recordsDuringScaling, 3);
    assert.equal(m.steadyPeakMs, 2);
    // threshold 2.4; horizon seconds 5..8 (the run's last second, 9, left out): second 6 is the last above
    assert.equal(m.restableMs, 1700);
  });

  it('never re-stable: null, written to summary.json as null', () => {
    const high = { ...latency, seriesAll: series.map((x) => (x.ts_s === 8 ? { ...x, p99: 5 } : x)) };
    const [m] = migrationSummaries([phase(5300, 5600)], high, 10, () => logs);
    assert.equal(m.restableMs, null);
    assert.match(JSON.stringify(m), /"restableMs":null/);
  });

  it('without the per-record log no mean; without latency none of the latency figures', () => {
    const [m] = migrationSummaries([phase(5300, 5600)], latency, 10);
    assert.equal(m.meanDuringScalingMs, undefined);
    assert.equal(m.spikeMs, 9);
    const [stopped] = migrationSummaries([phase(6000, 6100)], latency, 10, () => logs);
    assert.deepEqual([stopped.meanDuringScalingMs, stopped.recordsDuringScaling], [undefined, 0], 'no record completed in the window (a restart)');
    const [n] = migrationSummaries([phase(5300, 5600)], undefined, 10, () => logs);
    assert.deepEqual([n.spikeMs, n.meanDuringScalingMs, n.restableMs], [undefined, undefined, undefined]);
  });
});

// run > summary: the steady baseline a migration's p99 of the other key groups is judged against.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { steadyWindowP99 } from './summary.ts';
import type { LatencySeriesPoint } from '../results/latency-log.ts';

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

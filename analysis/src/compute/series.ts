/**
 * Per-second latency series recomputed from per-record logs, with the reference's conventions: bucket =
 * floor(ts / 1000) (reference logs: minus the smallest bucket over all the run's logs), percentiles by
 * sorted[floor(n * q)]. Scope is 'all' (the logs do not say which key groups were migrating when; series.csv
 * does). Also helpers over series rows, wherever they come from.
 */
import { refPercentile } from './percentile.ts';
import type { LatencyLog, SeriesPoint } from '../model.ts';

export interface SeriesOptions {
  /** 'run-start': ts is already ms since the run's start (ours); 'min-bucket': x = bucket - min bucket (reference). */
  origin: 'run-start' | 'min-bucket';
}

function distribution(values: Float64Array): Omit<SeriesPoint, 'ts_s' | 'subtask' | 'scope'> {
  values.sort();
  return {
    count: values.length,
    p50: refPercentile(values, 0.5),
    p95: refPercentile(values, 0.95),
    p99: refPercentile(values, 0.99),
    p999: refPercentile(values, 0.999),
    max: values[values.length - 1],
  };
}

/** Groups values by second with a counting sort, then sorts each second's slice. */
function perSecond(parts: { buckets: Int32Array; lat: Float64Array }[], subtask: number | 'all', out: SeriesPoint[]): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of parts) for (let i = 0; i < p.buckets.length; i++) {
    const b = p.buckets[i];
    if (b < lo) lo = b;
    if (b > hi) hi = b;
  }
  if (lo > hi) return;
  const width = hi - lo + 1;
  const counts = new Int32Array(width + 1);
  for (const p of parts) for (let i = 0; i < p.buckets.length; i++) counts[p.buckets[i] - lo + 1]++;
  for (let i = 1; i <= width; i++) counts[i] += counts[i - 1];
  const starts = counts.slice(0, width);
  const values = new Float64Array(counts[width]);
  for (const p of parts) for (let i = 0; i < p.buckets.length; i++) values[starts[p.buckets[i] - lo]++] = p.lat[i];
  for (let b = 0; b < width; b++) {
    const from = counts[b];
    const to = counts[b + 1];
    if (to > from) out.push({ ts_s: b + lo, subtask, scope: 'all', ...distribution(values.subarray(from, to)) });
  }
}

/** Per-second series per subtask and overall ('all'), scope 'all', sorted by second then subtask. */
export function seriesFromLogs(logs: readonly LatencyLog[], options: SeriesOptions): SeriesPoint[] {
  let minBucket = 0;
  if (options.origin === 'min-bucket') {
    minBucket = Infinity;
    for (const l of logs) for (let i = 0; i < l.tsMs.length; i++) minBucket = Math.min(minBucket, Math.floor(l.tsMs[i] / 1000));
    if (minBucket === Infinity) minBucket = 0;
  }
  const parts = logs.map((l) => {
    const buckets = new Int32Array(l.tsMs.length);
    for (let i = 0; i < buckets.length; i++) buckets[i] = Math.floor(l.tsMs[i] / 1000) - minBucket;
    return { subtask: l.subtask, buckets, lat: l.latencyMs };
  });
  const out: SeriesPoint[] = [];
  for (const p of parts) perSecond([p], p.subtask, out);
  perSecond(parts, 'all', out);
  return out.sort((a, b) => a.ts_s - b.ts_s || (a.subtask === 'all' ? 1 : b.subtask === 'all' ? -1 : a.subtask - b.subtask));
}

/** The overall series of one scope, by second. */
export function overall(series: readonly SeriesPoint[], scope: SeriesPoint['scope'] = 'all'): SeriesPoint[] {
  return series.filter((p) => p.subtask === 'all' && p.scope === scope).sort((a, b) => a.ts_s - b.ts_s);
}

/** Max of a per-second metric over seconds [fromS, toS] (inclusive), or undefined if no second falls in it. */
export function maxOver(points: readonly SeriesPoint[], fromS: number, toS: number, metric: 'p99' | 'max' | 'p95' = 'p99'): number | undefined {
  let m: number | undefined;
  for (const p of points) if (p.ts_s >= fromS && p.ts_s <= toS && (m === undefined || p[metric] > m)) m = p[metric];
  return m;
}

/** Records completed per second (the reference: latency-log lines per second bucket, all tasks). */
export function throughput(series: readonly SeriesPoint[]): { ts_s: number; recPerS: number }[] {
  return overall(series).map((p) => ({ ts_s: p.ts_s, recPerS: p.count }));
}

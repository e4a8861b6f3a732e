/**
 * Per-second latency histograms (HDR, microseconds) by subtask and scope, finalized lazily into the rows of
 * series.csv and into run-wide totals. Pure computation: no I/O, no threads; the latency log worker drives it.
 */
import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { stringify } from 'csv-stringify/sync';
import type { LatencyChunk } from '../../../engine/src/index.ts';
import type { LatencyLogSummary } from './latency-log.ts';

/** Count and percentiles of a set of latencies, in ms (HDR precision: 3 significant digits). */
export interface LatencyStats { count: number; p50: number; p95: number; p99: number; p999: number; max: number }
/** Latency statistics of one second (`ts_s` = floor(ts_ms / 1000)). */
export interface LatencySeriesPoint extends LatencyStats { ts_s: number }
/** Whether a row covers key groups migrating in that second, the others, or both. */
export type LatencyScope = 'migrating' | 'other' | 'all';
/** One row of series.csv. */
export interface SeriesRow extends LatencySeriesPoint { subtask: number | 'all'; scope: LatencyScope }

const HIGHEST_US = 3.6e9;
/** A second stays open at most this long behind the newest second seen, even if a subtask falls silent. */
const MAX_OPEN_SECONDS = 30;
/** A second is finalized once every reporting subtask has moved this far past it. */
const SETTLE_SECONDS = 2;

/** Builds and recycles histograms of one configuration (values in us, 1 us .. 1 h, 3 digits, pure JS). */
class HistogramPool {
  private readonly free: Histogram[] = [];
  take(): Histogram {
    return this.free.pop() ?? build({
      bitBucketSize: 32, autoResize: false, useWebAssembly: false,
      lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3,
    });
  }
  give(h: Histogram): void {
    h.reset();
    if (this.free.length < 64) this.free.push(h);
  }
}

/**
 * Statistics of `h` in ms. HDR reports a percentile as the highest value of its bucket, which can exceed the
 * largest value recorded; percentiles are capped at the maximum so that p99 <= max always holds.
 */
export function statsOf(h: Histogram): LatencyStats {
  const max = h.maxValue;
  const ms = (p: number): number => Math.min(h.getValueAtPercentile(p), max) / 1000;
  return { count: h.totalCount, p50: ms(50), p95: ms(95), p99: ms(99), p999: ms(99.9), max: max / 1000 };
}

/** Records between two calls of a series' `pause` hook (a power of two). */
const PAUSE_EVERY = 1024;

/** Latency in ms to the integer microseconds a histogram records, clamped to its range. */
function toMicros(latencyMs: number): number {
  const us = Math.round(latencyMs * 1000);
  return us > 0 ? (us < HIGHEST_US ? us : HIGHEST_US) : 0;
}

/**
 * Accumulates latencies per (second, subtask, scope) and emits series rows in order. Memory stays bounded:
 * a second is finalized when every (operator, subtask) that has reported is {@link SETTLE_SECONDS} past it, or
 * when it falls {@link MAX_OPEN_SECONDS} behind the newest second. A record for an already finalized second
 * still counts in the run-wide totals but no longer in the series (counted as `late`).
 */
export class LatencySeries {
  /** Finalized rows, in series.csv order. */
  readonly rows: SeriesRow[] = [];
  /** Records per subtask index. */
  readonly perSubtask = new Map<number, number>();
  /** Records that arrived after their second had been finalized. */
  late = 0;
  private readonly pool = new HistogramPool();
  /** second -> subtask -> [migrating, other]. */
  private readonly open = new Map<number, Map<number, [Histogram, Histogram]>>();
  private readonly newestSecond = new Map<string, number>();
  private finalizedBelow = -Infinity;
  private readonly total = { migrating: this.pool.take(), other: this.pool.take(), all: this.pool.take() };

  /** `pause` is called every {@link PAUSE_EVERY} records and after each subtask of a second it finalizes. */
  constructor(private readonly pause: () => void = () => undefined) {}

  /** Records every valid record of `chunk`, then finalizes the seconds that can no longer change. */
  add(chunk: LatencyChunk): void {
    const { tsMs, latencyMs, migrating, subtask, size } = chunk;
    let second = NaN;
    let pair: [Histogram, Histogram] | undefined;
    let newest = this.newestSecond.get(`${chunk.operator}\u0000${subtask}`) ?? -Infinity;
    for (let i = 0; i < size; i++) {
      if ((i & (PAUSE_EVERY - 1)) === PAUSE_EVERY - 1) this.pause();
      const s = Math.floor(tsMs[i] / 1000);
      if (s !== second) {
        second = s;
        pair = s >= this.finalizedBelow ? this.pairFor(s, subtask) : undefined;
        if (s > newest) newest = s;
      }
      const us = toMicros(latencyMs[i]);
      if (pair !== undefined) {
        pair[migrating[i] === 1 ? 0 : 1].recordValue(us);
      } else {
        (migrating[i] === 1 ? this.total.migrating : this.total.other).recordValue(us);
        this.total.all.recordValue(us);
        this.late++;
      }
    }
    this.perSubtask.set(subtask, (this.perSubtask.get(subtask) ?? 0) + size);
    if (size > 0) this.newestSecond.set(`${chunk.operator}\u0000${subtask}`, newest);
    let settled = Infinity;
    let latest = -Infinity;
    for (const s of this.newestSecond.values()) {
      settled = Math.min(settled, s);
      latest = Math.max(latest, s);
    }
    this.finalizeThrough(Math.max(settled - SETTLE_SECONDS, latest - MAX_OPEN_SECONDS));
  }

  /** Finalizes every open second; call once at the end of the run. */
  finishAll(): void {
    this.finalizeThrough(Infinity);
  }

  /**
   * Finalizes every open second and gives series.csv's text and the run's summary: one definition for the
   * embedded run's latency log and for a Flink run's files read afterwards. Sorts `rows` in place.
   */
  result(): { csv: string; summary: LatencyLogSummary } {
    this.finishAll();
    const rows = this.rows.sort((a, b) => a.ts_s - b.ts_s);
    const fixed = (v: number): string => v.toFixed(3);
    const csv = stringify(rows.map((r) => [
      r.ts_s, r.subtask, r.scope, r.count, fixed(r.p50), fixed(r.p95), fixed(r.p99), fixed(r.p999), fixed(r.max),
    ]), { header: true, columns: ['ts_s', 'subtask', 'scope', 'count', 'p50', 'p95', 'p99', 'p999', 'max'] });
    const pick = (scope: LatencyScope): LatencySeriesPoint[] => rows
      .filter((r) => r.subtask === 'all' && r.scope === scope)
      .map(({ ts_s, count, p50, p95, p99, p999, max }) => ({ ts_s, count, p50, p95, p99, p999, max }));
    const totals = this.totals();
    return {
      csv,
      summary: {
        records: this.records,
        perSubtask: Object.fromEntries([...this.perSubtask].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
        overall: totals.all,
        overallMigrating: totals.migrating,
        overallOther: totals.other,
        seriesAll: pick('all'),
        seriesMigrating: pick('migrating'),
        seriesOther: pick('other'),
        lateRecords: this.late,
        workerBusyMs: 0, // the latency-log worker fills in its own busy time
      },
    };
  }

  /** Run-wide statistics per scope (over every record, late ones included). */
  totals(): { all: LatencyStats; migrating: LatencyStats; other: LatencyStats } {
    return { all: statsOf(this.total.all), migrating: statsOf(this.total.migrating), other: statsOf(this.total.other) };
  }

  /** Records seen so far. */
  get records(): number {
    let n = 0;
    for (const c of this.perSubtask.values()) n += c;
    return n;
  }

  private pairFor(second: number, subtask: number): [Histogram, Histogram] {
    let bySubtask = this.open.get(second);
    if (bySubtask === undefined) this.open.set(second, (bySubtask = new Map()));
    let pair = bySubtask.get(subtask);
    if (pair === undefined) bySubtask.set(subtask, (pair = [this.pool.take(), this.pool.take()]));
    return pair;
  }

  private finalizeThrough(last: number): void {
    const due = [...this.open.keys()].filter((s) => s <= last).sort((a, b) => a - b);
    for (const s of due) this.finalizeSecond(s, this.open.get(s)!);
    if (Number.isFinite(last) && last + 1 > this.finalizedBelow) this.finalizedBelow = last + 1;
    else if (due.length > 0) this.finalizedBelow = Math.max(this.finalizedBelow, due[due.length - 1] + 1);
  }

  private finalizeSecond(second: number, bySubtask: Map<number, [Histogram, Histogram]>): void {
    this.open.delete(second);
    const sum = { migrating: this.pool.take(), other: this.pool.take(), all: this.pool.take() };
    const push = (subtask: number | 'all', scope: LatencyScope, h: Histogram): void => {
      if (h.totalCount > 0) this.rows.push({ ts_s: second, subtask, scope, ...statsOf(h) });
    };
    for (const subtask of [...bySubtask.keys()].sort((a, b) => a - b)) {
      const [mig, other] = bySubtask.get(subtask)!;
      const all = this.pool.take();
      all.add(mig);
      all.add(other);
      push(subtask, 'migrating', mig);
      push(subtask, 'other', other);
      push(subtask, 'all', all);
      sum.migrating.add(mig);
      sum.other.add(other);
      sum.all.add(all);
      for (const h of [mig, other, all]) this.pool.give(h);
      this.pause();
    }
    for (const scope of ['migrating', 'other', 'all'] as const) {
      push('all', scope, sum[scope]);
      this.total[scope].add(sum[scope]);
      this.pool.give(sum[scope]);
    }
  }
}

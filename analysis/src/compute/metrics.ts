/**
 * The migration metrics, defined once: the spike, the mean latency during scaling and the re-stable time.
 * summary.json (experiments/src/run/summary.ts), the family table, `compare`, the figures and the report all
 * call these. Pure functions over per-second buckets (series.csv's overall rows) and per-record samples
 * (the latency logs); no I/O, nothing from the engine.
 */

/** A migration's time window, ms since the run's start (migration_start .. migration_end). */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** One per-second bucket of the overall series: second `ts_s` = completion times [ts_s, ts_s + 1) s. */
export interface SecondBucket {
  readonly ts_s: number;
  readonly p99: number;
}

/** Per-record latencies as columns: completion time (ms since the run's start) and latency (ms). */
export interface LatencySamples {
  readonly tsMs: ArrayLike<number>;
  readonly latencyMs: ArrayLike<number>;
}

/** The seconds a window's per-second metrics cover: from its start's second to one second after its end's. */
export function windowSeconds(w: TimeWindow): { fromS: number; toS: number } {
  return { fromS: Math.floor(w.startMs / 1000), toS: Math.floor(w.endMs / 1000) + 1 };
}

/** A per-second statistic a spike can be taken of. */
export type SpikeStat = 'p99' | 'p95' | 'max';

/**
 * Spike = the max of a per-second statistic (default the p99) over {@link windowSeconds} (both ends
 * included); undefined when no bucket in the window has it.
 */
export function spikeMs(buckets: readonly ({ readonly ts_s: number } & Partial<Readonly<Record<SpikeStat, number>>>)[], w: TimeWindow, stat: SpikeStat = 'p99'): number | undefined {
  const { fromS, toS } = windowSeconds(w);
  let m: number | undefined;
  for (const b of buckets) {
    const v = b[stat];
    if (v !== undefined && b.ts_s >= fromS && b.ts_s <= toS && (m === undefined || v > m)) m = v;
  }
  return m;
}

/** Count and Σ latency of the records that completed inside a window. */
export interface LatencySum {
  count: number;
  sumMs: number;
}

/**
 * Per window, the records of `logs` that completed within it (startMs <= ts <= endMs, both ends included):
 * their count and Σ latency. `logs` is iterated once, so it may read one log at a time.
 */
export function latencySumsDuring(logs: Iterable<LatencySamples>, windows: readonly TimeWindow[]): LatencySum[] {
  const out = windows.map((): LatencySum => ({ count: 0, sumMs: 0 }));
  for (const log of logs) {
    const { tsMs, latencyMs } = log;
    for (let i = 0; i < tsMs.length; i++) {
      const t = tsMs[i];
      for (let k = 0; k < windows.length; k++) {
        if (t >= windows[k].startMs && t <= windows[k].endMs) {
          out[k].count++;
          out[k].sumMs += latencyMs[i];
        }
      }
    }
  }
  return out;
}

/**
 * Mean latency during scaling, per window: the mean latency of the records that completed between the
 * migration's start and its end (both included); undefined for a window in which no record completed.
 */
export function meanLatencyDuring(logs: Iterable<LatencySamples>, windows: readonly TimeWindow[]): (number | undefined)[] {
  return latencySumsDuring(logs, windows).map(meanOf);
}

/** The mean latency of a {@link LatencySum} (of one window or several added up); undefined for no record. */
export function meanOf(s: LatencySum): number | undefined {
  return s.count > 0 ? s.sumMs / s.count : undefined;
}

/** Seconds before a migration that make its steady window (the same span as the summary's steadyP99BeforeMs). */
export const STEADY_LOOKBACK_S = 10;
/** A second is stable again when its p99 is below this multiple of the steady peak (DRRS's definition). */
export const RESTABLE_FACTOR = 1.2;

/**
 * The steady peak before a migration: the max per-second p99 over the {@link STEADY_LOOKBACK_S} seconds before
 * the migration's start second (second 0, the warm-up, left out), leaving out the seconds of other migrations'
 * windows ({@link windowSeconds}). Undefined when no such second has a bucket.
 */
export function steadyPeakMs(buckets: readonly SecondBucket[], w: TimeWindow, others: readonly TimeWindow[] = []): number | undefined {
  const { fromS } = windowSeconds(w);
  const lo = Math.max(1, fromS - STEADY_LOOKBACK_S);
  const busy = others.map(windowSeconds);
  let m: number | undefined;
  for (const b of buckets) {
    if (b.ts_s < lo || b.ts_s >= fromS || busy.some((o) => b.ts_s >= o.fromS && b.ts_s <= o.toS)) continue;
    if (m === undefined || b.p99 > m) m = b.p99;
  }
  return m;
}

/**
 * Re-stable time (DRRS): how long after the migration's start the latency settles for good, in ms. Over 1 s
 * buckets, the seconds from the start's second up to `untilS` (exclusive: the next migration's start second,
 * or the run's last full second) are each stable when their p99 is below `factor` x `steadyPeakMs`; a second
 * without records (a stalled job) is not. The re-stable time is the end of the last unstable second minus the
 * start (0 when no second is unstable): from then on, every second to the horizon is stable. `null` = never:
 * the last second before the horizon is still unstable. Undefined when the horizon holds no second.
 */
export function restableTimeMs(buckets: readonly SecondBucket[], w: TimeWindow, opts: { steadyPeakMs: number; untilS: number; factor?: number }): number | null | undefined {
  const { fromS } = windowSeconds(w);
  if (opts.untilS <= fromS) return undefined;
  const limit = (opts.factor ?? RESTABLE_FACTOR) * opts.steadyPeakMs;
  const p99 = new Map<number, number>();
  for (const b of buckets) if (b.ts_s >= fromS && b.ts_s < opts.untilS) p99.set(b.ts_s, Math.max(b.p99, p99.get(b.ts_s) ?? -Infinity));
  let lastUnstable: number | undefined;
  for (let s = opts.untilS - 1; s >= fromS; s--) {
    const v = p99.get(s);
    if (v === undefined || v >= limit) {
      lastUnstable = s;
      break;
    }
  }
  if (lastUnstable === undefined) return 0;
  if (lastUnstable === opts.untilS - 1) return null;
  return (lastUnstable + 1) * 1000 - w.startMs;
}

/**
 * The exclusive end second of window `i`'s re-stable horizon: the next window's start second, or the run's
 * last second (`runtimeS - 1`: the last second is cut short by the end of the run), whichever comes first.
 */
export function restableHorizonS(windows: readonly TimeWindow[], i: number, runtimeS: number): number {
  const fromS = windowSeconds(windows[i]).fromS;
  let until = runtimeS - 1;
  for (const o of windows) {
    const s = windowSeconds(o).fromS;
    if (o !== windows[i] && o.startMs > windows[i].startMs && s < until) until = Math.max(s, fromS);
  }
  return until;
}

/** The latency metrics of one migration of a run. */
export interface WindowMetrics {
  /** {@link spikeMs}. */
  spikeMs?: number;
  /** {@link steadyPeakMs}: the basis of the re-stable threshold. */
  steadyPeakMs?: number;
  /** {@link restableTimeMs}; null = never re-stable before the horizon. */
  restableMs?: number | null;
}

/**
 * Spike, steady peak and re-stable time of every window of a run, from its overall per-second buckets. The
 * re-stable time needs a steady peak (undefined without one).
 */
export function windowMetrics(buckets: readonly SecondBucket[], windows: readonly TimeWindow[], runtimeS: number): WindowMetrics[] {
  return windows.map((w, i) => {
    const others = windows.filter((o) => o !== w);
    const peak = steadyPeakMs(buckets, w, others);
    const restable = peak === undefined ? undefined : restableTimeMs(buckets, w, { steadyPeakMs: peak, untilS: restableHorizonS(windows, i, runtimeS) });
    const spike = spikeMs(buckets, w);
    return {
      ...(spike === undefined ? {} : { spikeMs: spike }),
      ...(peak === undefined ? {} : { steadyPeakMs: peak }),
      ...(restable === undefined ? {} : { restableMs: restable }),
    };
  });
}

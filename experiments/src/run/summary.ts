/**
 * The headline figures of a run (summary.json), from the job's counters and the latency worker's series:
 * throughput, latency percentiles, the steady-state per-second p99, state size and memory, checkpoints.
 */
import { isEvent, parseEvent, type Job, type PhaseReport, type PlanReport } from '../../../engine/src/index.ts';
import type { LatencyLogSummary, LatencySeriesPoint, LatencyStats } from '../results/latency-log.ts';
import { latencySumsDuring, meanOf, spikeMs, windowMetrics, windowSeconds, type LatencySamples } from '../../../analysis/src/compute/metrics.ts';

/** One executed migration (or restart): its plan report, its strategy, and the latency figures of its window. */
export interface MigrationSummary extends PlanReport {
  round: number;
  phase: number;
  mode: string;
  order: string;
  syncKeys: number;
  replicateFilter: number;
  /** From the first prepare to the last acknowledgement. */
  wallMs: number;
  /** Max per-second p99 from the migration's start to one second after its end (analysis/src/compute/metrics.ts). */
  spikeMs?: number;
  /** Mean latency of the records completed from the migration's start to its end (from the latency log). */
  meanDuringScalingMs?: number;
  /** How many records that mean is over (to weigh the means of several migrations). */
  recordsDuringScaling?: number;
  /** Max per-second p99 of the 10 s before the migration (other migrations' windows left out). */
  steadyPeakMs?: number;
  /**
   * Re-stable time: from the migration's start to the end of the last second (up to the next migration or the
   * run's last second) whose p99 is at or above 1.2 x steadyPeakMs; 0 = none was; null = never re-stable.
   */
  restableMs?: number | null;
  /** Same window, key groups of the plan / all others. */
  p99MigratingMs?: number;
  p99OtherMs?: number;
  /**
   * The same statistic as `p99OtherMs` in steady state: the max per-second p99 of a window as long as the
   * migration's, averaged over such windows in the 10 s before the migration (second 0 excluded).
   */
  steadyP99BeforeMs?: number;
  /** p99OtherMs / steadyP99BeforeMs: how much the key groups that do not move felt the migration. */
  otherVsSteady?: number;
}

export interface RunSummary {
  records: number;
  expectedRecords: number;
  runtimeS: number;
  /** Records completed per second of input time. */
  throughputRecPerS: number;
  latencyMs?: LatencyStats;
  /** Max over seconds [1, runtime-1) of the per-second p99: the steady-state figure (first second is warm-up). */
  steadyP99MaxMs?: number;
  /** Mean of the per-second p99 over the same seconds. */
  steadyP99MeanMs?: number;
  /** Max of the per-second p99 over the whole run. */
  p99MaxMs?: number;
  stateBytes: number;
  stateBytesPerSubtask: number[];
  /** Bytes in the replica stores at the end, as a cluster holds them (a copy in every TaskManager's store). */
  replicaBytes: number;
  /** Most bytes of state and replicas (as `replicaBytes` counts them) held at once, sampled every ~100 ms. */
  peakHeldBytes: number;
  /** The whole process (every run of a sweep shares it, and memory freed by an earlier run may not be reclaimed yet). */
  memory: { rssBytes: number; heapUsedBytes: number; arrayBuffersBytes: number; externalBytes: number };
  checkpoints: { count: number; meanDurationMs: number; maxDurationMs: number };
  /** Source steps that found their output full (back-pressure). */
  backPressuredSteps: number;
  migrations: MigrationSummary[];
}

export function summarize(input: {
  job: Job;
  operator: string;
  runtimeS: number;
  totalRecords: number;
  latency: LatencyLogSummary | undefined;
  events: readonly [number, string, string][];
  phases: readonly PhaseReport[];
  replicaBytes: number;
  peakHeldBytes: number;
  /** The run's per-record latencies (its latency log), read once, for the mean latency during scaling. */
  latencySamples?: () => Iterable<LatencySamples>;
}): RunSummary {
  const { job, latency } = input;
  const tasks = job.keyedTasks(input.operator);
  const perSubtask = tasks.map((t) => t.state.totalBytes());
  const stateBytes = perSubtask.reduce((a, b) => a + b, 0);
  const records = tasks.reduce((n, t) => n + t.processed, 0);
  const cps = input.events.map(([, event, detail]) => parseEvent(event, detail)).flatMap((e) => (isEvent(e, 'checkpoint') ? [e.durationMs] : []));
  const mem = process.memoryUsage();
  const windows = input.phases.map(windowSeconds);
  const inWindow = (s: number): boolean => windows.some(({ fromS, toS }) => s >= fromS && s <= toS);
  const steady = latency?.seriesAll.filter((p) => p.ts_s >= 1 && p.ts_s < input.runtimeS - 1 && !inWindow(p.ts_s)).map((p) => p.p99) ?? [];
  return {
    records,
    expectedRecords: input.totalRecords,
    runtimeS: input.runtimeS,
    throughputRecPerS: records / input.runtimeS,
    ...(latency === undefined
      ? {}
      : {
          latencyMs: latency.overall,
          steadyP99MaxMs: steady.length ? Math.max(...steady) : undefined,
          steadyP99MeanMs: steady.length ? steady.reduce((a, b) => a + b, 0) / steady.length : undefined,
          p99MaxMs: latency.seriesAll.length ? Math.max(...latency.seriesAll.map((p) => p.p99)) : undefined,
        }),
    stateBytes,
    stateBytesPerSubtask: perSubtask,
    replicaBytes: input.replicaBytes,
    // The last sample can be ~100 ms old: the end state counts too.
    peakHeldBytes: Math.max(input.peakHeldBytes, stateBytes + input.replicaBytes),
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, arrayBuffersBytes: mem.arrayBuffers, externalBytes: mem.external },
    checkpoints: {
      count: cps.length,
      meanDurationMs: cps.length ? cps.reduce((a, b) => a + b, 0) / cps.length : 0,
      maxDurationMs: cps.length ? Math.max(...cps) : 0,
    },
    backPressuredSteps: job.sources.reduce((n, s) => n + s.backPressuredSteps, 0),
    migrations: migrationSummaries(input.phases, latency, input.runtimeS, input.latencySamples),
  };
}

/**
 * Every migration's summary: its report, and with latency its spike, the p99 of the migrating and other key
 * groups, the mean latency during scaling (from `samples`, the per-record log, when given) and the re-stable
 * time (analysis/src/compute/metrics.ts defines them).
 */
export function migrationSummaries(phases: readonly PhaseReport[], latency: LatencyLogSummary | undefined, runtimeS: number, samples?: () => Iterable<LatencySamples>): MigrationSummary[] {
  if (latency === undefined) return phases.map((p) => migrationSummary(p, undefined));
  const metrics = windowMetrics(latency.seriesAll, phases, runtimeS);
  const sums = samples === undefined || phases.length === 0 ? [] : latencySumsDuring(samples(), phases);
  return phases.map((p, i) => {
    const { steadyPeakMs, restableMs } = metrics[i];
    const mean = sums[i] === undefined ? undefined : meanOf(sums[i]);
    return {
      ...migrationSummary(p, latency),
      // No record completing in the window (a stop-the-world restart) leaves the mean out, its count 0.
      ...(mean === undefined ? {} : { meanDuringScalingMs: mean }),
      ...(sums[i] === undefined ? {} : { recordsDuringScaling: sums[i].count }),
      ...(steadyPeakMs === undefined ? {} : { steadyPeakMs }),
      ...(restableMs === undefined ? {} : { restableMs }),
    };
  });
}

function migrationSummary(p: PhaseReport, latency: LatencyLogSummary | undefined): MigrationSummary {
  const { fromS: from, toS: to } = windowSeconds(p);
  const { strategy, mechanism, ...report } = p;
  const base: MigrationSummary = {
    ...report,
    mode: mechanism,
    order: strategy.order,
    syncKeys: strategy.syncKeys,
    replicateFilter: strategy.replicateFilter,
    wallMs: p.endMs - p.startMs,
  };
  if (latency === undefined) return base;
  const steadyP99BeforeMs = steadyWindowP99(latency.seriesAll, from, to - from + 1);
  const p99OtherMs = spikeMs(latency.seriesOther, p);
  return {
    ...base,
    spikeMs: spikeMs(latency.seriesAll, p),
    p99MigratingMs: spikeMs(latency.seriesMigrating, p),
    p99OtherMs,
    steadyP99BeforeMs,
    otherVsSteady: p99OtherMs !== undefined && steadyP99BeforeMs ? p99OtherMs / steadyP99BeforeMs : undefined,
  };
}

/**
 * How high the per-second p99 of `seconds` consecutive seconds goes in steady state: the mean, over every such
 * window inside the 10 s before second `from` (second 0 excluded), of the window's max per-second p99. A
 * migration's window is judged by its max (`p99OtherMs`), so its baseline is a max over as many seconds: a
 * mean of single seconds would count the usual second-to-second spread as the migration's doing. With fewer
 * than `seconds` steady seconds, the max of those there are.
 */
export function steadyWindowP99(series: readonly Pick<LatencySeriesPoint, 'ts_s' | 'p99'>[], from: number, seconds: number): number | undefined {
  const lo = Math.max(1, from - 10);
  const p99 = new Map(series.filter((x) => x.ts_s >= lo && x.ts_s < from).map((x) => [x.ts_s, x.p99]));
  if (p99.size === 0) return undefined;
  const maxes: number[] = [];
  for (let a = lo; a + seconds <= from; a++) {
    let m = -Infinity;
    for (let s = a; s < a + seconds; s++) m = Math.max(m, p99.get(s) ?? -Infinity);
    if (m > -Infinity) maxes.push(m);
  }
  return maxes.length ? maxes.reduce((x, y) => x + y, 0) / maxes.length : Math.max(...p99.values());
}

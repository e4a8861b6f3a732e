/**
 * The headline figures of a run (summary.json), from the job's counters and the latency worker's series:
 * throughput, latency percentiles, the steady-state per-second p99, state size and memory, checkpoints.
 */
import type { Job } from '../../../engine/src/runtime/job.ts';
import type { LatencyLogSummary, LatencySeriesPoint, LatencyStats } from '../results/latency-log.ts';
import type { PhaseReport } from '../../../engine/src/migration/controller.ts';
import type { PlanReport } from '../../../engine/src/migration/mechanism.ts';

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
  /** Max per-second p99 from the migration's start to one second after its end. */
  spikeMs?: number;
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
}): RunSummary {
  const { job, latency } = input;
  const tasks = job.keyedTasks(input.operator);
  const perSubtask = tasks.map((t) => t.state.totalBytes());
  const stateBytes = perSubtask.reduce((a, b) => a + b, 0);
  const records = tasks.reduce((n, t) => n + t.processed, 0);
  const cps = input.events.filter((e) => e[1] === 'checkpoint').map((e) => Number(/duration_ms=([\d.]+)/.exec(e[2])?.[1] ?? NaN));
  const mem = process.memoryUsage();
  const windows = input.phases.map((p) => [Math.floor(p.startMs / 1000), Math.floor(p.endMs / 1000) + 1] as const);
  const inWindow = (s: number): boolean => windows.some(([a, b]) => s >= a && s <= b);
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
    migrations: input.phases.map((p) => migrationSummary(p, latency)),
  };
}

function migrationSummary(p: PhaseReport, latency: LatencyLogSummary | undefined): MigrationSummary {
  const from = Math.floor(p.startMs / 1000);
  const to = Math.floor(p.endMs / 1000) + 1;
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
  const maxP99 = (series: LatencySeriesPoint[], a: number, b: number): number | undefined => {
    const v = series.filter((x) => x.ts_s >= a && x.ts_s <= b).map((x) => x.p99);
    return v.length ? Math.max(...v) : undefined;
  };
  const steadyP99BeforeMs = steadyWindowP99(latency.seriesAll, from, to - from + 1);
  const p99OtherMs = maxP99(latency.seriesOther, from, to);
  return {
    ...base,
    spikeMs: maxP99(latency.seriesAll, from, to),
    p99MigratingMs: maxP99(latency.seriesMigrating, from, to),
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

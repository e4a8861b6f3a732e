/**
 * The headline figures of a run (summary.json), from the job's counters and the latency worker's series:
 * throughput, latency percentiles, the steady-state per-second p99, state size and memory, checkpoints.
 */
import type { Job } from '../../../engine/src/runtime/job.ts';
import type { LatencyLogSummary, LatencyStats } from '../results/latency-log.ts';

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
  memory: { rssBytes: number; heapUsedBytes: number; arrayBuffersBytes: number; externalBytes: number };
  checkpoints: { count: number; meanDurationMs: number; maxDurationMs: number };
  /** Source steps that found their output full (back-pressure). */
  backPressuredSteps: number;
}

export function summarize(input: {
  job: Job;
  operator: string;
  runtimeS: number;
  totalRecords: number;
  latency: LatencyLogSummary | undefined;
  events: readonly [number, string, string][];
}): RunSummary {
  const { job, latency } = input;
  const tasks = job.keyedTasks(input.operator);
  const perSubtask = tasks.map((t) => t.state.totalBytes());
  const records = tasks.reduce((n, t) => n + t.processed, 0);
  const cps = input.events.filter((e) => e[1] === 'checkpoint').map((e) => Number(/duration_ms=([\d.]+)/.exec(e[2])?.[1] ?? NaN));
  const mem = process.memoryUsage();
  const steady = latency?.seriesAll.filter((p) => p.ts_s >= 1 && p.ts_s < input.runtimeS - 1).map((p) => p.p99) ?? [];
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
    stateBytes: perSubtask.reduce((a, b) => a + b, 0),
    stateBytesPerSubtask: perSubtask,
    memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, arrayBuffersBytes: mem.arrayBuffers, externalBytes: mem.external },
    checkpoints: {
      count: cps.length,
      meanDurationMs: cps.length ? cps.reduce((a, b) => a + b, 0) / cps.length : 0,
      maxDurationMs: cps.length ? Math.max(...cps) : 0,
    },
    backPressuredSteps: job.sources.reduce((n, s) => n + s.backPressuredSteps, 0),
  };
}

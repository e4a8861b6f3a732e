/**
 * The `flink-rescale` family (npm run exp:flink-rescale): the micro-benchmark scaled out by Flink's key-group
 * ranges, four ways: the embedded engine's Spacker fluid and all-at-once, Flink 1.20's restart (stop with a
 * savepoint, resubmit) and in-place rescale (adaptive scheduler). Per-second p99 over time, one line per way, the
 * rescale marked; and a table of peak latency (from the rescale on), downtime (longest gap in completed records), mean during scaling,
 * re-stable time, completion and steady p99. Embedded and Flink results folders are read alike.
 */
import { longestGap } from '../compute/gaps.ts';
import { overallMeanDuringScaling, overallRestable, scalingMetrics } from '../compute/migrations.ts';
import { overall } from '../compute/series.ts';
import { KEYS, cfgStr, contextOf, filterOf, scenarioOf, syncOf } from '../identify.ts';
import { describeRuns, type FigureContext, type FigureDef } from './figure.ts';
import { p99Timeline } from './p99-timeline.ts';
import { textTable } from './text-table.ts';
import { runFacts } from './run-facts.ts';
import type { LatencyLog, Run } from '../model.ts';

const PRODUCE = 'exp:flink-rescale';
const FAMILY = 'flink-rescale';
const ENGINE = 'spacker.engine';
export const FLINK_RESCALE_POINTS = ['spacker fluid (embedded)', 'spacker all-at-once (embedded)', 'flink-restart', 'flink-rescale'] as const;

/** The family's name for a run of scenario rescale: a Spacker point on the embedded engine or a Flink strategy; undefined otherwise. */
export function rescalePoint(run: Run): string | undefined {
  if (run.format !== 'ours' || scenarioOf(run) !== 'rescale') return undefined;
  const strategy = cfgStr(run, KEYS.strategy, 'spacker');
  if (cfgStr(run, ENGINE, 'embedded') === 'flink') return strategy === 'flink-restart' || strategy === 'flink-rescale' ? strategy : undefined;
  if (strategy !== 'spacker' || filterOf(run) !== 0) return undefined;
  return syncOf(run) === 1 ? FLINK_RESCALE_POINTS[0] : syncOf(run) === 0 ? FLINK_RESCALE_POINTS[1] : undefined;
}

/**
 * The family's runs: among scenario-rescale runs agreeing on every key but the engine, the strategy, the chunk
 * size and where the cluster and jar are, the group with at least one embedded and one Flink point (the most
 * points if several); the latest run per point, in FLINK_RESCALE_POINTS order.
 */
export function rescaleRuns(runs: readonly Run[]): { run: Run; label: string }[] {
  const groups = new Map<string, Map<string, Run>>();
  for (const run of runs) {
    const label = rescalePoint(run);
    if (label === undefined) continue;
    const ctx = contextOf(run, [ENGINE, KEYS.strategy, KEYS.syncKeys, 'spacker.flink.rest', 'spacker.flink.jar']);
    const g = groups.get(ctx) ?? new Map<string, Run>();
    groups.set(ctx, g);
    const prev = g.get(label);
    if (prev === undefined || (run.startEpochMs ?? 0) >= (prev.startEpochMs ?? 0)) g.set(label, run);
  }
  const flink = (l: string): boolean => l.startsWith('flink-');
  let best: Map<string, Run> | undefined;
  for (const g of groups.values()) {
    const labels = [...g.keys()];
    if (!labels.some(flink) || labels.every(flink)) continue;
    if (best === undefined || g.size > best.size) best = g;
  }
  if (best === undefined) return [];
  return FLINK_RESCALE_POINTS.filter((l) => best.has(l)).map((label) => ({ run: best.get(label) as Run, label }));
}

const latency: FigureDef = {
  id: 'flink-rescale-latency',
  family: FAMILY,
  title: "Rescaling: the embedded engine's live migration vs Flink's restart and rescale, per-second p99 over time",
  produce: PRODUCE,
  build(ctx: FigureContext) {
    const picked = rescaleRuns(ctx.runs);
    if (picked.length === 0) return undefined;
    // Flink's restarts reach seconds where the embedded engine stays near a millisecond: the timeline's log scale.
    const spec = p99Timeline(this.title, ctx, picked, { field: 'way', legend: 'Rescaled by', what: 'rescale' });
    if (spec === undefined) return undefined;
    return {
      id: this.id,
      family: FAMILY,
      title: this.title,
      caption: `The micro-benchmark scaled out by Flink's key-group ranges (the same key groups move in every run): on the embedded engine by Spacker's live migration, fluid (one key group per source subtask per chunk) and all-at-once; on a Flink 1.20 session cluster by stop-with-savepoint and resubmission at the new parallelism (flink-restart), and by the adaptive scheduler after a PUT of the job's resource requirements (flink-rescale), which restarts from the latest checkpoint and replays the records since. Per-second overall p99 (series.csv), plotted in the middle of each second, log scale. Grey band: from the earliest rescale start to the latest end of these runs (dashed: the start). Runs: ${describeRuns(picked.map((p) => p.run))}.`,
      spec,
      runs: picked.map((p) => p.run),
    };
  },
};

export const RESCALE_COLUMNS = ['peak (ms)', 'downtime (ms)', 'mean during scaling (ms)', 're-stable (ms)', 'completion (ms)', 'p99 steady (ms)'] as const;

const fmt = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** One run's figures of the table (ms); re-stable null = never re-stable. */
export interface RescaleMetrics {
  peakMs?: number;
  downtimeMs?: number;
  meanDuringScalingMs?: number;
  /** No record completed within a window (the mean is then undefined). */
  noRecordDuringScaling: boolean;
  restableMs?: number | null;
  completionMs?: number;
  steadyP99Ms?: number;
}

/**
 * The table's figures of one run: peak = the highest latency of a record completed from the (first) rescale's
 * start on (latency logs; the run's start-up transients left out); downtime = the longest
 * gap in completed records overlapping a rescale window (latency logs); mean during scaling, re-stable,
 * completion as the mechanisms table; p99 steady = mean per-second p99 over the seconds outside every window
 * (and its next second), leaving out the first and the last second.
 */
export function rescaleMetrics(run: Run, ctx: FigureContext): RescaleMetrics {
  const runSeries = ctx.series(run);
  const series = overall(runSeries);
  const facts = runFacts(run, runSeries);
  const { windows } = facts;
  const logs = ctx.logs(run);
  const gaps = windows.map((w) => longestGap(logs, w)?.ms).filter((v): v is number => v !== undefined);
  const runtimeS = run.summary?.runtimeS ?? (series.length ? Math.max(...series.map((p) => p.ts_s)) + 1 : 0);
  const inWindow = (s: number): boolean => windows.some((w) => s >= Math.floor(w.startMs / 1000) && s <= Math.floor(w.endMs / 1000) + 1);
  const steady = series.filter((p) => p.ts_s >= 1 && p.ts_s < runtimeS - 1 && !inWindow(p.ts_s)).map((p) => p.p99);
  const scaling = scalingMetrics(run, runSeries, windows, () => logs);
  const known = facts.completions.filter((v): v is number => v !== undefined);
  const mean = overallMeanDuringScaling(scaling);
  const fromMs = windows.length ? Math.min(...windows.map((w) => w.startMs)) : -Infinity;
  const peak = peakFrom(logs, fromMs);
  return {
    ...(peak === undefined ? {} : { peakMs: peak }),
    ...(gaps.length ? { downtimeMs: Math.max(...gaps) } : {}),
    ...(mean === undefined ? {} : { meanDuringScalingMs: mean }),
    noRecordDuringScaling: mean === undefined && scaling.some((m) => m.recordsDuringScaling === 0),
    ...(windows.length ? { restableMs: overallRestable(scaling) } : {}),
    ...(known.length ? { completionMs: known.reduce((a, b) => a + b, 0) } : {}),
    ...(steady.length ? { steadyP99Ms: steady.reduce((a, b) => a + b, 0) / steady.length } : {}),
  };
}

/** The highest latency of a record completed at or after `fromMs`; undefined without one. */
function peakFrom(logs: readonly LatencyLog[], fromMs: number): number | undefined {
  let peak: number | undefined;
  for (const l of logs) for (let i = 0; i < l.tsMs.length; i++) if (l.tsMs[i] >= fromMs && (peak === undefined || l.latencyMs[i] > peak)) peak = l.latencyMs[i];
  return peak;
}

/** The table's cells of one run (rescaleMetrics, formatted). */
export function rescaleRow(run: Run, ctx: FigureContext): Record<(typeof RESCALE_COLUMNS)[number], string> {
  const m = rescaleMetrics(run, ctx);
  return {
    'peak (ms)': fmt(m.peakMs, 1),
    'downtime (ms)': fmt(m.downtimeMs, 1),
    'mean during scaling (ms)': m.noRecordDuringScaling ? 'no record' : fmt(m.meanDuringScalingMs, 3),
    're-stable (ms)': m.restableMs === null ? 'never' : fmt(m.restableMs, 0),
    'completion (ms)': fmt(m.completionMs, 1),
    'p99 steady (ms)': fmt(m.steadyP99Ms, 3),
  };
}

const table: FigureDef = {
  id: 'flink-rescale-table',
  family: FAMILY,
  title: 'Rescaling: peak, downtime, mean during scaling, re-stable time, completion, steady p99',
  produce: PRODUCE,
  build(ctx: FigureContext) {
    const picked = rescaleRuns(ctx.runs);
    if (picked.length === 0) return undefined;
    const labels = picked.map((p) => p.label);
    const values = picked.flatMap(({ run, label }) => {
      const row = rescaleRow(run, ctx);
      return RESCALE_COLUMNS.map((column) => ({ way: label, column, text: row[column] }));
    });
    const spec = textTable(this.title, values, { field: 'way', labels, columns: RESCALE_COLUMNS, columnWidth: 150 });
    return {
      id: this.id,
      family: FAMILY,
      title: this.title,
      caption: "Per way of the same rescale: peak = the highest latency of a record completed from the rescale's start on; downtime = the longest gap between consecutive completed records (all subtasks) overlapping the rescale (Flink: from the REST request to the job view showing the new parallelism running); mean during scaling = mean latency of the records completed within that window (\"no record\": none); re-stable = from its start until every later second's p99 stays below 1.2 x the peak per-second p99 of the 10 s before it, in whole seconds (\"never\": the last second was still above); completion = the migration's own duration (Spacker: Σ sync + update over its chunks; Flink: its downtime); p99 steady = mean per-second p99 outside the rescale (first and last second left out). Runs: " + describeRuns(picked.map((p) => p.run)) + '.',
      spec,
      runs: picked.map((p) => p.run),
    };
  },
};

export const FLINK_RESCALE_FIGURES: FigureDef[] = [latency, table];

/**
 * The strategy comparison (`spacker compare`): per run, the metrics a user weighs when choosing a migration
 * strategy; per workload x strategy cell, their mean and 95 % interval over repeats; per workload, the
 * strategy to recommend for three goals. Pure functions over parsed runs.
 *
 * Runs of a comparison carry two labels in their configuration: `spacker.compare.workload` and
 * `spacker.compare.strategy` (set by the command; they change nothing in the run).
 */
import { windowSeconds } from './metrics.ts';
import { migrationFigures, migrationWindows, overallMeanDuringScaling, overallRestable, scalingMetrics } from './migrations.ts';
import { overall } from './series.ts';
import { meanCi, type MeanCi } from './stats.ts';
import type { Run, SeriesPoint } from '../model.ts';

export const COMPARE_KEYS = { workload: 'spacker.compare.workload', strategy: 'spacker.compare.strategy' } as const;

export type CompareMetric = 'spikeMs' | 'meanDuringScalingMs' | 'restableMs' | 'p99OtherMs' | 'completionMs' | 'movedMiB' | 'throughputDipPct' | 'checkpointMsPerS' | 'memoryMiB';

export interface MetricInfo {
  id: CompareMetric;
  /** Column / axis title. */
  label: string;
  /** File-friendly name (CSV columns, figure ids). */
  slug: string;
  digits: number;
  /** What it means, for captions and the README. */
  doc: string;
}

/** Every metric, lower is better for each. */
export const COMPARE_METRICS: readonly MetricInfo[] = [
  { id: 'spikeMs', label: 'spike (ms)', slug: 'spike', digits: 2, doc: 'max per-second p99 latency from a migration\'s start to 1 s after its end (max over the run\'s migrations)' },
  { id: 'meanDuringScalingMs', label: 'mean during scaling (ms)', slug: 'mean-during-scaling', digits: 3, doc: 'mean latency of the records completed between a migration\'s start and its end (over every migration\'s records)' },
  { id: 'restableMs', label: 're-stable (ms)', slug: 'restable', digits: 0, doc: 'from a migration\'s start until every later second\'s p99 stays below 1.2 x the peak of the 10 s before it (the longest over the run\'s migrations; never = not before the next migration or the run\'s end)' },
  { id: 'p99OtherMs', label: 'p99 others (ms)', slug: 'p99-others', digits: 3, doc: 'max per-second p99 of the key groups that do not move, in the same windows' },
  { id: 'completionMs', label: 'completion (ms)', slug: 'completion', digits: 1, doc: 'sum over migrations of sync + update time (restart: its downtime)' },
  { id: 'movedMiB', label: 'moved (MiB)', slug: 'moved', digits: 1, doc: 'state bytes shipped between subtasks (replica restores ship nothing)' },
  { id: 'throughputDipPct', label: 'throughput dip (%)', slug: 'throughput-dip', digits: 1, doc: 'how far the records completed per second fell below the steady rate in a migration window, in % of it' },
  { id: 'checkpointMsPerS', label: 'checkpoint time (ms/s)', slug: 'checkpoint-time', digits: 2, doc: 'steady-state overhead: checkpoint and replication time per second of run' },
  { id: 'memoryMiB', label: 'memory (MiB)', slug: 'memory', digits: 0, doc: 'steady-state overhead: the most state and replicas held at once (replicas as a cluster holds them, a copy per TaskManager)' },
];

/** A run's metrics; the re-stable time is null when a migration never re-stabilized. */
export type RunMetrics = Partial<Record<Exclude<CompareMetric, 'restableMs'>, number>> & { restableMs?: number | null };

const maxOf = (vs: (number | undefined)[]): number | undefined => {
  const ok = vs.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return ok.length ? Math.max(...ok) : undefined;
};

/** The metrics of one run, from its summary, series, timers and events. */
export function runMetrics(run: Run, series: readonly SeriesPoint[] = run.series): RunMetrics {
  const windows = migrationWindows(run);
  const migrations = run.summary?.migrations ?? [];
  const all = overall(series);
  const firstS = windows.length ? windowSeconds(windows[0]).fromS : Infinity;
  // Steady rate: records completed per second before the first migration (second 0 is warm-up).
  const steady = all.filter((p) => p.ts_s >= 1 && p.ts_s < firstS).map((p) => p.count);
  const steadyRate = steady.length ? steady.reduce((a, b) => a + b, 0) / steady.length : undefined;
  const lastS = all.length ? all[all.length - 1].ts_s : -1;
  let dip: number | undefined;
  if (steadyRate !== undefined && steadyRate > 0) {
    for (const w of windows) {
      // The run's last second is partial: it says nothing about the migration.
      const { fromS, toS } = windowSeconds(w);
      const counts = all.filter((p) => p.ts_s >= fromS && p.ts_s <= toS && p.ts_s < lastS).map((p) => p.count);
      if (counts.length === 0) continue;
      const d = Math.max(0, (1 - Math.min(...counts) / steadyRate) * 100);
      dip = Math.max(dip ?? 0, d);
    }
  }
  const runtimeS = run.summary?.runtimeS ?? (lastS + 1);
  const checkpointMs = run.timers.filter((t) => t.timer === 'replication').reduce((a, t) => a + t.durationMs, 0);
  // What the job holds, not the process (a sweep runs in one process, and what an earlier run freed may not be
  // reclaimed yet when a later one ends), at its peak (Nexmark's windows have all fired by the end). Summaries
  // written before peakHeldBytes existed fall back to the end state.
  const state = run.summary?.stateBytes;
  const memory = run.summary?.peakHeldBytes ?? (state === undefined ? undefined : state + (run.summary?.replicaBytes ?? 0));
  const scaling = scalingMetrics(run, series, windows);
  const figures = migrationFigures(run, series, windows);
  return {
    spikeMs: maxOf(figures.map((f) => f.spikeMs)) ?? maxOf(migrations.map((m) => m.spikeMs)),
    meanDuringScalingMs: overallMeanDuringScaling(scaling),
    restableMs: overallRestable(scaling),
    p99OtherMs: maxOf(figures.map((f) => f.p99OtherMs)) ?? maxOf(migrations.map((m) => m.p99OtherMs)),
    completionMs: migrations.length ? migrations.reduce((a, m) => a + (m.completionMs ?? 0), 0) : undefined,
    movedMiB: migrations.length ? migrations.reduce((a, m) => a + (m.bytes ?? 0), 0) / 2 ** 20 : undefined,
    throughputDipPct: dip,
    // A Flink run reports no checkpoint timers: unknown, not 0 (it does not compete for least overhead).
    checkpointMsPerS: runtimeS > 0 && run.config['spacker.engine'] !== 'flink' ? checkpointMs / runtimeS : undefined,
    memoryMiB: memory !== undefined ? memory / 2 ** 20 : undefined,
  };
}

export interface CompareCell {
  workload: string;
  strategy: string;
  /** Runs behind the cell (repeats). */
  runs: number;
  /** Mean and interval over the runs that have the metric (the re-stable time: over those that re-stabilized). */
  values: Partial<Record<CompareMetric, MeanCi>>;
  /** Per metric, the runs that never reached it (the re-stable time's "never"); absent when none. */
  never?: Partial<Record<CompareMetric, number>>;
}

/**
 * A cell's value as tables and heat-maps write it: `mean` or `mean ± ci95`; "never" when no run reached the
 * metric (re-stable), `... (never in k of n)` when some did not; undefined when the cell has nothing.
 */
export function cellLabel(c: CompareCell | undefined, m: Pick<MetricInfo, 'id' | 'digits'>, fmt: (v: number, digits: number) => string): string | undefined {
  const v = c?.values[m.id];
  const never = c?.never?.[m.id];
  if (v === undefined) return never === undefined ? undefined : 'never';
  const text = v.n > 1 ? `${fmt(v.mean, m.digits)} ± ${fmt(v.ci95, m.digits)}` : fmt(v.mean, m.digits);
  return never === undefined ? text : `${text} (never in ${never} of ${v.n + never})`;
}

export const workloadOf = (run: Run): string | undefined => {
  const v = run.config[COMPARE_KEYS.workload];
  return typeof v === 'string' && v !== '' ? v : undefined;
};
export const strategyOf = (run: Run): string | undefined => {
  const v = run.config[COMPARE_KEYS.strategy];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** Runs that fill a comparison cell. */
export const isCompareRun = (run: Run): boolean => workloadOf(run) !== undefined && strategyOf(run) !== undefined;

/**
 * One cell per (workload, strategy), in the order the comparison ran them (earliest start of the cell's runs;
 * the command runs workload by workload, strategies in its own order), unless `order` gives the workloads'
 * and strategies' order.
 */
export function compareCells(
  runs: readonly Run[],
  order?: { workloads: readonly string[]; strategies: readonly string[] },
  series: (run: Run) => readonly SeriesPoint[] = (run) => run.series,
): CompareCell[] {
  const groups = new Map<string, { workload: string; strategy: string; metrics: RunMetrics[]; firstStart: number }>();
  for (const run of runs) {
    const workload = workloadOf(run);
    const strategy = strategyOf(run);
    if (workload === undefined || strategy === undefined) continue;
    const key = `${workload}\u0000${strategy}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { workload, strategy, metrics: [], firstStart: Infinity }));
    g.metrics.push(runMetrics(run, series(run)));
    g.firstStart = Math.min(g.firstStart, run.startEpochMs ?? Infinity);
  }
  const cells = [...groups.values()].sort((a, b) => a.firstStart - b.firstStart).map((g): CompareCell => {
    const values: CompareCell['values'] = {};
    const never: NonNullable<CompareCell['never']> = {};
    for (const m of COMPARE_METRICS) {
      const stat = meanCi(g.metrics.map((x) => x[m.id]).filter((v): v is number => typeof v === 'number'));
      if (stat !== undefined) values[m.id] = stat;
      const nulls = g.metrics.filter((x) => x[m.id] === null).length;
      if (nulls > 0) never[m.id] = nulls;
    }
    return { workload: g.workload, strategy: g.strategy, runs: g.metrics.length, values, ...(Object.keys(never).length > 0 ? { never } : {}) };
  });
  if (order !== undefined) {
    const rank = (list: readonly string[], v: string): number => (list.includes(v) ? list.indexOf(v) : list.length);
    cells.sort((a, b) => rank(order.workloads, a.workload) - rank(order.workloads, b.workload) || rank(order.strategies, a.strategy) - rank(order.strategies, b.strategy));
  }
  return cells;
}

export type Goal = 'lowest-spike' | 'shortest-completion' | 'least-overhead';

export const GOALS: readonly { id: Goal; label: string; metric: CompareMetric; tieBreak: CompareMetric }[] = [
  { id: 'lowest-spike', label: 'lowest spike', metric: 'spikeMs', tieBreak: 'completionMs' },
  { id: 'shortest-completion', label: 'shortest completion', metric: 'completionMs', tieBreak: 'spikeMs' },
  { id: 'least-overhead', label: 'least overhead', metric: 'checkpointMsPerS', tieBreak: 'memoryMiB' },
];

export interface Recommendation {
  workload: string;
  goal: Goal;
  strategy: string;
  metric: CompareMetric;
  value: number;
  /** The runner-up and its value, when there is one: how clear the choice is. */
  runnerUp?: { strategy: string; value: number };
  /** Set when the runner-up is within 1 % on the goal's metric: this second metric chose between them. */
  decidedBy?: CompareMetric;
}

/**
 * Per workload and goal, the strategy with the lowest mean of the goal's metric (ties, within 1 %, broken by
 * a second metric). Cells without the metric do not compete.
 */
export function recommend(cells: readonly CompareCell[]): Recommendation[] {
  const out: Recommendation[] = [];
  const workloads = [...new Set(cells.map((c) => c.workload))];
  for (const workload of workloads) {
    const mine = cells.filter((c) => c.workload === workload);
    for (const goal of GOALS) {
      const v = (c: CompareCell): number => c.values[goal.metric]?.mean as number;
      const ranked = mine
        .filter((c) => c.values[goal.metric] !== undefined)
        .sort((a, b) => {
          if (!within1Percent(v(a), v(b))) return v(a) - v(b);
          return (a.values[goal.tieBreak]?.mean ?? Infinity) - (b.values[goal.tieBreak]?.mean ?? Infinity) || v(a) - v(b);
        });
      const best = ranked[0];
      if (best === undefined) continue;
      const second = ranked[1];
      out.push({
        workload,
        goal: goal.id,
        strategy: best.strategy,
        metric: goal.metric,
        value: v(best),
        ...(second !== undefined ? { runnerUp: { strategy: second.strategy, value: v(second) } } : {}),
        ...(second !== undefined && within1Percent(v(best), v(second)) ? { decidedBy: goal.tieBreak } : {}),
      });
    }
  }
  return out;
}

/** For a recommendation the tie rule decided: what the terminal and the report say about it. */
export function tieNote(r: Recommendation): string | undefined {
  if (r.decidedBy === undefined) return undefined;
  return `within 1 %: the lower ${COMPARE_METRICS.find((m) => m.id === r.decidedBy)?.label ?? r.decidedBy} decides`;
}

/** Whether two values of a metric are a tie for a recommendation. */
function within1Percent(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The trade-off frontier of one workload: strategies no other strategy beats on both spike and completion
 * (ascending completion).
 */
export function frontier(cells: readonly CompareCell[]): CompareCell[] {
  const pts = cells.filter((c) => c.values.spikeMs !== undefined && c.values.completionMs !== undefined);
  const s = (c: CompareCell): number => c.values.spikeMs?.mean as number;
  const t = (c: CompareCell): number => c.values.completionMs?.mean as number;
  return pts
    .filter((c) => !pts.some((o) => o !== c && s(o) <= s(c) && t(o) <= t(c) && (s(o) < s(c) || t(o) < t(c))))
    .sort((a, b) => t(a) - t(b));
}

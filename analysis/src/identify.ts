/**
 * What a run is, from its resolved configuration (never from folder names), and how to pick the runs of a
 * sweep: runs that agree on every key but the swept ones.
 */
import type { ConfigValue, Run } from './model.ts';

export const KEYS = {
  scenario: 'spector.reconfig.scenario',
  syncKeys: 'spector.reconfig.sync_keys',
  filter: 'spector.replicate_keys_filter',
  order: 'spector.reconfig.order_function',
  affectedKeys: 'spector.reconfig.affected_keys',
  affectedTasks: 'spector.reconfig.affected_tasks',
  strategy: 'spacker.strategy',
  perKeySize: 'spacker.workload.per_key_size',
  rate: 'spacker.rate.per_task',
  maxParallelism: 'spacker.max_parallelism',
  parallelism: 'spacker.parallelism',
  accessRatio: 'spacker.workload.state_access_ratio',
  zipf: 'spacker.workload.zipf_skew',
  reconfigZipf: 'spector.reconfig.workload.zipf_skew',
  checkpointInterval: 'spacker.checkpoint.interval',
} as const;

/** Keys that never change what a run measures. */
const IGNORED = new Set(['spacker.output.latency_log', 'spacker.output.spector', 'spector.exp.dir', 'spacker.seed']);

export function cfg(run: Run, key: string): ConfigValue | undefined {
  return run.config[key];
}

export function cfgNum(run: Run, key: string, fallback: number): number {
  const v = run.config[key];
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && typeof v[0] === 'number') return v[0];
  return fallback;
}

export function cfgStr(run: Run, key: string, fallback: string): string {
  const v = run.config[key];
  return typeof v === 'string' ? v : fallback;
}

export const isRestart = (run: Run): boolean => cfgStr(run, KEYS.strategy, 'spacker') === 'restart';
export const scenarioOf = (run: Run): string => cfgStr(run, KEYS.scenario, 'shuffle');
/** A live (not restart) run of the shuffle scenario: what the pareto and breakdown sweeps compare. */
export const isShuffleSpacker = (run: Run): boolean => scenarioOf(run) === 'shuffle' && !isRestart(run);
export const syncOf = (run: Run): number => cfgNum(run, KEYS.syncKeys, 0);
export const filterOf = (run: Run): number => cfgNum(run, KEYS.filter, 0);
export const orderOf = (run: Run): string => cfgStr(run, KEYS.order, 'default');

/** Share of key groups replicated by filter f (kg % f == 0): 1/f, 0 for none. */
export const replicationPercent = (f: number): number => (f > 0 ? Math.round(100 / f) : 0);

/** The strategy a run's (first) migration used, as the paper's legends name it. */
export function strategyLabel(run: Run): string {
  if (run.format === 'reference' && Object.keys(run.config).length === 0) return run.name;
  if (isRestart(run)) return 'Restart';
  // Another registered mechanism (a peer's): its name; Spacker's strategy points are named below.
  const mechanism = cfgStr(run, KEYS.strategy, 'spacker');
  if (mechanism !== 'spacker') return mechanism;
  if (scenarioOf(run) === 'dynamic') return 'Spacker';
  const sync = syncOf(run);
  const f = filterOf(run);
  // micro-bench-stock.sh's "Spacker" run is one static mix of chunks and replication (sync 512, filter 2).
  if (scenarioOf(run) === 'stock' && sync > 0 && f > 0) return 'Spacker';
  const parts: string[] = [];
  if (sync > 0) parts.push(`Fluid (chunk ${sync})`);
  if (f > 0) parts.push(`Replication (${replicationPercent(f)} %)`);
  if (orderOf(run) !== 'default' && sync > 0) parts.push(orderOf(run));
  return parts.length ? parts.join(', ') : 'All-at-once';
}

/** The run's configuration minus the given keys, as a comparable string. */
export function contextOf(run: Run, vary: readonly string[]): string {
  const keys = Object.keys(run.config)
    .filter((k) => !IGNORED.has(k) && !vary.includes(k))
    .sort();
  return JSON.stringify([run.workload ?? '', keys.map((k) => [k, run.config[k]])]);
}

export interface SweepPoint {
  run: Run;
  x: number | string;
  series: string;
}

export interface SweepSpec {
  /** Config keys allowed to differ between the runs of the sweep. */
  vary: readonly string[];
  where: (run: Run) => boolean;
  x: (run: Run) => number | string;
  series?: (run: Run) => string;
  /** Keep only series present at this many x values or more (drops stray runs of other families). */
  minPerSeries?: number;
}

/**
 * The runs of one sweep: among the runs passing `where`, those agreeing on every key outside `vary`; when
 * several such groups exist, the one with the most distinct (x, series) points. Same point twice: the
 * latest run wins. Sorted by series then x.
 */
export function pickSweep(runs: readonly Run[], spec: SweepSpec): SweepPoint[] {
  const groups = new Map<string, Map<string, SweepPoint>>();
  for (const run of runs) {
    if (run.format !== 'ours' || !spec.where(run)) continue;
    const ctx = contextOf(run, spec.vary);
    const point: SweepPoint = { run, x: spec.x(run), series: spec.series?.(run) ?? '' };
    const id = JSON.stringify([point.x, point.series]);
    const g = groups.get(ctx) ?? new Map<string, SweepPoint>();
    groups.set(ctx, g);
    const prev = g.get(id);
    if (!prev || (run.startEpochMs ?? 0) >= (prev.run.startEpochMs ?? 0)) g.set(id, point);
  }
  let best: SweepPoint[] = [];
  for (const g of groups.values()) {
    let points = [...g.values()];
    const min = spec.minPerSeries ?? 1;
    if (min > 1) {
      const per = new Map<string, number>();
      for (const p of points) per.set(p.series, (per.get(p.series) ?? 0) + 1);
      points = points.filter((p) => (per.get(p.series) ?? 0) >= min);
    }
    if (points.length > best.length) best = points;
  }
  const cmp = (a: number | string, b: number | string): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
  return best.sort((a, b) => a.series.localeCompare(b.series) || cmp(a.x, b.x));
}

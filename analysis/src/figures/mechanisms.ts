/**
 * The `mechanisms` family (npm run exp:mechanisms): the same shuffle of the micro-benchmark by every registered
 * migration mechanism, Spacker as its all-at-once and fluid points. Per-second p99 over time, one line per
 * mechanism, the migration window marked; and a table of spike, mean during scaling, re-stable time and
 * completion (analysis/src/compute/metrics.ts defines them).
 */
import { overallMeanDuringScaling, overallRestable, scalingMetrics } from '../compute/migrations.ts';
import { KEYS, cfgStr, contextOf, filterOf, scenarioOf, syncOf } from '../identify.ts';
import { describeRuns, type FigureContext, type FigureDef } from './figure.ts';
import { p99Timeline } from './p99-timeline.ts';
import { textTable } from './text-table.ts';
import { runFacts } from './run-facts.ts';
import type { Run } from '../model.ts';

const PRODUCE = 'exp:mechanisms';
const ALL_AT_ONCE = 'spacker (all-at-once)';
const FLUID = 'spacker (fluid)';

/** The family's name for a run: a Spacker strategy point, another mechanism's name, or undefined (not a point). */
export function mechanismPoint(run: Run): string | undefined {
  const mechanism = cfgStr(run, KEYS.strategy, 'spacker');
  if (mechanism !== 'spacker') return mechanism;
  if (filterOf(run) !== 0) return undefined;
  return syncOf(run) === 0 ? ALL_AT_ONCE : syncOf(run) === 1 ? FLUID : undefined;
}

/**
 * The family's runs: among our shuffle runs agreeing on every key but the mechanism, the chunk size and the
 * checkpoint interval (a mechanism that replicates at checkpoints runs with them, see the catalogue), the
 * group with both Spacker points and at least one other mechanism (the most points if several); one run per
 * point (the latest). Spacker's points first, then the other mechanisms by name.
 */
export function mechanismRuns(runs: readonly Run[]): { run: Run; label: string }[] {
  const groups = new Map<string, Map<string, Run>>();
  for (const run of runs) {
    const label = run.format === 'ours' && scenarioOf(run) === 'shuffle' ? mechanismPoint(run) : undefined;
    if (label === undefined) continue;
    const ctx = contextOf(run, [KEYS.strategy, KEYS.syncKeys, KEYS.checkpointInterval]);
    const g = groups.get(ctx) ?? new Map<string, Run>();
    groups.set(ctx, g);
    const prev = g.get(label);
    if (prev === undefined || (run.startEpochMs ?? 0) >= (prev.startEpochMs ?? 0)) g.set(label, run);
  }
  let best: Map<string, Run> | undefined;
  for (const g of groups.values()) {
    if (!g.has(ALL_AT_ONCE) || !g.has(FLUID) || g.size < 3) continue;
    if (best === undefined || g.size > best.size) best = g;
  }
  if (best === undefined) return [];
  const rank = (l: string): string => (l === ALL_AT_ONCE ? '0' : l === FLUID ? '1' : `2${l}`);
  return [...best].map(([label, run]) => ({ run, label })).sort((a, b) => rank(a.label).localeCompare(rank(b.label)));
}

const latency: FigureDef = {
  id: 'mechanisms-latency',
  family: 'mechanisms',
  title: 'Migration mechanisms: per-second p99 over time',
  produce: PRODUCE,
  build(ctx: FigureContext) {
    const picked = mechanismRuns(ctx.runs);
    if (picked.length === 0) return undefined;
    const spec = p99Timeline(this.title, ctx, picked, { field: 'mechanism', legend: 'Mechanism', what: 'migration' });
    if (spec === undefined) return undefined;
    return {
      id: this.id,
      family: 'mechanisms',
      title: this.title,
      caption: `The same shuffle (the same key groups at the same moment) by every registered migration mechanism; Spacker as its all-at-once (sync_keys 0) and fluid (sync_keys 1) points; Rhino with checkpoints (it replicates at each), the others without. Per-second overall p99 (series.csv), plotted in the middle of each second, log scale. Grey band: from the earliest migration start to the latest migration end of these runs (dashed: the start); each mechanism's own window is in the table. Runs: ${describeRuns(picked.map((p) => p.run))}.`,
      spec,
      runs: picked.map((p) => p.run),
    };
  },
};

const COLUMNS = ['spike (ms)', 'mean during scaling (ms)', 're-stable (ms)', 'completion (ms)'] as const;

const fmt = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

/** The table's four figures of one run: over its migrations, the max spike, the mean over every window's records, the longest re-stable time, the Σ completion. */
export function mechanismRow(run: Run, ctx: FigureContext): Record<(typeof COLUMNS)[number], string> {
  const series = ctx.series(run);
  const facts = runFacts(run, series);
  const scaling = scalingMetrics(run, series, facts.windows, () => ctx.logs(run));
  const spikes = facts.spikes.filter((v): v is number => v !== undefined);
  const restable = overallRestable(scaling);
  const known = facts.completions.filter((v): v is number => v !== undefined);
  return {
    'spike (ms)': fmt(spikes.length ? Math.max(...spikes) : undefined, 3),
    'mean during scaling (ms)': scaling.some((m) => m.recordsDuringScaling === 0) && overallMeanDuringScaling(scaling) === undefined ? 'no record' : fmt(overallMeanDuringScaling(scaling), 3),
    're-stable (ms)': restable === null ? 'never' : fmt(restable, 0),
    'completion (ms)': fmt(known.length ? known.reduce((a, b) => a + b, 0) : undefined, 1),
  };
}

const table: FigureDef = {
  id: 'mechanisms-table',
  family: 'mechanisms',
  title: 'Migration mechanisms: spike, mean during scaling, re-stable time, completion',
  produce: PRODUCE,
  build(ctx: FigureContext) {
    const picked = mechanismRuns(ctx.runs);
    if (picked.length === 0) return undefined;
    const labels = picked.map((p) => p.label);
    const values = picked.flatMap(({ run, label }) => {
      const row = mechanismRow(run, ctx);
      return COLUMNS.map((column) => ({ mechanism: label, column, text: row[column] }));
    });
    const spec = textTable(this.title, values, { field: 'mechanism', labels, columns: COLUMNS, columnWidth: 190 });
    return {
      id: this.id,
      family: 'mechanisms',
      title: this.title,
      caption: 'Per mechanism of the same shuffle: spike = max per-second p99 from the migration\'s start to 1 s after its end; mean during scaling = mean latency of the records completed between its start and its end ("no record": none completed, as when a restart stops the job); re-stable = from its start until every later second\'s p99 (up to the run\'s last second, which is left out) stays below 1.2 x the peak per-second p99 of the 10 s before it, in whole seconds ("never": the last second was still above); completion = the mechanism\'s own duration (Spacker: Σ sync + update over its chunks; restart: its downtime). Runs: ' + describeRuns(picked.map((p) => p.run)) + '.',
      spec,
      runs: picked.map((p) => p.run),
    };
  },
};

export const MECHANISMS_FIGURES: FigureDef[] = [latency, table];

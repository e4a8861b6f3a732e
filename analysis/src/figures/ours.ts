/**
 * Figures the reference did not have: the latency CCDF per strategy, the p99 of migrating vs other key groups
 * around a migration, and Spacker vs the restart baseline.
 */
import { latencyCcdf } from '../compute/ccdf.ts';
import { overall } from '../compute/series.ts';
import { KEYS, contextOf, filterOf, isRestart, scenarioOf, strategyLabel, syncOf } from '../identify.ts';
import { chart, describeRuns, p99Rows, round, type FigureContext, type FigureDef } from './figure.ts';
import { runFacts } from './run-facts.ts';
import type { Run } from '../model.ts';

/** Among shuffle runs agreeing on all but the strategy: all-at-once, the smallest and largest chunk, the fullest replication, restart. */
function strategyRuns(runs: readonly Run[]): Run[] {
  const vary = [KEYS.syncKeys, KEYS.filter, KEYS.order, KEYS.strategy];
  const groups = new Map<string, Map<string, Run>>();
  for (const r of runs) {
    if (r.format !== 'ours' || scenarioOf(r) !== 'shuffle') continue;
    const ctx = contextOf(r, vary);
    const g = groups.get(ctx) ?? new Map<string, Run>();
    groups.set(ctx, g);
    const label = strategyLabel(r);
    if (!g.has(label)) g.set(label, r);
  }
  let best: Run[] = [];
  for (const g of groups.values()) if (g.size > best.length) best = [...g.values()];
  const label = strategyLabel;
  const fluid = best.filter((r) => label(r).startsWith('Fluid') && !label(r).includes(',')).sort((a, b) => syncOf(a) - syncOf(b));
  const repl = best.filter((r) => label(r).startsWith('Replication')).sort((a, b) => filterOf(a) - filterOf(b));
  const picks = [best.find((r) => label(r) === 'All-at-once'), fluid[0], fluid.length > 1 ? fluid[fluid.length - 1] : undefined, repl[0], best.find(isRestart)];
  return picks.filter((r): r is Run => r !== undefined);
}

const ccdf: FigureDef = {
  id: 'ours-ccdf',
  family: 'ours',
  title: 'Latency CCDF per strategy',
  produce: 'exp:micro-bench',
  build(ctx: FigureContext) {
    const runs = strategyRuns(ctx.runs);
    if (runs.length < 2) return undefined;
    const values = runs.flatMap((r) =>
      latencyCcdf(ctx.logs(r))
        .filter((p) => p.fraction > 0)
        .map((p) => ({ latency: round(p.latencyMs, 4), fraction: p.fraction, strategy: strategyLabel(r) })),
    );
    if (values.length === 0) return undefined;
    const spec = chart('Latency CCDF per strategy', {
      data: { values },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'latency', type: 'quantitative', title: 'Latency (ms)', scale: { type: 'log' } },
        y: { field: 'fraction', type: 'quantitative', title: 'P(latency > x)', scale: { type: 'log' } },
        color: { field: 'strategy', type: 'nominal', title: null },
      },
    });
    return {
      id: this.id,
      family: 'ours',
      title: this.title,
      caption: `Fraction of all records of the run (every subtask, whole run) whose latency exceeds x, one line per strategy of the same shuffle; from the per-record latency logs, binned 40 per decade. Runs: ${describeRuns(runs)}.`,
      spec,
      runs,
    };
  },
};

const migratingVsOther: FigureDef = {
  id: 'ours-migrating-vs-other',
  family: 'ours',
  title: 'P99 of migrating vs other key groups during a migration',
  produce: 'exp:micro-bench',
  build(ctx: FigureContext) {
    const runs = strategyRuns(ctx.runs).filter((r) => !isRestart(r));
    const values = runs.flatMap((r) => {
      const s = ctx.series(r);
      const w = runFacts(r, s).windows[0];
      if (!w) return [];
      const from = Math.floor(w.startMs / 1000) - 5;
      const to = Math.floor(w.endMs / 1000) + 6;
      return (['migrating', 'other'] as const).flatMap((scope) =>
        overall(s, scope)
          .filter((p) => p.ts_s >= from && p.ts_s <= to)
          .map((p) => ({ t: p.ts_s, p99: Math.max(p.p99, 0.01), scope: scope === 'migrating' ? 'migrating key groups' : 'other key groups', strategy: strategyLabel(r) })),
      );
    });
    if (values.length === 0) return undefined;
    const spec = chart(this.title, {
      data: { values },
      facet: { column: { field: 'strategy', type: 'nominal', title: null } },
      spec: {
        width: 220,
        height: 180,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'Elapsed Time (s)', scale: { zero: false } },
          y: { field: 'p99', type: 'quantitative', title: 'P99 Latency (ms)', scale: { type: 'log' } },
          color: { field: 'scope', type: 'nominal', title: null },
        },
      },
    });
    return {
      id: this.id,
      family: 'ours',
      title: this.title,
      caption: `Per-second overall p99 of the records of key groups migrating in that second vs all others (series.csv scopes), from 5 s before the first migration to 5 s after its end. Runs: ${describeRuns(runs)}.`,
      spec,
      runs,
    };
  },
};

const vsRestart: FigureDef = {
  id: 'ours-spacker-vs-restart',
  family: 'ours',
  title: 'Spacker vs the restart baseline',
  produce: 'exp:micro-bench',
  build(ctx: FigureContext) {
    const runs = strategyRuns(ctx.runs);
    const restart = runs.find(isRestart);
    if (!restart || runs.length < 2) return undefined;
    const values = runs.flatMap((r) => p99Rows(ctx.series(r), strategyLabel(r)).map(({ t, p99, strategy }) => ({ t, p99, strategy })));
    const marks = runFacts(restart, ctx.series(restart)).windows.map((w) => ({ t: Math.round(w.startMs / 100) / 10 }));
    const spec = chart(this.title, {
      layer: [
        { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 't', type: 'quantitative', title: 'Elapsed Time (s)' }, y: { field: 'p99', type: 'quantitative', title: 'P99 Latency (ms)', scale: { type: 'log' } }, color: { field: 'strategy', type: 'nominal', title: null } } },
        { data: { values: marks }, mark: { type: 'rule', strokeDash: [4, 3], color: 'gray' }, encoding: { x: { field: 't', type: 'quantitative' } } },
      ],
    }, { width: 520 });
    return {
      id: this.id,
      family: 'ours',
      title: this.title,
      caption: `The same shuffle done live by Spacker's strategies and by stop-snapshot-redistribute-restart (spacker.strategy=restart, Flink's native way); per-second overall p99 (series.csv); dashed line: start of the restart. Runs: ${describeRuns(runs)}.`,
      spec,
      runs,
    };
  },
};

export const OURS: FigureDef[] = [ccdf, migratingVsOther, vsRestart];

/**
 * The strategy comparison (`npm run compare`): one heat-map of strategy x workload per metric, coloured by the
 * ratio to the best strategy of the workload (so workloads of different scales share one colour scale) and
 * labelled with the measured value; and a spike-vs-completion scatter per workload with its trade-off frontier.
 */
import { COMPARE_METRICS, cellLabel, compareCells, frontier, isCompareRun, type CompareCell, type MetricInfo } from '../compute/compare.ts';
import { chart, describeRuns, round, type FigureContext, type FigureDef } from './figure.ts';

const PRODUCE = 'compare';

function cellsOf(ctx: FigureContext): { cells: CompareCell[]; runs: FigureContext['runs'] } | undefined {
  const runs = ctx.runs.filter(isCompareRun);
  if (runs.length === 0) return undefined;
  return { cells: compareCells(runs, undefined, ctx.series), runs };
}

const fmt = (v: number, digits: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits));

function heatmap(m: MetricInfo): FigureDef {
  const id = `compare-heatmap-${m.slug}`;
  const title = `Strategies x workloads: ${m.label}`;
  return {
    id,
    family: 'compare',
    title,
    produce: PRODUCE,
    build(ctx) {
      const got = cellsOf(ctx);
      if (got === undefined) return undefined;
      const best = new Map<string, number>();
      for (const c of got.cells) {
        const v = c.values[m.id]?.mean;
        if (v !== undefined) best.set(c.workload, Math.min(best.get(c.workload) ?? Infinity, v));
      }
      const measured = got.cells
        .filter((c) => c.values[m.id] !== undefined)
        .map((c) => {
          const stat = c.values[m.id] as { mean: number; ci95: number; n: number };
          const b = best.get(c.workload) as number;
          // Ratio to the workload's best; a best of 0 (e.g. nothing moved) compares by difference instead.
          const ratio = b > 0 ? stat.mean / b : stat.mean > 0 ? 10 : 1;
          return { workload: c.workload, strategy: c.strategy, value: round(stat.mean, m.digits), ratio: round(Math.max(1, ratio), 3), label: cellLabel(c, m, fmt) as string };
        });
      // A cell whose runs never reached the metric (never re-stable) takes the worst colour of the figure.
      const worst = Math.max(10, ...measured.map((r) => r.ratio ?? 1));
      const never = got.cells
        .filter((c) => c.values[m.id] === undefined && c.never?.[m.id] !== undefined)
        .map((c) => ({ workload: c.workload, strategy: c.strategy, value: null, ratio: worst, label: 'never' }));
      const rows = [...measured, ...never];
      if (rows.length === 0) return undefined;
      const strategies = [...new Set(got.cells.map((c) => c.strategy))];
      const workloads = [...new Set(got.cells.map((c) => c.workload))];
      const spec = chart(
        title,
        {
          data: { values: rows },
          encoding: {
            x: { field: 'workload', type: 'nominal', sort: workloads, title: 'Workload', axis: { labelAngle: 0 } },
            y: { field: 'strategy', type: 'nominal', sort: strategies, title: 'Strategy' },
          },
          layer: [
            {
              mark: { type: 'rect', stroke: 'white' },
              encoding: {
                color: { field: 'ratio', type: 'quantitative', scale: { type: 'log', scheme: 'yelloworangered', domainMin: 1 }, title: 'x best of workload' },
                tooltip: [{ field: 'workload' }, { field: 'strategy' }, { field: 'value', title: m.label }, { field: 'ratio', title: 'x best' }],
              },
            },
            { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'label' }, color: { value: 'black' } } },
          ],
        },
        { width: Math.max(160, 110 * workloads.length), height: 26 * strategies.length },
      );
      return {
        id,
        family: 'compare',
        title,
        caption: `${m.label}: ${m.doc}. Each cell is a run (mean ± 95 % interval over repeats) of the workload with the strategy; every strategy of a workload moves the same key groups at the same moment. Colour: the value divided by the workload's best (1 = best, log scale). Runs: ${describeRuns(got.runs)}.`,
        spec,
        runs: got.runs,
      };
    },
  };
}

const tradeoff: FigureDef = {
  id: 'compare-tradeoff',
  family: 'compare',
  title: 'Spike vs completion per workload, with the trade-off frontier',
  produce: PRODUCE,
  build(ctx) {
    const got = cellsOf(ctx);
    if (got === undefined) return undefined;
    const points = got.cells
      .filter((c) => c.values.spikeMs !== undefined && c.values.completionMs !== undefined)
      .map((c) => ({
        workload: c.workload,
        strategy: c.strategy,
        completion: round(Math.max(c.values.completionMs?.mean as number, 0.01), 3),
        spike: round(Math.max(c.values.spikeMs?.mean as number, 0.001), 4),
      }));
    if (points.length === 0) return undefined;
    const workloads = [...new Set(points.map((p) => p.workload))];
    const front = workloads.flatMap((w) =>
      frontier(got.cells.filter((c) => c.workload === w)).map((c, i) => ({
        workload: w,
        order: i,
        completion: round(Math.max(c.values.completionMs?.mean as number, 0.01), 3),
        spike: round(Math.max(c.values.spikeMs?.mean as number, 0.001), 4),
      })),
    );
    const title = 'Spike vs completion per workload, with the trade-off frontier';
    const spec = chart(title, {
      data: { values: [...points.map((p) => ({ ...p, kind: 'run' })), ...front.map((p) => ({ ...p, kind: 'frontier' }))] },
      facet: { field: 'workload', type: 'nominal', sort: workloads, title: null },
      columns: Math.min(3, workloads.length),
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spec: {
        width: 260,
        height: 200,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'frontier'" }],
            mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
            encoding: { x: { field: 'completion', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'spike', type: 'quantitative', scale: { type: 'log' } }, order: { field: 'order' } },
          },
          {
            transform: [{ filter: "datum.kind === 'run'" }],
            mark: { type: 'point', filled: true, size: 70 },
            encoding: {
              x: { field: 'completion', type: 'quantitative', scale: { type: 'log' }, title: 'Completion time (ms, log)' },
              y: { field: 'spike', type: 'quantitative', scale: { type: 'log' }, title: 'Spike (ms, log)' },
              // Strategies are open-ended (every registered mechanism is one): 20 colours before one repeats.
              color: { field: 'strategy', type: 'nominal', title: 'Strategy', scale: { scheme: 'tableau20' } },
              shape: { field: 'strategy', type: 'nominal' },
              tooltip: [{ field: 'strategy' }, { field: 'completion' }, { field: 'spike' }],
            },
          },
        ],
      },
    });
    return {
      id: 'compare-tradeoff',
      family: 'compare',
      title,
      caption: `Per workload, each strategy's completion time (Σ sync + update over its migrations; restart: downtime) against its latency spike (max per-second p99 from a migration's start to 1 s after its end), both log scale. The dashed line joins the strategies no other strategy beats on both. Runs: ${describeRuns(got.runs)}.`,
      spec,
      runs: got.runs,
    };
  },
};

export const COMPARE: FigureDef[] = [...COMPARE_METRICS.map(heatmap), tradeoff];

/**
 * Overview figures (the reference's overview/*): the p99 curve of the dynamic scenario (three migrations)
 * under Spacker and the single-dimension baselines, per-phase spike / completion / checkpoint time, and
 * throughput. One set per workload (micro-benchmark, Nexmark, Stock).
 */
import { KEYS, contextOf, scenarioOf, strategyLabel } from '../identify.ts';
import { chart, describeRuns, p99Rows, round, type Figure, type FigureContext, type FigureDef, type VlSpec } from './figure.ts';
import { runFacts } from './run-facts.ts';
import { isCompareRun } from '../compute/compare.ts';
import type { Run } from '../model.ts';

/** One overview per workload; `matches` picks its runs by the workload name in their config.json. */
interface OverviewWorkload {
  readonly workload: string;
  readonly produce: string;
  readonly suffix: string;
  readonly matches: (name: string) => boolean;
}

/** The Nexmark family's queries (experiments' catalogue): an overview each, as the reference's per-query figures. */
const NEXMARK_QUERIES = ['q3', 'q5', 'q7', 'q8', 'q11'] as const;

const WORKLOADS: readonly OverviewWorkload[] = [
  // The micro-benchmark's dynamic family runs the -overview variant of the job.
  { workload: 'micro-benchmark', produce: 'exp:micro-bench-dynamic', suffix: '', matches: (n) => n.startsWith('micro-benchmark') },
  ...NEXMARK_QUERIES.map((q): OverviewWorkload => ({ workload: `nexmark-${q}`, produce: 'exp:nexmark', suffix: `-nexmark-${q}`, matches: (n) => n === `nexmark-${q}` })),
  { workload: 'stock', produce: 'exp:stock', suffix: '-stock', matches: (n) => n === 'stock' },
];

/** Runs of one overview: same workload, scenario dynamic/static (or stock), agreeing on all but the strategy keys. */
function overviewRuns(runs: readonly Run[], w: OverviewWorkload): Run[] {
  const vary = [KEYS.scenario, KEYS.syncKeys, KEYS.filter, KEYS.order, 'spacker.strategy'];
  // `spacker compare` runs have figures of their own (compare.ts); the stock ones would otherwise qualify.
  const cands = runs.filter((r) => r.format === 'ours' && !isCompareRun(r) && w.matches(r.workload ?? '') && ['dynamic', 'static', 'stock'].includes(scenarioOf(r)));
  const groups = new Map<string, Map<string, Run>>();
  for (const r of cands) {
    const g = groups.get(contextOf(r, vary)) ?? new Map<string, Run>();
    groups.set(contextOf(r, vary), g);
    const prev = g.get(strategyLabel(r));
    if (!prev || (r.startEpochMs ?? 0) >= (prev.startEpochMs ?? 0)) g.set(strategyLabel(r), r);
  }
  let best: Run[] = [];
  for (const g of groups.values()) if (g.size > best.length) best = [...g.values()];
  return best.sort((a, b) => (strategyLabel(a) === 'Spacker' ? -1 : strategyLabel(b) === 'Spacker' ? 1 : strategyLabel(a).localeCompare(strategyLabel(b))));
}

const MEASURE = 'Latency = completion at the stateful operator minus scheduled emission time; per-second overall p99 from HDR histograms (series.csv).';

function curve(ctx: FigureContext, runs: Run[], title: string): VlSpec {
  const values = runs.flatMap((r) => p99Rows(ctx.series(r), strategyLabel(r)).map(({ t, p99, strategy }) => ({ t, p99, strategy })));
  const ref = runs.find((r) => strategyLabel(r) === 'Spacker') ?? runs[0];
  const marks = runFacts(ref, ctx.series(ref)).windows.map((w) => ({ t: Math.round(w.startMs / 100) / 10 }));
  return chart(title, {
    layer: [
      { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 't', type: 'quantitative', title: 'Elapsed Time (s)' }, y: { field: 'p99', type: 'quantitative', title: 'P99 Latency (ms)', scale: { type: 'log' } }, color: { field: 'strategy', type: 'nominal', title: null } } },
      { data: { values: marks }, mark: { type: 'rule', strokeDash: [4, 3], color: 'gray' }, encoding: { x: { field: 't', type: 'quantitative' } } },
    ],
  }, { width: 520 });
}

function phaseBars(title: string, yTitle: string, values: { phase: string; strategy: string; v: number | null }[]): VlSpec {
  return chart(title, {
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'phase', type: 'ordinal', title: 'Migration', axis: { labelAngle: 0 } },
      xOffset: { field: 'strategy' },
      y: { field: 'v', type: 'quantitative', title: yTitle },
      color: { field: 'strategy', type: 'nominal', title: null },
    },
  }, { width: 360 });
}

type Kind = 'latency' | 'spike' | 'completion' | 'checkpoint' | 'throughput';

function overviewDef(kind: Kind, w: OverviewWorkload): FigureDef {
  const id = `overview${w.suffix}-${kind}`;
  const names: Record<Kind, string> = {
    latency: 'P99 latency over time',
    spike: 'Latency spike per migration',
    completion: 'Completion time per migration',
    checkpoint: 'Periodic checkpoint time before each migration',
    throughput: 'Throughput over time',
  };
  const title = `${w.workload}: ${names[kind]}`;
  return {
    id,
    family: 'overview',
    title,
    produce: w.produce,
    build(ctx: FigureContext): Figure | undefined {
      const runs = overviewRuns(ctx.runs, w);
      if (runs.length === 0) return undefined;
      const what = `${w.workload}, scenario ${runs.map((r) => `${strategyLabel(r)} = ${scenarioOf(r)}`).join(', ')}.`;
      const facts = runs.map((r) => ({ r, f: runFacts(r, ctx.series(r)) }));
      const per = (pick: (f: ReturnType<typeof runFacts>, i: number) => number | undefined): { phase: string; strategy: string; v: number | null }[] =>
        facts.flatMap(({ r, f }) => f.windows.map((_, i) => ({ phase: String(i + 1), strategy: strategyLabel(r), v: round(pick(f, i)) })));
      let spec: VlSpec;
      let how: string;
      switch (kind) {
        case 'latency':
          spec = curve(ctx, runs, title);
          how = `${MEASURE} Dashed lines: migration starts.`;
          break;
        case 'spike':
          spec = phaseBars(title, 'P99 Latency Spike (ms)', per((f, i) => f.spikes[i]));
          how = `Spike = max per-second overall p99 from a migration's start to one second after its end. ${MEASURE}`;
          break;
        case 'completion':
          spec = phaseBars(title, 'Completion Time (ms)', per((f, i) => f.completions[i]));
          how = 'Completion = the mechanism\'s own duration (summary.json; Spacker: Σ over the migration\'s chunks of sync + update, as in timers.csv; restart: its downtime).';
          break;
        case 'checkpoint':
          spec = phaseBars(title, 'Periodic Chkpt Time (ms)', per((f, i) => f.timers[i]?.replicationMeanMs));
          how = 'Mean duration of the periodic checkpoints (which also ship dirty replicated key groups) between the previous migration and this one (timers.csv, replication rows).';
          break;
        case 'throughput': {
          const values = runs.flatMap((r) => p99Rows(ctx.series(r), strategyLabel(r)).map(({ t, count, strategy }) => ({ t, count, strategy })));
          spec = chart(title, { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 't', type: 'quantitative', title: 'Elapsed Time (s)' }, y: { field: 'count', type: 'quantitative', title: 'Throughput (records/s)', scale: { type: 'log' } }, color: { field: 'strategy', type: 'nominal', title: null } } }, { width: 520 });
          how = 'Throughput = records completed at the stateful operator per second (series.csv count).';
          break;
        }
      }
      return { id, family: 'overview', title, caption: `${what} ${how} Runs: ${describeRuns(runs)}.`, spec, runs };
    },
  };
}

export const OVERVIEW: FigureDef[] = WORKLOADS.flatMap((w) => (['latency', 'spike', 'completion', 'checkpoint', 'throughput'] as const).map((k) => overviewDef(k, w)));

/**
 * The workloads `spacker compare` runs: a job, the configuration it runs with, the scenario it migrates under
 * by default, and the scenarios it can run. Each workload's migration is the same for every strategy (same
 * seed, scenario, start and key groups).
 */
import { FLINK_RESCALE_BASE } from '../catalogue/flink-rescale.ts';
import { INIT } from '../catalogue/init.ts';
import { NEXMARK_BASE, NEXMARK_OPERATOR, NEXMARK_QUERY_SETS } from '../catalogue/nexmark.ts';
import { STOCK_BASE } from '../catalogue/stock.ts';
import type { SetValue } from '../catalogue/types.ts';

export interface CompareWorkload {
  readonly name: string;
  readonly job: string;
  readonly doc: string;
  /** Configuration of every run of the workload (without the strategy's keys). */
  readonly sets: Readonly<Record<string, SetValue>>;
  /** `spector.reconfig.scenario` values the workload can run; the first is its default. */
  readonly scenarios: readonly string[];
  /** Keys a scenario changes for every strategy of the workload (over `sets`). */
  readonly scenarioSets?: Readonly<Record<string, Readonly<Record<string, SetValue>>>>;
}

/** Run length and migration start of the comparison: long enough for a steady state before and after. */
const RUNTIME_S = 20;
const START_MS = 10_000;

export const COMPARE_WORKLOADS: readonly CompareWorkload[] = [
  {
    name: 'micro-benchmark',
    job: 'micro-benchmark',
    doc: 'the reference micro-benchmark (8 tasks, 40,000 rec/s, 32,768 keys x 32 KiB, zipf 0.6 over key groups); 512 key groups shuffled',
    sets: { ...INIT, 'spacker.runtime': RUNTIME_S, 'spector.reconfig.start': START_MS, 'spacker.workload.zipf_skew': 0.6 },
    scenarios: ['shuffle', 'load_balance', 'load_balance_zipf', 'rescale'],
    // A rescale (what the Flink strategies run): the flink-rescale family's 2 -> 4 at a scale the 2 x 2 slots
    // session cluster holds, with the comparison's run length.
    scenarioSets: { rescale: { ...FLINK_RESCALE_BASE, 'spacker.runtime': RUNTIME_S, 'spector.reconfig.start': START_MS } },
  },
  ...(['q5', 'q7', 'q8', 'q11'] as const).map(
    (q): CompareWorkload => ({
      name: `nexmark-${q}`,
      job: 'nexmark',
      doc: `Nexmark ${q.toUpperCase()} (${NEXMARK_OPERATOR[q]}) over the Beam generator model, 8 tasks, 20,000 events/s, 32,768 key groups; half of them shuffled`,
      sets: {
        ...NEXMARK_BASE,
        ...NEXMARK_QUERY_SETS[q],
        'spacker.nexmark.query': q,
        'controller.target.operators': NEXMARK_OPERATOR[q],
        'spacker.runtime': RUNTIME_S,
        'spector.reconfig.start': START_MS,
        'spacker.checkpoint.interval': 1000,
      },
      scenarios: ['shuffle', 'load_balance', 'load_balance_zipf'],
    }),
  ),
  {
    name: 'stock',
    job: 'stock',
    doc: 'orders in the SSE format (seeded generator), keyed by account, 0.1 ms per record, 16 subtasks, 32,768 key groups; rescaled 16 -> 4 -> 8 -> 6 from 10 s, 10 s apart',
    sets: { ...STOCK_BASE, 'spacker.runtime': 45, 'spector.reconfig.start': START_MS },
    scenarios: ['stock', 'shuffle', 'load_balance'],
  },
];

export function compareWorkloadNamed(name: string): CompareWorkload | undefined {
  return COMPARE_WORKLOADS.find((w) => w.name === name);
}

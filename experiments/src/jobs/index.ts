/** The jobs `spacker job <name>` can run, by name. */
import type { ResolvedConfig } from '../config/resolve.ts';
import { MICRO_VARIANTS, type MicroVariant } from '../../../workloads/src/micro-benchmark/micro-benchmark.ts';
import type { BuiltJob } from '../run/run-job.ts';
import { buildMicroJob, microParams, microRunName } from './micro-benchmark.ts';
import { buildNexmarkJob, nexmarkParams, nexmarkRunName } from './nexmark.ts';
import { buildStockJob, stockParams, stockRunName } from './stock.ts';

export interface JobDefinition {
  readonly name: string;
  readonly description: string;
  build(config: ResolvedConfig): BuiltJob;
  runName(config: ResolvedConfig): string;
}

const DESCRIPTIONS: Record<MicroVariant, string> = {
  'micro-benchmark': 'source -> keyed stateful map (reference MicroBenchmark)',
  'micro-benchmark-order': 'as micro-benchmark, 0.1 ms per record, zipf skew from 50 s (MicroBenchmarkOrder)',
  'micro-benchmark-overview': 'as -order, skew and 1,600 rec/s per task from 70 s (MicroBenchmarkOverview)',
};

export const JOBS: readonly JobDefinition[] = [
  ...MICRO_VARIANTS.map((variant) => ({
    name: variant,
    description: DESCRIPTIONS[variant],
    build: (config: ResolvedConfig) => buildMicroJob(config, variant),
    runName: (config: ResolvedConfig) => microRunName(microParams(config, variant)),
  })),
  {
    name: 'nexmark',
    description: 'Nexmark query spacker.nexmark.query (q1, q2, q3, q5, q7, q8, q11) over the Beam generator model',
    build: buildNexmarkJob,
    runName: (config: ResolvedConfig) => nexmarkRunName(nexmarkParams(config)),
  },
  {
    name: 'stock',
    description: 'order records (file or generator) keyed by account into Splitter FlatMap; optional MatchMaker FlatMap by security (reference StockExchangeApp)',
    build: buildStockJob,
    runName: (config: ResolvedConfig) => stockRunName(stockParams(config)),
  },
];

export function jobNamed(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}

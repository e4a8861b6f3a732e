/** The experiment catalogue: one family per reference script, by name, in the order `spacker list` shows them. */
import { flinkRescale } from './flink-rescale.ts';
import { mechanisms } from './mechanisms.ts';
import { microBench } from './micro-bench.ts';
import { microBenchDynamic } from './micro-bench-dynamic.ts';
import { microBenchKafka } from './micro-bench-kafka.ts';
import { microBenchMultiSource } from './micro-bench-multi-source.ts';
import { microBenchOrder } from './micro-bench-order.ts';
import { microBenchWorkloads } from './micro-bench-workloads.ts';
import { microBenchWorkloadsOrder } from './micro-bench-workloads-order.ts';
import { nexmark } from './nexmark.ts';
import { stock } from './stock.ts';
import type { Experiment } from './types.ts';

export type { Experiment, RunSpec, SetValue } from './types.ts';

export const EXPERIMENTS: readonly Experiment[] = [microBench, microBenchOrder, microBenchDynamic, microBenchMultiSource, microBenchWorkloads, microBenchWorkloadsOrder, microBenchKafka, nexmark, stock, mechanisms, flinkRescale];

export function experimentNamed(name: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}

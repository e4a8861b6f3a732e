/** The Flink jobs the harness runs (workloads/flink), one line each; see types.ts for what a line holds. */
import { microBenchmarkOnFlink } from './micro-benchmark.ts';
import { nexmarkOnFlink } from './nexmark.ts';
import { stockOnFlink } from './stock.ts';
import type { FlinkJobSpec } from './types.ts';

export type { FlinkJobCheck, FlinkJobSpec } from './types.ts';

export const FLINK_JOB_SPECS: readonly FlinkJobSpec[] = [
  microBenchmarkOnFlink,
  stockOnFlink,
  nexmarkOnFlink,
];

/** The spec of a harness job name, or undefined when the Flink engine does not run it. */
export function flinkJobSpec(name: string): FlinkJobSpec | undefined {
  return FLINK_JOB_SPECS.find((s) => s.name === name);
}

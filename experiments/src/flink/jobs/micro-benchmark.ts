/**
 * The micro-benchmark on Flink (workloads/flink MicroBenchmarkJob): the same keys and key groups as the
 * embedded workload; its stateful map counts per key and dumps the counts at every savepoint and at the end,
 * which the check compares with the records scheduled per key (no key lost or reset; duplicates counted).
 */
import type { ResolvedConfig } from '../../config/resolve.ts';
import { microParams } from '../../jobs/micro-benchmark.ts';
import { checkCounts, scheduledPerKey } from '../flink-results.ts';
import type { FlinkJobSpec } from './types.ts';

/** The harness keys the Flink job reads (workloads/flink Params.HARNESS_DEFAULTS). */
const JOB_KEYS = [
  'spacker.runtime', 'spacker.rate.per_task', 'spacker.parallelism', 'spacker.source_parallelism', 'spacker.max_parallelism',
  'spacker.checkpoint.interval', 'spacker.seed', 'spacker.workload.n_keys', 'spacker.workload.per_key_size',
  'spacker.workload.state_access_ratio', 'spacker.workload.zipf_skew', 'spacker.workload.busy_work_ms',
] as const;

export const microBenchmarkOnFlink: FlinkJobSpec = {
  name: 'micro-benchmark',
  entryClass: 'spacker.flink.MicroBenchmarkJob',
  operator: 'Splitter FlatMap',
  args(config: ResolvedConfig, parallelism: number, runParallelism: number): string[] {
    const perTaskRate = config.get('spacker.rate.per_task');
    const out: string[] = [];
    for (const key of JOB_KEYS) {
      let value: unknown = config.get(key);
      if (key === 'spacker.parallelism') value = parallelism;
      // spacker.rate.per_task is per stateful subtask: the total rate stays that of the run's parallelism.
      if (key === 'spacker.rate.per_task') value = parallelism === runParallelism ? perTaskRate : (perTaskRate * runParallelism) / parallelism;
      out.push(`--${key}`, String(value));
    }
    return out;
  },
  check(runDir, config) {
    const maxParallelism = config.get('spacker.max_parallelism');
    const shape = {
      runtimeS: config.get('spacker.runtime'), perTaskRate: config.get('spacker.rate.per_task'), parallelism: config.get('spacker.parallelism'),
      sourceParallelism: config.get('spacker.source_parallelism'), maxParallelism, nKeys: config.get('spacker.workload.n_keys'),
      stateAccessRatio: config.get('spacker.workload.state_access_ratio'), zipfSkew: config.get('spacker.workload.zipf_skew'), seed: config.get('spacker.seed'),
    };
    const counts = checkCounts(runDir, scheduledPerKey(shape), maxParallelism);
    return {
      expectedRecords: counts.scheduledRecords,
      errors: counts.errors,
      report: { ...counts },
      line: `per-key counts: ${counts.keys} keys, duplicates ${counts.duplicates}, lost ${counts.lostKeys}, reset ${counts.resetKeys}`,
    };
  },
  params(config) {
    return { ...microParams(config, 'micro-benchmark') };
  },
};

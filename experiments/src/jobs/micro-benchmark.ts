/**
 * The micro-benchmark jobs from configuration: maps the `spacker.*` keys onto the workload's parameters
 * (defaults = the reference's `config.sh init()`), and names runs after the parameters that matter.
 */
import type { ResolvedConfig } from '../config/resolve.ts';
import { buildMicroBenchmark, type MicroBenchmarkParams, type MicroVariant } from '../../../workloads/src/micro-benchmark/micro-benchmark.ts';
import type { BuiltJob } from '../run/run-job.ts';

export function microParams(config: ResolvedConfig, variant: MicroVariant): MicroBenchmarkParams {
  return {
    variant,
    runtimeS: config.get('spacker.runtime'),
    perTaskRate: config.get('spacker.rate.per_task'),
    parallelism: config.get('spacker.parallelism'),
    sourceParallelism: config.get('spacker.source_parallelism'),
    maxParallelism: config.get('spacker.max_parallelism'),
    nKeys: config.get('spacker.workload.n_keys'),
    perKeySize: config.get('spacker.workload.per_key_size'),
    stateAccessRatio: config.get('spacker.workload.state_access_ratio'),
    zipfSkew: config.get('spacker.workload.zipf_skew'),
    busyWorkMs: config.get('spacker.workload.busy_work_ms'),
    seed: config.get('spacker.seed'),
    preload: config.get('spacker.workload.preload'),
    timeScale: config.get('spacker.time_scale'),
  };
}

export function buildMicroJob(config: ResolvedConfig, variant: MicroVariant): BuiltJob {
  const params = microParams(config, variant);
  const { graph, operator, totalRecords } = buildMicroBenchmark(params);
  return { graph, operator, totalRecords, workload: { name: variant, params: { ...params } } };
}

/** A readable run name: the reference's EXP_NAME fields in `key-value` form. */
export function microRunName(p: MicroBenchmarkParams): string {
  return [`rate${p.perTaskRate}`, `p${p.parallelism}`, `mp${p.maxParallelism}`, `keys${p.nKeys}`, `size${p.perKeySize}`, `access${p.stateAccessRatio}`, `zipf${p.zipfSkew}`].join('-');
}

/**
 * What a spacker.engine=flink run is asked to do, checked before anything is written: the job (a line of
 * FLINK_JOB_SPECS), the strategy (one of FLINK_STRATEGIES), the scenario (only a parallelism change of the whole key-group range: `rescale`, or
 * `none`), the target parallelism, the jar and the cluster's REST URL. Errors name the key, the value and what
 * is allowed.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidConfigError, IoError } from '../../../engine/src/index.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { FLINK_STRATEGIES, type FlinkStrategy } from '../config/keys-spacker.ts';
import { REPO_ROOT, SERVICES_DIR } from '../../../scripts/services/servers.ts';
import { recordedFlinkRestUrl } from '../../../scripts/services/state.ts';
import { FLINK_JOB_SPECS, flinkJobSpec, type FlinkJobSpec } from './jobs/index.ts';

/** The jar `mvn -q -B -f workloads/flink/pom.xml package -DskipTests` builds. */
export const DEFAULT_FLINK_JAR = join(REPO_ROOT, 'workloads', 'flink', 'target', 'spacker-flink-jobs.jar');
/** Scenarios a Flink cluster can express: a parallelism change of the whole key-group range, or nothing. */
export const FLINK_SCENARIOS: readonly string[] = ['rescale', 'none'];

export interface FlinkPlan {
  /** The job's line in FLINK_JOB_SPECS. */
  job: FlinkJobSpec;
  strategy: FlinkStrategy;
  restUrl: string;
  jar: string;
  runtimeS: number;
  parallelism: number;
  sourceParallelism: number;
  maxParallelism: number;
  perTaskRate: number;
  /** Absent: no reconfiguration (scenario none). */
  rescale?: { atMs: number; to: number };
  /** The job's `--key value` arguments for a parallelism (rate per task adjusted to keep the total rate). */
  args(parallelism: number, output: string, startEpochMs: number): string[];
}

/** The URL `npm run services -- flink up` recorded (a cluster it started, or one attached with --flink-rest), if any. */
export function recordedFlinkRest(): string | undefined {
  return recordedFlinkRestUrl(SERVICES_DIR);
}

export function flinkPlan(config: ResolvedConfig, jobName: string): FlinkPlan {
  return { ...flinkRunKeys(config, jobName), ...flinkCluster(config) };
}

/**
 * Every key of a Flink run checked (flinkPlan without the jar and the cluster, which a sweep looks for only
 * when it is about to run: listing or planning a family needs neither).
 */
export function flinkRunKeys(config: ResolvedConfig, jobName: string): Omit<FlinkPlan, 'jar' | 'restUrl'> {
  const spec = flinkJobSpec(jobName);
  if (spec === undefined) throw new InvalidConfigError('spacker.engine', 'flink', `only with job ${FLINK_JOB_SPECS.map((s) => s.name).join(', ')} (this is '${jobName}'); use spacker.engine=embedded`);
  const strategy = config.get('spacker.strategy');
  if (!(FLINK_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new InvalidConfigError('spacker.strategy', strategy, `with spacker.engine=flink one of ${FLINK_STRATEGIES.join(', ')}`);
  }
  const scenario = config.get('spector.reconfig.scenario');
  if (!FLINK_SCENARIOS.includes(scenario)) {
    throw new InvalidConfigError('spector.reconfig.scenario', scenario, `with spacker.engine=flink a scenario Flink can express: rescale (scale-out or scale-in of the whole key-group range to spacker.reconfig.target_parallelism) or none`);
  }
  if (config.get('spacker.source') !== 'generator') throw new InvalidConfigError('spacker.source', config.get('spacker.source'), 'generator with spacker.engine=flink (the Flink job generates its input)');
  if (config.get('spacker.workload.preload')) throw new InvalidConfigError('spacker.workload.preload', true, 'false with spacker.engine=flink (the Flink job does not preload state)');
  spec.validate?.(config);
  const job = spec.operatorFor === undefined ? spec : { ...spec, operator: spec.operatorFor(config) };
  const runtimeS = config.get('spacker.runtime');
  const parallelism = config.get('spacker.parallelism');
  const maxParallelism = config.get('spacker.max_parallelism');
  const perTaskRate = config.get('spacker.rate.per_task');
  let rescale: FlinkPlan['rescale'];
  if (scenario === 'rescale') {
    const to = config.get('spacker.reconfig.target_parallelism');
    if (to < 1 || to === parallelism || to > maxParallelism) {
      throw new InvalidConfigError('spacker.reconfig.target_parallelism', to, `a parallelism from 1 to spacker.max_parallelism (${maxParallelism}) other than spacker.parallelism (${parallelism}), for scenario rescale`);
    }
    const starts = config.get('spector.reconfig.start');
    if (starts.length !== 1 || starts[0] >= runtimeS * 1000) {
      throw new InvalidConfigError('spector.reconfig.start', starts.join(','), `one start time (ms) before the end of the run (spacker.runtime = ${runtimeS} s)`);
    }
    rescale = { atMs: starts[0], to };
  }
  return {
    job,
    strategy: strategy as FlinkStrategy,
    runtimeS,
    parallelism,
    sourceParallelism: config.get('spacker.source_parallelism'),
    maxParallelism,
    perTaskRate,
    rescale,
    args(p, output, startEpochMs) {
      return [...job.args(config, p, parallelism), '--output', output, '--start-epoch-ms', String(startEpochMs)];
    },
  };
}

/** The jobs jar (spacker.flink.jar) and the cluster's REST URL (spacker.flink.rest, or the recorded one). */
export function flinkCluster(config: ResolvedConfig): { jar: string; restUrl: string } {
  const jarSetting = config.get('spacker.flink.jar');
  const jar = jarSetting === '' ? DEFAULT_FLINK_JAR : resolve(jarSetting);
  if (!existsSync(jar)) throw new IoError(jar, `the Flink jobs jar is not there (spacker.flink.jar); build it with 'mvn -q -B -f workloads/flink/pom.xml package -DskipTests'`);
  const restSetting = config.get('spacker.flink.rest');
  const restUrl = restSetting !== '' ? restSetting : recordedFlinkRest();
  if (restUrl === undefined) throw new InvalidConfigError('spacker.flink.rest', '', "a Flink REST URL (http://HOST:PORT); none is recorded either: start a cluster with 'npm run services -- flink up'");
  return { jar, restUrl };
}

/**
 * What a spacker.engine=spacker-on-flink run is asked to do, checked before anything is written: the user's
 * build (spacker.flink.home), the reference's experiments jar (spacker.flink.testbed_jar), the job's entry
 * class and its command-line arguments as the reference's config.sh passes them (reference 5.1), and the
 * keys that mean nothing to the user's build. Errors name the key, the value and what is allowed.
 * Reads the file system (what exists, what is executable); runs nothing.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import type { ConfigKey } from '../../config/schema.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { formatValue } from '../../config/schema.ts';
import { confEntries, profileKeys, renderFlinkConf } from './flink-conf.ts';

/** The scripts of a Flink 1.8 build-target the run calls, relative to spacker.flink.home. */
export const BUILD_SCRIPTS = ['bin/start-cluster.sh', 'bin/stop-cluster.sh', 'bin/flink'] as const;

/** `-interval` for "no checkpoints": Flink refuses 0; the reference's scripts pass 10000000 to turn them off. */
export const NO_CHECKPOINTS_INTERVAL_MS = 10_000_000;

/** Scenarios and order functions the reference's DummyController and planner know (reference 1.3, 1.8). */
const REFERENCE_SCENARIOS: readonly string[] = ['shuffle', 'load_balance', 'load_balance_zipf', 'static', 'dynamic', 'stock'];
const REFERENCE_ORDERS: readonly string[] = ['default', 'reverse', 'random'];

/** The `spacker.*` keys a Spacker-on-Flink run reads; any other one set explicitly is refused. */
const READ_KEYS: ReadonlySet<string> = new Set([
  'spacker.engine', 'spacker.flink.home', 'spacker.flink.testbed_jar', 'spacker.runtime', 'spacker.rate.per_task',
  'spacker.parallelism', 'spacker.source_parallelism', 'spacker.max_parallelism', 'spacker.task_managers',
  'spacker.checkpoint.interval', 'spacker.workload.n_keys', 'spacker.workload.per_key_size',
  'spacker.workload.state_access_ratio', 'spacker.workload.zipf_skew', 'spacker.stock.file',
]);

/** A job of the reference's testbed jar that the harness can start with one command line. */
export interface SofJob {
  readonly name: string;
  /** `flink run -c` of the testbed jar. */
  readonly entryClass: string;
  /** Its program arguments, named as the reference's scripts name them. */
  args(config: ResolvedConfig): string[];
}

/** `-interval`: spacker.checkpoint.interval, 0 (none) as the reference's 10000000. */
function intervalArg(config: ResolvedConfig): string {
  const ms = config.get('spacker.checkpoint.interval');
  return String(ms === 0 ? NO_CHECKPOINTS_INTERVAL_MS : ms);
}

/** config.sh's run_one_exp: `-runtime -nTuples -p1 -p2 -mp2 -nKeys -perKeySize -interval -stateAccessRatio -zipf_skew`. */
function microArgs(config: ResolvedConfig): string[] {
  const runtime = config.get('spacker.runtime');
  const p = config.get('spacker.parallelism');
  const sourceP = config.get('spacker.source_parallelism');
  // n_tuples = runtime x per_task_rate x parallelism / source_p: each source instance emits nTuples.
  const nTuples = Math.round((runtime * config.get('spacker.rate.per_task') * p) / sourceP);
  return [
    '-runtime', String(runtime),
    '-nTuples', String(nTuples),
    '-p1', String(sourceP),
    '-p2', String(p),
    '-mp2', String(config.get('spacker.max_parallelism')),
    '-nKeys', String(config.get('spacker.workload.n_keys')),
    '-perKeySize', String(config.get('spacker.workload.per_key_size')),
    '-interval', intervalArg(config),
    '-stateAccessRatio', formatValue(config.get('spacker.workload.state_access_ratio')),
    '-zipf_skew', formatValue(config.get('spacker.workload.zipf_skew')),
  ];
}

/** micro-bench-stock.sh: `-p1 -p2 -mp2 -perKeySize -interval`, plus `-filepath` (the SSE order file). */
function stockArgs(config: ResolvedConfig): string[] {
  const file = config.get('spacker.stock.file');
  if (file === '') throw new InvalidConfigError('spacker.stock.file', file, 'the path of an SSE order file with spacker.engine=spacker-on-flink (StockExchangeApp replays a file; it has no generator)');
  if (!existsSync(resolve(file))) throw new InvalidConfigError('spacker.stock.file', file, `an existing SSE order file (${resolve(file)} is not there)`);
  return [
    '-p1', String(config.get('spacker.source_parallelism')),
    '-p2', String(config.get('spacker.parallelism')),
    '-mp2', String(config.get('spacker.max_parallelism')),
    '-perKeySize', String(config.get('spacker.workload.per_key_size')),
    '-interval', intervalArg(config),
    '-filepath', resolve(file),
  ];
}

/** The jobs of the testbed jar by our job names (reference 4.2, 4.3); Nexmark's per-query arguments are not here. */
export const SOF_JOBS: readonly SofJob[] = [
  { name: 'micro-benchmark', entryClass: 'flinkapp.MicroBenchmark', args: microArgs },
  { name: 'micro-benchmark-order', entryClass: 'flinkapp.MicroBenchmarkOrder', args: microArgs },
  { name: 'micro-benchmark-overview', entryClass: 'flinkapp.MicroBenchmarkOverview', args: microArgs },
  { name: 'stock', entryClass: 'stockv2.StockExchangeApp', args: stockArgs },
];

/** The profile the rendered flink-conf.yaml starts from. */
export interface SofProfile {
  readonly name: string;
  /** Where it was read (named in errors). */
  readonly source: string;
  readonly text: string;
}

export interface SofPlan {
  readonly job: SofJob;
  /** spacker.flink.home, absolute. */
  readonly home: string;
  /** spacker.flink.testbed_jar, absolute. */
  readonly jar: string;
  readonly jobArgs: readonly string[];
  readonly runtimeS: number;
  readonly taskManagers: number;
  readonly profile: SofProfile;
  readonly config: ResolvedConfig;
}

/** Why `home` is not a Spacker-on-Flink build-target, or undefined when it is one. */
function buildProblem(home: string): string | undefined {
  if (!existsSync(home)) return 'the folder does not exist';
  if (!statSync(home).isDirectory()) return 'this is a file, not a folder';
  const missing: string[] = BUILD_SCRIPTS.filter((s) => !existsSync(join(home, s)));
  if (!existsSync(join(home, 'conf')) || !statSync(join(home, 'conf')).isDirectory()) missing.push('conf/');
  if (missing.length > 0) return `missing: ${missing.join(', ')}`;
  const notExecutable = BUILD_SCRIPTS.filter((s) => {
    try {
      accessSync(join(home, s), constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (notExecutable.length > 0) return `not executable: ${notExecutable.join(', ')} (chmod +x)`;
  return undefined;
}

function refuse(key: ConfigKey, config: ResolvedConfig, allowed: string): never {
  throw new InvalidConfigError(key, config.get(key), allowed, config.sourceOf(key));
}

/**
 * Checks a spacker-on-flink run's configuration (resolved over `profile`) and the user's build.
 * @throws InvalidConfigError naming the key (and the contradicting one) and what is allowed.
 */
export function spackerOnFlinkPlan(config: ResolvedConfig, jobName: string, profile: SofProfile): SofPlan {
  const job = SOF_JOBS.find((j) => j.name === jobName);
  if (job === undefined) throw new InvalidConfigError('spacker.engine', 'spacker-on-flink', `only with job ${SOF_JOBS.map((j) => j.name).join(', ')} (this is '${jobName}'); run it with spacker.engine=embedded`);
  const homeSetting = config.get('spacker.flink.home');
  const layout = 'the folder of a Spacker-on-Flink build (its build-target) holding bin/start-cluster.sh, bin/stop-cluster.sh, bin/flink and conf/';
  if (homeSetting === '') refuse('spacker.flink.home', config, `${layout}, which spacker.engine=spacker-on-flink runs`);
  const home = resolve(homeSetting);
  const problem = buildProblem(home);
  if (problem !== undefined) refuse('spacker.flink.home', config, `${layout}; ${home}: ${problem}`);
  const jarSetting = config.get('spacker.flink.testbed_jar');
  const jarWhat = "the reference's experiments jar (experiments/target/testbed-1.0-SNAPSHOT.jar, built with 'mvn clean package' in the reference's experiments/)";
  if (jarSetting === '') refuse('spacker.flink.testbed_jar', config, `${jarWhat}, which spacker.engine=spacker-on-flink submits`);
  const jar = resolve(jarSetting);
  if (!existsSync(jar) || !statSync(jar).isFile()) refuse('spacker.flink.testbed_jar', config, `${jarWhat}; ${jar} is not there`);

  // Keys that contradict running the user's build.
  const strategy = config.get('spacker.strategy');
  if (strategy !== 'spacker') refuse('spacker.strategy', config, "spacker with spacker.engine=spacker-on-flink (the build migrates with its own Spacker; the spector.* keys choose how)");
  for (const key of ['spacker.flink.jar', 'spacker.flink.rest'] as const) {
    if (config.get(key) !== '') refuse(key, config, `'' with spacker.engine=spacker-on-flink (${key} is for spacker.engine=flink; the user's build gets spacker.flink.testbed_jar and the cluster it starts itself)`);
  }
  if (config.get('spector.exp.dir') !== '') refuse('spector.exp.dir', config, "'' with spacker.engine=spacker-on-flink (the run points it at spector/ in its own results folder)");
  const scenario = config.get('spector.reconfig.scenario');
  if (!REFERENCE_SCENARIOS.includes(scenario)) refuse('spector.reconfig.scenario', config, `with spacker.engine=spacker-on-flink a scenario the reference knows: ${REFERENCE_SCENARIOS.join(', ')}`);
  const order = config.get('spector.reconfig.order_function');
  if (!REFERENCE_ORDERS.includes(order)) refuse('spector.reconfig.order_function', config, `with spacker.engine=spacker-on-flink an order the reference knows: ${REFERENCE_ORDERS.join(', ')}`);
  const unread = config.explicit().filter((s) => s.key.startsWith('spacker.') && !READ_KEYS.has(s.key));
  if (unread.length > 0) {
    const s = unread[0];
    throw new InvalidConfigError(s.key, formatValue(s.value), `not set with spacker.engine=spacker-on-flink: the user's build reads only ${[...READ_KEYS].join(', ')} of our keys (and the spector.* and Flink keys of the profile)`, s.source);
  }
  const jobArgs = job.args(config);
  // Every value Flink 1.8 must read is checked now, before anything is written.
  renderFlinkConf(profile.text, confEntries(config, profileKeys(profile.text), join(home, 'spector')), profile.source);
  return { job, home, jar, jobArgs, runtimeS: config.get('spacker.runtime'), taskManagers: config.get('spacker.task_managers'), profile, config };
}

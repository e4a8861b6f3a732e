/**
 * This project's own `spacker.*` keys: the job shape, the workload, the simulated links, the output and the
 * migration strategy. Defaults follow the reference scripts' `config.sh init()` where the reference has one.
 */
import { MECHANISM_NAMES } from '../../../engine/src/index.ts';
import type { KeySpec } from './schema-types.ts';

/** The strategies of `spacker.engine=flink` (experiments/src/flink/): how the real Flink cluster rescales the job. */
export const FLINK_STRATEGIES = ['flink-restart', 'flink-rescale'] as const;
export type FlinkStrategy = (typeof FLINK_STRATEGIES)[number];

/** Job, workload, network and output keys of spacker-ts. */
export const SPACKER_KEYS = {
  'spacker.runtime': { kind: 'int', default: 100, min: 1, unit: 's', doc: 'how long the job runs' },
  'spacker.rate.per_task': {
    kind: 'float',
    default: 5000,
    min: 0,
    minExclusive: true,
    unit: 'rec/s',
    doc: 'input rate per downstream task; total source rate = per_task x parallelism',
  },
  'spacker.parallelism': {
    kind: 'int',
    default: 8,
    min: 1,
    max: 32768,
    unit: 'tasks',
    doc: 'parallelism of the stateful (reconfigured) operator',
  },
  'spacker.source_parallelism': { kind: 'int', default: 1, min: 1, unit: 'tasks', doc: 'parallelism of the source' },
  'spacker.max_parallelism': {
    kind: 'int',
    default: 1024,
    min: 1,
    max: 32768,
    unit: 'key groups',
    doc: 'number of key groups (Flink max parallelism)',
  },
  'spacker.task_managers': { kind: 'int', default: 8, min: 1, doc: 'simulated TaskManagers the tasks are spread over' },
  'spacker.checkpoint.interval': {
    kind: 'int',
    default: 1000,
    min: 0,
    unit: 'ms',
    doc: 'time between checkpoints; 0 = no checkpoints',
  },
  'spacker.seed': { kind: 'int', default: 12345678, doc: 'seed of every random choice (generators, random order)' },
  'spacker.workload.n_keys': { kind: 'int', default: 32768, min: 1, unit: 'keys', doc: 'number of distinct keys' },
  'spacker.workload.per_key_size': {
    kind: 'int',
    default: 32768,
    min: 1,
    unit: 'bytes',
    doc: 'state size of each key',
  },
  'spacker.workload.state_access_ratio': {
    kind: 'float',
    default: 2,
    min: 0,
    max: 100,
    unit: '%',
    doc: 'share of records that write their key state; 0 = no writes',
  },
  'spacker.workload.zipf_skew': {
    kind: 'float',
    default: 0,
    min: 0,
    doc: 'zipf skew of the key distribution; 0 = uniform',
  },
  'spacker.workload.preload': {
    kind: 'bool',
    default: false,
    doc: 'micro-benchmark: every key starts with per_key_size bytes of state (state at full size from second 0)',
  },
  'spacker.workload.busy_work_ms': {
    kind: 'float',
    default: 0,
    min: 0,
    unit: 'ms',
    doc: 'simulated processing time per record',
  },
  'spacker.channel.capacity': {
    kind: 'int',
    default: 65536,
    min: 1,
    unit: 'records',
    doc: 'records a channel holds before back-pressure',
  },
  'spacker.output.latency_log': { kind: 'bool', default: true, doc: 'write the per-record latency log' },
  'spacker.output.spector': { kind: 'bool', default: false, doc: "also write the reference's output formats" },
  'spacker.replication.hot_ratio': {
    kind: 'float',
    default: 0,
    min: 0,
    max: 1,
    doc: 'share of the hottest key groups replicated ahead of migration',
  },
  'spacker.link.bandwidth_mbps': {
    kind: 'float',
    default: 0,
    min: 0,
    unit: 'Mbit/s',
    doc: 'simulated bandwidth between TaskManagers; 0 = memory speed',
  },
  'spacker.link.latency_ms': { kind: 'float', default: 0, min: 0, unit: 'ms', doc: 'simulated one-way link latency' },
  'spacker.reconfig.target_file': {
    kind: 'string',
    default: '',
    doc: 'JSON target assignment for scenario "file": {"assignment": {"0": [kg, ...], ...}} or [[kg, ...], ...]',
  },
  'spacker.time_scale': {
    kind: 'float',
    default: 1,
    min: 0,
    minExclusive: true,
    max: 1,
    doc: 'scales the clocks fixed in jobs and scenarios (the -order/-overview skew and rate switch at 50/70 s, the dynamic/static phases 30/60 s apart); --quick sets it',
  },
  'spacker.compare.workload': {
    kind: 'string',
    default: '',
    doc: 'label set by `spacker compare`: the workload row this run fills in the comparison (changes nothing in the run)',
  },
  'spacker.compare.strategy': {
    kind: 'string',
    default: '',
    doc: 'label set by `spacker compare`: the strategy column this run fills in the comparison (changes nothing in the run)',
  },
  'spacker.strategy': {
    kind: 'enum',
    values: [...MECHANISM_NAMES, ...FLINK_STRATEGIES],
    default: 'spacker',
    doc: 'the migration mechanism (engine/src/migration/registry.ts): Spacker\'s live migration, the restart baseline or a published peer; with spacker.engine=flink: flink-restart (stop with savepoint, resubmit with the new parallelism) or flink-rescale (adaptive scheduler, PUT resource-requirements)',
  },
  'spacker.engine': {
    kind: 'enum',
    values: ['embedded', 'flink', 'spacker-on-flink'],
    default: 'embedded',
    doc: "where the job runs: the embedded engine, a real Apache Flink session cluster (spacker.flink.rest; job micro-benchmark only), or the user's own Spacker-on-Flink build (spacker.flink.home, spacker.flink.testbed_jar)",
  },
  'spacker.flink.home': {
    kind: 'string',
    default: '',
    doc: "spacker.engine=spacker-on-flink: the user's Spacker-on-Flink build (its build-target: bin/start-cluster.sh, bin/stop-cluster.sh, bin/flink, conf/); '' = not used",
  },
  'spacker.flink.testbed_jar': {
    kind: 'string',
    default: '',
    doc: "spacker.engine=spacker-on-flink: the reference's experiments jar (experiments/target/testbed-1.0-SNAPSHOT.jar, built with mvn clean package); required there",
  },
  'spacker.flink.rest': {
    kind: 'string',
    default: '',
    doc: "REST URL of the Flink cluster (http://HOST:PORT); '' = the cluster recorded by `npm run services -- flink up`",
  },
  'spacker.flink.jar': {
    kind: 'string',
    default: '',
    doc: "the micro-benchmark jobs jar; '' = workloads/flink/target/spacker-flink-jobs.jar (mvn -q -B -f workloads/flink/pom.xml package -DskipTests)",
  },
  'spacker.reconfig.target_parallelism': {
    kind: 'int',
    default: 0,
    min: 0,
    max: 32768,
    unit: 'tasks',
    doc: 'scenario "rescale": the parallelism the whole key-group range is rescaled to at spector.reconfig.start (Flink\'s contiguous ranges over it; the embedded engine deploys max(spacker.parallelism, this) subtasks of the micro-benchmark, the extra ones idle until then, at the input rate of spacker.parallelism); 0 = unset',
  },
} as const satisfies Record<string, KeySpec>;

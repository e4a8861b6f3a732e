/**
 * The reference's own `spector.*` migration keys that steer this engine (scenario, planner, replication, output).
 * Defaults follow the reference scripts' `config.sh init()`, not the Java code defaults where the two differ.
 */
import type { KeySpec } from './schema-types.ts';

/** The reference's migration keys; see the reference, section 2.1, for their meaning in Spacker-on-Flink. */
export const SPECTOR_KEYS = {
  'spector.reconfig.scenario': {
    kind: 'enum',
    values: ['shuffle', 'load_balance', 'load_balance_zipf', 'static', 'dynamic', 'stock', 'file', 'rescale', 'none'],
    default: 'shuffle',
    doc: 'scenario deciding which key groups migrate where (ours: file = spacker.reconfig.target_file, rescale = Flink\'s key-group ranges over spacker.parallelism to Flink\'s ranges over spacker.reconfig.target_parallelism (spacker.engine=flink: Flink rescales; embedded: exactly those key groups migrate), none = no migration)',
  },
  'spector.reconfig.order_function': {
    kind: 'enum',
    values: ['default', 'reverse', 'random', 'hot-first', 'cold-first'],
    default: 'default',
    doc: 'order in which each source task hands over its key groups (default: ascending id; reverse: descending)',
  },
  'spector.reconfig.sync_keys': {
    kind: 'int',
    default: 0,
    min: 0,
    unit: 'key groups',
    doc: 'chunk size per source task; 0 = all at once',
  },
  'spector.replicate_keys_filter': {
    kind: 'int',
    default: 0,
    min: 0,
    doc: 'key group k is replicated iff k % filter == 0; 0 = no replication',
  },
  'spector.reconfig.affected_keys': {
    kind: 'int',
    default: 512,
    min: 0,
    unit: 'key groups',
    doc: 'number of key groups the shuffle/static/dynamic scenarios migrate',
  },
  'spector.reconfig.affected_tasks': {
    kind: 'int',
    default: 8,
    min: 1,
    unit: 'tasks',
    doc: 'number of tasks taking part in the scenario',
  },
  'spector.reconfig.start': {
    kind: 'int-list',
    default: [50000],
    min: 0,
    unit: 'ms',
    doc: 'delay from controller start to the first migration, one per target operator',
  },
  'spector.reconfig.interval': {
    kind: 'int',
    default: 1000000,
    min: 1,
    unit: 'ms',
    doc: 'time between repeated scenario executions (the default means once)',
  },
  'spector.reconfig.workload.zipf_skew': {
    kind: 'float',
    default: 1.0,
    min: 0,
    doc: 'skew load_balance_zipf assumes when choosing key groups (match spacker.workload.zipf_skew)',
  },
  'controller.target.operators': {
    kind: 'string',
    default: 'Splitter FlatMap',
    doc: 'comma-separated names of the operators to reconfigure',
  },
  'snapshot.changelog.enabled': {
    kind: 'bool',
    default: true,
    doc: 'checkpoints copy only the replicated key groups changed since the last one',
  },
  'spector.exp.dir': {
    kind: 'string',
    default: '',
    doc: "folder for the reference's output formats; empty = spector/ in the run's results folder",
  },
} as const satisfies Record<string, KeySpec>;

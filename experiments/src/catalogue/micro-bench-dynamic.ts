/**
 * micro-bench-dynamic.sh (reference 5.2): the overview figure. MicroBenchmarkOverview for 120 s, all 1,024 key
 * groups affected from 10 s: Spacker's dynamic strategy vs static all-at-once, replication (filter 1) and
 * progressive (sync 2), plus the restart baseline.
 */
import { INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec } from './types.ts';

/** The script's own init(): where it differs from config.sh's (rate, parallelism, keys, state, checkpoints agree). */
const BASE = {
  ...INIT,
  'spacker.runtime': 120,
  'spacker.workload.state_access_ratio': 1,
  'spector.reconfig.order_function': 'reverse',
  'spacker.workload.zipf_skew': 1,
  'spector.reconfig.workload.zipf_skew': 1,
  'spector.reconfig.start': 10000,
  'spector.reconfig.affected_tasks': 8,
  'spector.reconfig.affected_keys': 1024,
};

const VARIANTS: [string, string, Record<string, string | number>][] = [
  ['spacker', 'Spacker', { 'spector.reconfig.scenario': 'dynamic', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 0 }],
  ['all-at-once', 'All-at-once', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 0 }],
  ['replication', 'Replication', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 1, 'spector.reconfig.sync_keys': 0 }],
  ['progressive', 'Progressive/Fluid', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 2 }],
  ['restart', 'Restart', { 'spector.reconfig.scenario': 'static', 'spacker.strategy': 'restart' }],
];

export const microBenchDynamic: Experiment = {
  name: 'micro-bench-dynamic',
  description: 'overview: 120 s, three migrations from 10 s; dynamic (Spacker) vs all-at-once, replication, progressive, restart',
  npmScript: 'exp:micro-bench-dynamic',
  runs: ({ quick }) =>
    scaled(
      VARIANTS.map(([name, series, sets]): RunSpec => ({ name, job: 'micro-benchmark-overview', sets: { ...BASE, ...sets }, figureHints: { study: 'overview', series } })),
      quick,
    ),
};

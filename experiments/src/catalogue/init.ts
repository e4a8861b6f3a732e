/**
 * The reference's `config.sh init()` for every key its `configFlink` substitutes and every job parameter its
 * `run_one_exp` passes. Each family starts from these (or from its script's own `init`) so that a run does not
 * depend on the profile for what the scripts set per run; the profile supplies the rest.
 */
import type { SetValue } from './types.ts';

export const INIT: Readonly<Record<string, SetValue>> = {
  // job parameters (run_one_exp)
  'spacker.runtime': 100,
  'spacker.source_parallelism': 1,
  'spacker.rate.per_task': 5000,
  'spacker.parallelism': 8,
  'spacker.max_parallelism': 1024,
  'spacker.workload.n_keys': 32768,
  'spacker.workload.per_key_size': 32768,
  'spacker.checkpoint.interval': 1000,
  'spacker.workload.state_access_ratio': 2,
  'spacker.workload.zipf_skew': 0,
  // configFlink
  'spector.reconfig.scenario': 'shuffle',
  'spector.reconfig.affected_keys': 512,
  'spector.reconfig.affected_tasks': 8,
  'spector.reconfig.start': 50000,
  'spector.reconfig.sync_keys': 0,
  'spector.replicate_keys_filter': 0,
  'controller.target.operators': 'Splitter FlatMap',
  'spector.reconfig.order_function': 'default',
  'spector.reconfig.workload.zipf_skew': 0,
  'snapshot.changelog.enabled': true,
  'policy.windowSize': 1000000000,
  'state.backend.async': false,
};

/** Checkpoints off: the scripts' 10000000 ms; ours is 0. */
export const CHECKPOINTS_OFF = 0;

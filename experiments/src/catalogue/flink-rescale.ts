/**
 * Flink's rescaling next to the embedded engine's live migration (ours, issue 18): the micro-benchmark scaled
 * out 2 -> 4 at the middle of the run, the same key-group moves four ways: embedded Spacker fluid (sync_keys 1)
 * and all-at-once (sync_keys 0), both with scenario rescale (Flink's key-group ranges over 2, then over 4), and
 * on the Flink session cluster flink-restart (stop with a savepoint, resubmit at 4) and flink-rescale (the
 * adaptive scheduler, PUT resource-requirements). A scale a 2-core machine holds on 2 TaskManagers x 2 slots:
 * 2,000 rec/s in total, 4,096 keys x 1 KiB (4 MiB of state), checkpoints every second (flink-rescale restarts
 * from the latest), 128 key groups.
 */
import { INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec, SetValue } from './types.ts';

const JOB = 'micro-benchmark';

/** The workload and the rescale every run of the family shares (compare's `rescale` scenario reuses it). */
export const FLINK_RESCALE_BASE: Readonly<Record<string, SetValue>> = {
  ...INIT,
  'spacker.runtime': 60,
  'spector.reconfig.start': 30_000,
  'spector.reconfig.scenario': 'rescale',
  'spacker.parallelism': 2,
  'spacker.reconfig.target_parallelism': 4,
  'spacker.max_parallelism': 128,
  'spacker.source_parallelism': 1,
  'spacker.rate.per_task': 1000,
  'spacker.workload.n_keys': 4096,
  'spacker.workload.per_key_size': 1024,
  'spacker.workload.state_access_ratio': 100,
  'spacker.checkpoint.interval': 1000,
  'spector.replicate_keys_filter': 0,
};

/** The four ways, by run name: the embedded engine's two Spacker points, then Flink's two strategies. */
export const FLINK_RESCALE_RUNS: Readonly<Record<string, Readonly<Record<string, SetValue>>>> = {
  'spacker-fluid': { 'spacker.strategy': 'spacker', 'spector.reconfig.sync_keys': 1 },
  'spacker-all-at-once': { 'spacker.strategy': 'spacker', 'spector.reconfig.sync_keys': 0 },
  'flink-restart': { 'spacker.engine': 'flink', 'spacker.strategy': 'flink-restart' },
  'flink-rescale': { 'spacker.engine': 'flink', 'spacker.strategy': 'flink-rescale' },
};

/** --quick keeps 15 % of the time (9 s, the rescale at 4.5 s): Flink's restart takes seconds of its own. */
const QUICK_TIME = 0.15;

export function flinkRescaleRunSpecs(quick: boolean): RunSpec[] {
  const runs = Object.entries(FLINK_RESCALE_RUNS).map(([name, sets]): RunSpec => ({ name, job: JOB, sets: { ...FLINK_RESCALE_BASE, ...sets }, figureHints: { study: 'flink-rescale', series: name } }));
  return scaled(runs, quick, QUICK_TIME);
}

export const flinkRescale: Experiment = {
  name: 'flink-rescale',
  description: "the micro-benchmark scaled out 2 -> 4: the embedded engine's Spacker fluid and all-at-once next to Flink 1.20's stop-with-savepoint restart and adaptive-scheduler rescale (needs 'npm run services -- flink up --task-managers 2 --slots 2')",
  npmScript: 'exp:flink-rescale',
  requires: ['flink'],
  runs: ({ quick }) => flinkRescaleRunSpecs(quick),
};

/**
 * micro-bench.sh (reference 5.2): the fluid study (chunk size sweep, feeds pareto_curve_batching) and the
 * replication study (replication filter sweep, feeds pareto_curve_replication), plus the restart baseline of each.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec } from './types.ts';

const JOB = 'micro-benchmark';
const FLUID = { ...INIT, 'spector.replicate_keys_filter': 0, 'spacker.checkpoint.interval': CHECKPOINTS_OFF, 'spacker.workload.state_access_ratio': 100, 'spector.reconfig.affected_keys': 512 };
const REPLICATION = { ...INIT, 'spacker.checkpoint.interval': 1000, 'spacker.workload.state_access_ratio': 2, 'spacker.workload.n_keys': 32768, 'spector.reconfig.affected_keys': 1024 };

export const microBench: Experiment = {
  name: 'micro-bench',
  description: 'fluid study (sync_keys 1..64, 512 key groups shuffled at 50 s) and replication study (filter 0..8, all 1,024 key groups)',
  npmScript: 'exp:micro-bench',
  runs: ({ quick }) => {
    const runs: RunSpec[] = [];
    for (const sync of [1, 2, 4, 8, 16, 32, 64]) {
      runs.push({ name: `sync-${sync}`, job: JOB, sets: { ...FLUID, 'spector.reconfig.sync_keys': sync }, figureHints: { study: 'fluid', x: sync } });
    }
    runs.push({ name: 'fluid-restart', job: JOB, sets: { ...FLUID, 'spacker.strategy': 'restart' }, figureHints: { study: 'fluid', series: 'restart' } });
    for (const filter of [0, 1, 2, 4, 8]) {
      runs.push({ name: `filter-${filter}`, job: JOB, sets: { ...REPLICATION, 'spector.replicate_keys_filter': filter }, figureHints: { study: 'replication', x: filter } });
    }
    runs.push({ name: 'replication-restart', job: JOB, sets: { ...REPLICATION, 'spacker.strategy': 'restart' }, figureHints: { study: 'replication', series: 'restart' } });
    return scaled(runs, quick);
  },
};

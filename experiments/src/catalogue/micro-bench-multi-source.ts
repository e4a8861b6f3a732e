/**
 * micro-bench-multi-source.sh (reference 5.2): the number of shuffled tasks. (affected_keys, affected_tasks) in
 * {(512, 8), (256, 4), (128, 2)}, all at once, no checkpoints; plus the restart baseline of the largest.
 * Feeds pareto_curve_multisource.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec } from './types.ts';

const BASE = { ...INIT, 'spacker.workload.state_access_ratio': 2, 'spacker.checkpoint.interval': CHECKPOINTS_OFF, 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 0 };

export const microBenchMultiSource: Experiment = {
  name: 'micro-bench-multi-source',
  description: 'shuffled tasks: (affected key groups, tasks) in (512, 8), (256, 4), (128, 2), all at once; restart of (512, 8)',
  npmScript: 'exp:micro-bench-multi-source',
  runs: ({ quick }) => {
    const runs: RunSpec[] = [
      [512, 8],
      [256, 4],
      [128, 2],
    ].map(([keys, tasks]) => ({
      name: `keys-${keys}-tasks-${tasks}`,
      job: 'micro-benchmark',
      sets: { ...BASE, 'spector.reconfig.affected_keys': keys, 'spector.reconfig.affected_tasks': tasks },
      figureHints: { study: 'multi-source', x: tasks },
    }));
    runs.push({ name: 'restart', job: 'micro-benchmark', sets: { ...BASE, 'spector.reconfig.affected_keys': 512, 'spector.reconfig.affected_tasks': 8, 'spacker.strategy': 'restart' }, figureHints: { study: 'multi-source', series: 'restart' } });
    return scaled(runs, quick);
  },
};

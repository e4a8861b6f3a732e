/**
 * micro-bench-order.sh, run_order_zipf_study (reference 5.2): load_balance_zipf at 50 s, when the
 * MicroBenchmarkOrder source turns skewed (zipf 0.6); chunks of 32; order default vs reverse, plus our hot-first
 * and the restart baseline. Feeds pareto_curve_ordering / latency_curve_order.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec } from './types.ts';

const BASE = {
  ...INIT,
  'spector.reconfig.scenario': 'load_balance_zipf',
  'spacker.rate.per_task': 5000,
  'spector.replicate_keys_filter': 0,
  'spacker.checkpoint.interval': CHECKPOINTS_OFF,
  'spector.reconfig.sync_keys': 32,
  'spacker.workload.zipf_skew': 0.6,
  'spector.reconfig.workload.zipf_skew': 0.6,
  'spacker.workload.state_access_ratio': 100,
};

export const microBenchOrder: Experiment = {
  name: 'micro-bench-order',
  description: 'order study: zipf 0.6 load balance at 50 s in chunks of 32, order default / reverse / hot-first / restart',
  npmScript: 'exp:micro-bench-order',
  runs: ({ quick }) => {
    const runs: RunSpec[] = ['default', 'reverse', 'hot-first'].map((order) => ({
      name: `order-${order}`,
      job: 'micro-benchmark-order',
      sets: { ...BASE, 'spector.reconfig.order_function': order },
      figureHints: { study: 'order', series: order },
    }));
    runs.push({ name: 'restart', job: 'micro-benchmark-order', sets: { ...BASE, 'spacker.strategy': 'restart' }, figureHints: { study: 'order', series: 'restart' } });
    return scaled(runs, quick);
  },
};

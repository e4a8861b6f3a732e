/**
 * micro-bench-workloads-order.sh (reference 5.2): the order study across input rates (1,000..7,000 rec/s per
 * task, zipf 0.6) and skews (zipf 0.25, 0.5, 0.75 at 5,000 rec/s), each with order default vs reverse.
 * MicroBenchmarkOrder, load_balance_zipf, chunks of 32, access 100 %, no checkpoints, no replication.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';

/** Many runs: --quick shortens them more than the others (see quick.ts). */
const QUICK_TIME = 0.07;
import type { Experiment, RunSpec } from './types.ts';

const BASE = {
  ...INIT,
  'spector.reconfig.scenario': 'load_balance_zipf',
  'spector.replicate_keys_filter': 0,
  'spacker.checkpoint.interval': CHECKPOINTS_OFF,
  'spector.reconfig.sync_keys': 32,
  'spacker.workload.state_access_ratio': 100,
};
const ORDERS = ['default', 'reverse'];

export const microBenchWorkloadsOrder: Experiment = {
  name: 'micro-bench-workloads-order',
  description: 'order default vs reverse across input rates 1,000..7,000 rec/s per task and zipf skews 0.25, 0.5, 0.75',
  npmScript: 'exp:micro-bench-workloads-order',
  runs: ({ quick }) => {
    const runs: RunSpec[] = [];
    for (let rate = 1000; rate <= 7000; rate += 1000) {
      for (const order of ORDERS) {
        runs.push({
          name: `rate${rate}-${order}`,
          job: 'micro-benchmark-order',
          sets: { ...BASE, 'spacker.rate.per_task': rate, 'spacker.workload.zipf_skew': 0.6, 'spector.reconfig.workload.zipf_skew': 0.6, 'spector.reconfig.order_function': order },
          figureHints: { study: 'order-input-rate', x: rate, series: order },
        });
      }
    }
    for (const zipf of [0.25, 0.5, 0.75]) {
      for (const order of ORDERS) {
        runs.push({
          name: `zipf${zipf}-${order}`,
          job: 'micro-benchmark-order',
          sets: { ...BASE, 'spacker.rate.per_task': 5000, 'spacker.workload.zipf_skew': zipf, 'spector.reconfig.workload.zipf_skew': zipf, 'spector.reconfig.order_function': order },
          figureHints: { study: 'order-zipf-skew', x: zipf, series: order },
        });
      }
    }
    return scaled(runs, quick, QUICK_TIME);
  },
};

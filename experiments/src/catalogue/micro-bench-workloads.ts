/**
 * micro-bench-workloads.sh (reference 5.2), its batch ("Chunk-1 / Chunk-16 / All-at-once") and replication
 * ("update") studies with the values its functions list. Trimmed: keys to migrate {128, 256} (the comment lists
 * 128..2048; 512 is the key-group study's mp 1024 point), and the replication state-size study to per-key
 * {1024, 4096, 32768} (of 1024..32768). Sync values repeated within a point (affected/8 = 16) run once.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';

/** Many runs: --quick shortens them more than the others (see quick.ts). */
const QUICK_TIME = 0.025;
import type { Experiment, RunSpec, SetValue } from './types.ts';

const JOB = 'micro-benchmark';
const BATCH = { ...INIT, 'spacker.checkpoint.interval': CHECKPOINTS_OFF, 'spector.replicate_keys_filter': 0 };
const UPDATE = { ...INIT, 'spacker.runtime': 120, 'spector.reconfig.start': 100000, 'spacker.workload.per_key_size': 32768 };

/** Chunk sizes of the batch study: 1, 16 and all at once (affected/8 key groups per task), without repeats. */
function syncs(affected: number): number[] {
  return [...new Set([1, 16, affected / 8])];
}

function batch(study: string, label: string, x: number, sets: Record<string, SetValue>, affected: number): RunSpec[] {
  return syncs(affected).map((sync) => ({
    name: `batch-${label}${x}-sync${sync}`,
    job: JOB,
    sets: { ...BATCH, ...sets, 'spector.reconfig.affected_keys': affected, 'spector.reconfig.sync_keys': sync },
    figureHints: { study, x, series: sync === affected / 8 ? 'all-at-once' : `chunk-${sync}` },
  }));
}

export const microBenchWorkloads: Experiment = {
  name: 'micro-bench-workloads',
  description: 'batching vs key groups, keys to migrate, state size, input rate; replication vs state access ratio and state size',
  npmScript: 'exp:micro-bench-workloads',
  runs: ({ quick }) => {
    const runs: RunSpec[] = [];
    for (const mp of [512, 1024, 2048]) runs.push(...batch('batch-key-groups', 'mp', mp, { 'spacker.max_parallelism': mp }, mp / 2));
    for (const affected of [128, 256]) runs.push(...batch('batch-affected-keys', 'affected', affected, {}, affected));
    for (const size of [512, 4096, 32768]) runs.push(...batch('batch-state-size', 'size', size, { 'spacker.workload.per_key_size': size }, 512));
    for (const rate of [1000, 2000, 4000, 8000]) runs.push(...batch('batch-input-rate', 'rate', rate, { 'spacker.rate.per_task': rate }, 512));
    runs.push({ name: 'batch-restart', job: JOB, sets: { ...BATCH, 'spacker.strategy': 'restart' }, figureHints: { study: 'batch', series: 'restart' } });
    const access: [number, number][] = [
      [1, 1000],
      [5, 5000],
      [100, 100000],
    ];
    for (const [ratio, checkpoint] of access) {
      for (const filter of [1, 2, 4]) {
        runs.push({
          name: `update-access${ratio}-filter${filter}`,
          job: JOB,
          sets: { ...UPDATE, 'spacker.workload.state_access_ratio': ratio, 'spacker.checkpoint.interval': checkpoint, 'spector.replicate_keys_filter': filter },
          figureHints: { study: 'update-access-ratio', x: ratio, series: `filter-${filter}` },
        });
      }
    }
    for (const size of [1024, 4096, 32768]) {
      for (const filter of [1, 2, 4]) {
        runs.push({
          name: `update-size${size}-filter${filter}`,
          job: JOB,
          sets: { ...UPDATE, 'spacker.workload.state_access_ratio': 2, 'spacker.checkpoint.interval': 1000, 'spacker.workload.per_key_size': size, 'spector.replicate_keys_filter': filter },
          figureHints: { study: 'update-state-size', x: size, series: `filter-${filter}` },
        });
      }
    }
    return scaled(runs, quick, QUICK_TIME);
  },
};

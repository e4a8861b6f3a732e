/**
 * micro-bench-kafka.sh (reference 5.x): the fluid study on a Kafka-fed job. The reference's settings: 2 tasks,
 * 512 key groups, 16,384 keys, 5,000 rec/s in total, 100 % state access, sync_keys 4 .. 128. Each run writes
 * its records to a fresh topic on the broker (spacker.kafka.brokers, by default the one `npm run services --
 * up` started), replays them through the Kafka source and deletes the topic. Plus the restart baseline.
 */
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec } from './types.ts';

const JOB = 'micro-benchmark';
const KAFKA = {
  ...INIT,
  'spacker.parallelism': 2,
  'spacker.max_parallelism': 512,
  'spacker.workload.n_keys': 16384,
  'spacker.rate.per_task': 2500,
  'spacker.workload.state_access_ratio': 100,
  'spacker.checkpoint.interval': CHECKPOINTS_OFF,
  'spector.replicate_keys_filter': 0,
  'spector.reconfig.affected_keys': 256,
  'spector.reconfig.affected_tasks': 2,
  'spacker.task_managers': 2,
  'spacker.source': 'kafka',
  'spacker.kafka.generate': true,
  'spacker.kafka.schedule': 'replay',
  'spacker.kafka.topic': 'micro-bench-kafka',
};

export const microBenchKafka: Experiment = {
  name: 'micro-bench-kafka',
  description: 'fluid study (sync_keys 4..128, 256 of 512 key groups shuffled over 2 tasks at 50 s) on a Kafka-fed job; needs Kafka',
  npmScript: 'exp:micro-bench-kafka',
  requires: ['kafka'],
  runs: ({ quick }) => {
    const runs: RunSpec[] = [];
    for (const sync of [4, 8, 16, 32, 64, 128]) {
      runs.push({ name: `sync-${sync}`, job: JOB, sets: { ...KAFKA, 'spector.reconfig.sync_keys': sync }, figureHints: { study: 'fluid', x: sync } });
    }
    runs.push({ name: 'fluid-restart', job: JOB, sets: { ...KAFKA, 'spacker.strategy': 'restart' }, figureHints: { study: 'fluid', series: 'restart' } });
    return scaled(runs, quick);
  },
};

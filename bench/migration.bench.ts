// Migration benchmarks (issue: the Spacker migration layer), each figure measured in one invocation:
//  1. all-at-once migration of 512 key groups holding 512 MiB (state preloaded): completion time and GB/s;
//  2. at the reference micro-benchmark scale (8 subtasks, 40,000 rec/s, 1,024 key groups, 32,768 keys x 32 KiB,
//     2 % access, checkpoints every second), a shuffle of 512 key groups over 8 tasks, with sync_keys 1, sync_keys 0
//     and the restart baseline: the spike ratio (sync 1 / sync 0), the p99 of the key groups that do not move
//     during the migration against their steady value, and the restart baseline's peak against Spacker's.
// Run: npm run bench:migration [-- --seconds 100 --start 50]
import { parseArgs } from 'node:util';
import { runMicroJob, type BenchRun } from './run-job.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '100' }, start: { type: 'string', default: '50' } } });
const seconds = Number(values.seconds);
const startMs = Number(values.start) * 1000;

function migration(r: BenchRun): NonNullable<BenchRun['summary']['migrations'][number]> {
  const m = r.summary.migrations[0];
  if (m === undefined) throw new Error('the run performed no migration');
  return m;
}

console.log('1) all-at-once, 512 key groups x 1 MiB (preloaded state), migration at 6 s of a 12 s run, checkpoints off');
const once = runMicroJob({ 'spacker.runtime': 12, 'spector.reconfig.start': 6000, 'spacker.checkpoint.interval': 0, 'spector.reconfig.sync_keys': 0, 'spacker.workload.preload': true });
const m1 = migration(once);
console.log(`   moved ${(m1.bytes / 2 ** 20).toFixed(1)} MiB in ${m1.keyGroups} key groups; completion ${m1.completionMs.toFixed(1)} ms (goal <= 1000 ms); ${(m1.bytes / 1e9 / (m1.completionMs / 1000)).toFixed(2)} GB/s`);

const base = { 'spacker.runtime': seconds, 'spector.reconfig.start': startMs };
console.log(`2) reference scale, shuffle of 512 key groups over 8 tasks at ${startMs / 1000} s of a ${seconds} s run`);
const fluid = runMicroJob({ ...base, 'spector.reconfig.sync_keys': 1 });
const allAtOnce = runMicroJob({ ...base, 'spector.reconfig.sync_keys': 0 });
const restart = runMicroJob({ ...base, 'spacker.strategy': 'restart' });
for (const [name, r] of [['sync_keys=1', fluid], ['sync_keys=0', allAtOnce], ['restart', restart]] as const) {
  const m = migration(r);
  console.log(`   ${name.padEnd(12)} moved ${(m.bytes / 2 ** 20).toFixed(1)} MiB, completion ${m.completionMs.toFixed(1)} ms, spike ${m.spikeMs?.toFixed(3)} ms, ` +
    `p99 others ${m.p99OtherMs?.toFixed(3)} ms vs steady ${m.steadyP99BeforeMs?.toFixed(3)} ms (x${m.otherVsSteady?.toFixed(2)}), max latency ${r.summary.latencyMs?.max.toFixed(1)} ms`);
}
const s1 = migration(fluid).spikeMs ?? NaN;
const s0 = migration(allAtOnce).spikeMs ?? NaN;
const sr = migration(restart).spikeMs ?? NaN;
console.log(`spike sync_keys=1 / sync_keys=0: ${(s1 / s0).toFixed(4)} (all-at-once spike is ${(s0 / s1).toFixed(1)}x the fluid one)`);
console.log(`p99 of key groups that do not move, during / before the migration: sync_keys=1 x${migration(fluid).otherVsSteady?.toFixed(2)}, sync_keys=0 x${migration(allAtOnce).otherVsSteady?.toFixed(2)} (goal <= 1.5)`);
console.log(`restart peak / Spacker (sync_keys=1) peak: ${(sr / s1).toFixed(1)}x (goal >= 100x)`);

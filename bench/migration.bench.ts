// Migration benchmarks (issue: the Spacker migration layer), each figure measured in one invocation:
//  1. all-at-once migration of 512 key groups holding 512 MiB (state preloaded): completion time and GB/s;
//  2. at the reference micro-benchmark scale (8 subtasks, 40,000 rec/s, 1,024 key groups, 32,768 keys x 32 KiB,
//     2 % access, checkpoints every second), a shuffle of 512 key groups over 8 tasks, with sync_keys 1,
//     sync_keys 0 and the restart baseline: the spike ratio (sync 1 / sync 0), the p99 of the key groups that
//     do not move during the migration against the same statistic in steady state, and the restart baseline's
//     peak against Spacker's. The sync_keys runs repeat the shuffle every 12 s from 50 s (5 migrations in 100 s):
//     a p99 of ~20 us moves from second to second, so each figure is printed per migration and as the median,
//     next to a control: the same statistic over 2-s windows of the same runs' steady state (no migration).
// Run: npm run bench:migration [-- --seconds 100 --start 50 --interval 12 --keep DIR]  (--keep: each run's
// results folder stays under DIR, for a closer look at a figure)
import { parseArgs } from 'node:util';
import { runMicroJob, type BenchRun } from './run-job.ts';
import { steadyWindowP99 } from '../experiments/src/run/summary.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '100' }, start: { type: 'string', default: '50' }, interval: { type: 'string', default: '12' }, keep: { type: 'string' } },
});
const seconds = Number(values.seconds);
const startMs = Number(values.start) * 1000;
const intervalMs = Number(values.interval) * 1000;
/** A micro-benchmark run with these overrides (kept under --keep's folder when given). */
const runBench = (sets: Parameters<typeof runMicroJob>[0]): BenchRun => runMicroJob(sets, 'micro-benchmark', values.keep);

type Migration = NonNullable<BenchRun['summary']['migrations'][number]>;

function migrations(r: BenchRun): Migration[] {
  if (r.summary.migrations.length === 0) throw new Error('the run performed no migration');
  return r.summary.migrations;
}

function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The migrations' statistic (max per-second p99 of a 2-s window over the mean of such maxima in the 10 s before)
 * over the steady 2-s windows before the first migration's second (from second 11): how far noise alone takes it.
 */
function steadyControl(r: BenchRun): number[] {
  const p99 = r.series.filter((x) => x.scope === 'all').map((x) => ({ ts_s: x.s, p99: x.p99 }));
  const at = new Map(p99.map((x) => [x.ts_s, x.p99]));
  const first = Math.floor(migrations(r)[0].startMs / 1000);
  const out: number[] = [];
  for (let a = 11; a + 1 < first; a++) {
    const base = steadyWindowP99(p99, a, 2);
    const window = Math.max(at.get(a) ?? NaN, at.get(a + 1) ?? NaN);
    if (base !== undefined && base > 0 && Number.isFinite(window)) out.push(window / base);
  }
  return out;
}

const f = (x: number | undefined, d = 3): string => (x === undefined ? '-' : x.toFixed(d));

console.log('1) all-at-once, 512 key groups x 1 MiB (preloaded state), migration at 6 s of a 12 s run, checkpoints off');
const once = runBench({ 'spacker.runtime': 12, 'spector.reconfig.start': 6000, 'spacker.checkpoint.interval': 0, 'spector.reconfig.sync_keys': 0, 'spacker.workload.preload': true });
const m1 = migrations(once)[0];
console.log(`   moved ${(m1.bytes / 2 ** 20).toFixed(1)} MiB in ${m1.keyGroups} key groups; completion ${m1.completionMs.toFixed(1)} ms (goal <= 1000 ms); ${(m1.bytes / 1e9 / (m1.completionMs / 1000)).toFixed(2)} GB/s`);

const base = { 'spacker.runtime': seconds, 'spector.reconfig.start': startMs };
console.log(`2) reference scale, shuffle of 512 key groups over 8 tasks at ${startMs / 1000} s of a ${seconds} s run (sync_keys runs: again every ${intervalMs / 1000} s)`);
const fluid = runBench({ ...base, 'spector.reconfig.interval': intervalMs, 'spector.reconfig.sync_keys': 1 });
const allAtOnce = runBench({ ...base, 'spector.reconfig.interval': intervalMs, 'spector.reconfig.sync_keys': 0 });
const restart = runBench({ ...base, 'spacker.strategy': 'restart' });
for (const [name, r] of [['sync_keys=1', fluid], ['sync_keys=0', allAtOnce], ['restart', restart]] as const) {
  for (const m of migrations(r)) {
    console.log(`   ${name.padEnd(12)} at ${(m.startMs / 1000).toFixed(0)} s: moved ${(m.bytes / 2 ** 20).toFixed(1)} MiB, completion ${m.completionMs.toFixed(1)} ms, spike ${f(m.spikeMs)} ms, ` +
      `p99 others ${f(m.p99OtherMs)} ms vs steady ${f(m.steadyP99BeforeMs)} ms (x${f(m.otherVsSteady, 2)})`);
  }
}
const spikes = (r: BenchRun): number[] => migrations(r).map((m) => m.spikeMs ?? NaN);
const ratios = (r: BenchRun): number[] => migrations(r).map((m) => m.otherVsSteady ?? NaN);
const s1 = median(spikes(fluid));
const s0 = median(spikes(allAtOnce));
const sr = migrations(restart)[0].spikeMs ?? NaN;
console.log(`spike sync_keys=1 / sync_keys=0 (medians): ${(s1 / s0).toFixed(4)} (all-at-once spike is ${(s0 / s1).toFixed(1)}x the fluid one)`);
console.log(`p99 of key groups that do not move, during / steady (goal <= 1.5): sync_keys=1 median x${median(ratios(fluid)).toFixed(2)} ` +
  `[${ratios(fluid).map((x) => x.toFixed(2)).join(', ')}], sync_keys=0 median x${median(ratios(allAtOnce)).toFixed(2)} [${ratios(allAtOnce).map((x) => x.toFixed(2)).join(', ')}]`);
const control = [...steadyControl(fluid), ...steadyControl(allAtOnce)];
console.log(`   control, no migration: the same statistic over ${control.length} steady 2-s windows of these two runs: ` +
  `${control.filter((x) => x > 1.5).length} above 1.5 (median x${median(control).toFixed(2)}, max x${Math.max(...control).toFixed(2)})`);
console.log(`restart peak / Spacker (sync_keys=1, median) peak: ${(sr / s1).toFixed(1)}x (goal >= 100x)`);

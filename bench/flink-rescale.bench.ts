// Flink's rescaling next to the embedded engine's live migration, in one invocation (issue 18): the
// flink-rescale family's workload and state (the micro-benchmark, 2,000 rec/s, 4,096 keys x 1 KiB, 128 key
// groups, checkpoints every second) scaled out 2 -> 4 at --start of a --seconds run, four ways: embedded Spacker
// fluid and all-at-once (scenario rescale, Flink's key-group moves), flink-restart and flink-rescale on the
// Flink session cluster `npm run services -- flink up --task-managers 2 --slots 2` recorded. Printed side by
// side: downtime (the longest gap in completed records overlapping the rescale), peak latency (the highest
// latency of any record) and recovery time (re-stable time, analysis/src/compute/metrics.ts), all from the
// jobs' own per-record latency files (not from REST polling); then each as a ratio to embedded Spacker fluid.
// Run: npm run bench:flink-rescale [-- --seconds 60 --start 30 --set KEY=VALUE... --keep DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { planSweep } from '../experiments/src/sweep/plan.ts';
import { runSweep } from '../experiments/src/sweep/run-sweep.ts';
import { readOurRun } from '../analysis/src/read/run-folder.ts';
import { makeContext } from '../analysis/src/render/generate.ts';
import { rescaleMetrics, type RescaleMetrics } from '../analysis/src/figures/flink-rescale.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    start: { type: 'string', default: '30' },
    set: { type: 'string', multiple: true, default: [] },
    keep: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const startS = Number(values.start);
if (!(Number.isInteger(seconds) && Number.isFinite(startS) && startS >= 11 && startS < seconds - 5)) {
  throw new Error(`--start ${values.start} --seconds ${values.seconds}: whole seconds; the rescale needs 10 s of steady state before it (start >= 11) and time to re-stabilize after it (start < seconds - 5)`);
}

const out = values.keep ?? mkdtempSync(join(tmpdir(), 'spacker-bench-flink-'));
try {
  // Every key checked, and the jar and the cluster's free slots, before the first run starts.
  const plan = planSweep({ experiment: 'flink-rescale', sets: [`spacker.runtime=${seconds}`, `spector.reconfig.start=${Math.round(startS * 1000)}`, ...values.set], out });
  const c = plan.runs[0].config;
  console.log(`micro-benchmark ${c.get('spacker.rate.per_task') * c.get('spacker.parallelism')} rec/s, ${c.get('spacker.workload.n_keys')} keys x ${c.get('spacker.workload.per_key_size')} B, ${c.get('spacker.max_parallelism')} key groups, checkpoints every ${c.get('spacker.checkpoint.interval')} ms; rescaled ${c.get('spacker.parallelism')} -> ${c.get('spacker.reconfig.target_parallelism')} at ${startS} s of ${seconds} s; ${plan.runs.length} runs`);
  const t0 = new Map<string, number>();
  let lastProgress = 0;
  const result = await runSweep(plan, {
    onRunStart: (run, i) => {
      t0.set(run.folder, performance.now());
      console.log(`  [${i + 1}/${plan.runs.length}] ${run.folder} (${run.config.get('spacker.engine')}) ...`);
    },
    onProgress: (run, p) => {
      if (performance.now() - lastProgress < 10_000) return;
      lastProgress = performance.now();
      console.log(`      ${run.folder}: ${p.elapsedS.toFixed(0)}/${p.runtimeS} s, ${p.phase}`);
    },
    onRunEnd: (run, _, outcome, error) => {
      const s = ((performance.now() - (t0.get(run.folder) ?? performance.now())) / 1000).toFixed(0);
      console.log(`      ${run.folder}: ${outcome} in ${s} s${error === undefined ? '' : `: ${error instanceof Error ? error.message : String(error)}`}`);
    },
  });
  if (result.failed.length > 0) throw new Error(`${result.failed.length} run(s) failed: ${result.failed.map((f) => f.folder).join(', ')}`);

  const runs = plan.runs.map((r) => readOurRun(join(plan.dir, r.folder)));
  const ctx = makeContext(runs, []);
  const rows = runs.map((run) => ({ name: run.name, m: rescaleMetrics(run, ctx) }));
  const cols: [title: string, get: (m: RescaleMetrics) => number | null | undefined, digits: number][] = [
    ['downtime ms', (m) => m.downtimeMs, 1],
    ['peak latency ms', (m) => m.peakMs, 1],
    ['recovery (re-stable) ms', (m) => m.restableMs, 0],
  ];
  const f = (x: number | null | undefined, d: number): string => (x === undefined ? '-' : x === null ? 'never' : x.toFixed(d));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(22) : cell.padStart(26))).join('');
  console.log(`\n${line(['run', ...cols.map(([t]) => t)])}`);
  for (const r of rows) console.log(line([r.name, ...cols.map(([, get, d]) => f(get(r.m), d))]));
  const base = rows.find((r) => r.name === 'spacker-fluid') ?? rows[0];
  const ratio = (x: number | null | undefined, b: number | null | undefined): string => {
    if (x === undefined || b === undefined) return '-';
    if (x === null || b === null) return x === b ? 'both never' : x === null ? 'never' : '-';
    if (b === 0) return x === 0 ? '1 (both 0)' : `${f(x, 1)} vs 0`;
    return `x${(x / b).toFixed(1)}`;
  };
  console.log(`\nas ratios to embedded spacker-fluid (same invocation):\n${line(['run', ...cols.map(([t]) => t)])}`);
  for (const r of rows) if (r !== base) console.log(line([r.name, ...cols.map(([, get]) => ratio(get(r.m), get(base.m)))]));
  if (values.keep !== undefined) console.log(`\nruns kept in ${plan.dir}`);
} finally {
  if (values.keep === undefined) rmSync(out, { recursive: true, force: true });
}

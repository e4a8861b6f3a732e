// Every registered migration mechanism on one migration, in one invocation: at the reference micro-benchmark
// scale (8 subtasks, 40,000 rec/s, 1,024 key groups, 32,768 keys x 32 KiB, 2 % access, checkpoints every
// second), one shuffle of 512 key groups over 8 tasks at --start of a --seconds run, one run per mechanism of
// the registry with its default options (Spacker as its fluid and all-at-once points). Printed side by side:
// peak (max per-second p99 of the migration's window), mean latency during scaling, re-stable time (DRRS's
// definition), completion, bytes moved, and the p99 of the key groups that do not move against the same
// statistic in steady state; then each as a ratio to Spacker's fluid strategy. The definitions are those of
// every run's summary.json (analysis/src/compute/metrics.ts).
// Run: npm run bench:mechanisms [-- --seconds 40 --start 25 --only spacker-fluid,rhino --set KEY=VALUE... --keep DIR]
// (--set: configuration overrides for every run, e.g. --set spacker.workload.zipf_skew=1 for skewed keys)
import { parseArgs } from 'node:util';
import { MECHANISM_NAMES } from '../engine/src/index.ts';
import { runMicroJob, type BenchRun } from './run-job.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '40' },
    start: { type: 'string', default: '25' },
    only: { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    keep: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const startS = Number(values.start);
if (!(Number.isFinite(seconds) && Number.isFinite(startS) && startS >= 11 && startS < seconds - 2)) {
  throw new Error(`--start ${values.start} --seconds ${values.seconds}: the migration needs 10 s of steady state before it (start >= 11) and time after it (start < seconds - 2)`);
}

/** --set KEY=VALUE overrides (checked by the run itself, which names a wrong key or value). */
const overrides: Record<string, string> = {};
for (const kv of values.set) {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new Error(`--set ${kv}: expected KEY=VALUE`);
  overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
}

/** The runs: each mechanism with its configuration overrides (Spacker twice). */
const RUNS: [name: string, sets: Record<string, string | number>][] = MECHANISM_NAMES.flatMap((m): [string, Record<string, string | number>][] =>
  m === 'spacker'
    ? [['spacker-fluid', { 'spacker.strategy': m, 'spector.reconfig.sync_keys': 1 }], ['spacker-all-at-once', { 'spacker.strategy': m, 'spector.reconfig.sync_keys': 0 }]]
    : [[m, { 'spacker.strategy': m }]],
);
const only = values.only?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const unknown = (only ?? []).filter((n) => !RUNS.some(([name]) => name === n));
if (unknown.length > 0) throw new Error(`--only: ${unknown.join(', ')} is not a run here; allowed: ${RUNS.map(([n]) => n).join(', ')}`);
const chosen = RUNS.filter(([name]) => only === undefined || only.includes(name) || name === 'spacker-fluid');

type Migration = NonNullable<BenchRun['summary']['migrations'][number]>;
interface Row {
  name: string;
  m: Migration;
  wallS: number;
}

const extra = Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(', ');
console.log(`reference scale, shuffle of 512 key groups over 8 tasks at ${startS} s of a ${seconds} s run, checkpoints every second${extra === '' ? '' : `, ${extra}`}; ${chosen.length} runs`);
const rows: Row[] = [];
for (const [i, [name, sets]] of chosen.entries()) {
  const t0 = performance.now();
  process.stdout.write(`  [${i + 1}/${chosen.length}] ${name} ... `);
  const r = runMicroJob({ 'spacker.runtime': seconds, 'spector.reconfig.start': startS * 1000, ...overrides, ...sets }, 'micro-benchmark', values.keep);
  const m = r.summary.migrations[0];
  if (m === undefined) throw new Error(`${name}: the run performed no migration`);
  const wallS = (performance.now() - t0) / 1000;
  rows.push({ name, m, wallS });
  console.log(`${wallS.toFixed(0)} s`);
}

const f = (x: number | null | undefined, d = 2): string => (x === undefined ? '-' : x === null ? 'never' : x.toFixed(d));
const cols: [title: string, get: (m: Migration) => number | null | undefined, digits: number][] = [
  ['peak ms', (m) => m.spikeMs, 2],
  ['mean during ms', (m) => m.meanDuringScalingMs, 3],
  ['re-stable ms', (m) => m.restableMs, 0],
  ['completion ms', (m) => m.completionMs, 1],
  ['MiB moved', (m) => m.bytes / 2 ** 20, 1],
  ['others p99 / steady', (m) => m.otherVsSteady, 2],
];
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(20))).join('');
console.log(`\n${line(['mechanism', ...cols.map(([t]) => t)])}`);
for (const r of rows) console.log(line([r.name, ...cols.map(([, get, d]) => f(get(r.m), d))]));

const base = rows.find((r) => r.name === 'spacker-fluid') as Row;
const ratio = (x: number | null | undefined, b: number | null | undefined): string => {
  if (x === undefined || b === undefined) return '-';
  if (x === null || b === null) return x === b ? 'both never' : x === null ? 'never' : '-';
  if (b === 0) return x === 0 ? '1 (both 0)' : `${f(x)} vs 0`;
  return `x${f(x / b)}`;
};
console.log(`\nas ratios to spacker-fluid (same invocation):\n${line(['mechanism', ...cols.map(([t]) => t)])}`);
for (const r of rows) if (r !== base) console.log(line([r.name, ...cols.map(([, get]) => ratio(get(r.m), get(base.m)))]));

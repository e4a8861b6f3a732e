// Maximum sustainable rate of the micro-benchmark on this machine: the highest total input rate whose
// per-second p99 latency stays under 10 ms for 20 s (seconds 2..21 of a 22 s run, every record completed),
// printed next to a bare loop that generates the same records and applies the same state updates, as a ratio.
// Each trial runs `spacker job micro-benchmark` in a fresh process, writing into a temporary folder.
// Run: npm run bench:max-rate [-- --start 250000 --max 4000000 --refine 3 --seconds 22]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bareLoopRate } from './bare-loop.ts';

const { values } = parseArgs({
  options: {
    start: { type: 'string', default: '250000' },
    max: { type: 'string', default: '4000000' },
    refine: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '22' },
    'p99-ms': { type: 'string', default: '10' },
  },
});
const PARALLELISM = 8;
const seconds = Number(values.seconds);
const limitMs = Number(values['p99-ms']);

interface Trial {
  rate: number;
  ok: boolean;
  worstP99: number;
  completed: number;
  expected: number;
}

function trial(rate: number): Trial {
  const out = mkdtempSync(join(tmpdir(), 'spacker-maxrate-'));
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'experiments/src/cli/main.ts', 'job', 'micro-benchmark', '--out', out, '--run', 'trial',
      '--set', `spacker.runtime=${seconds}`, '--set', `spacker.rate.per_task=${rate / PARALLELISM}`, '--set', 'spacker.checkpoint.interval=1000'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const dir = join(out, 'micro-benchmark', 'trial');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { records: number; expectedRecords: number };
    const rows = readFileSync(join(dir, 'series.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const p99s = rows.filter((r) => r[1] === 'all' && r[2] === 'all' && Number(r[0]) >= 2 && Number(r[0]) < 2 + 20).map((r) => Number(r[6]));
    const worstP99 = p99s.length ? Math.max(...p99s) : Infinity;
    const ok = summary.records === summary.expectedRecords && p99s.length >= 20 && worstP99 < limitMs;
    return { rate, ok, worstP99, completed: summary.records, expected: summary.expectedRecords };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function show(t: Trial): void {
  console.log(`  ${t.rate.toLocaleString('en').padStart(11)} rec/s: worst per-second p99 ${t.worstP99.toFixed(2).padStart(8)} ms, ${t.completed}/${t.expected} records -> ${t.ok ? 'sustained' : 'not sustained'}`);
}

console.log(`bare loop (same records, same state updates, no engine): measuring ...`);
const bare = bareLoopRate(5_000_000);
console.log(`  ${Math.round(bare).toLocaleString('en')} rec/s`);

console.log(`engine trials (${seconds} s each, p99 < ${limitMs} ms over seconds 2..21):`);
let good = 0;
let bad = Infinity;
for (let rate = Number(values.start); rate <= Number(values.max); rate *= 2) {
  const t = trial(rate);
  show(t);
  if (t.ok) good = rate;
  else {
    bad = rate;
    break;
  }
}
for (let i = 0; i < Number(values.refine) && Number.isFinite(bad) && good > 0; i++) {
  const rate = Math.round((good + bad) / 2 / 1000) * 1000;
  const t = trial(rate);
  show(t);
  if (t.ok) good = rate;
  else bad = rate;
}
console.log(`maximum sustainable rate: ${good.toLocaleString('en')} rec/s (goal >= 1,000,000)`);
console.log(`bare loop: ${Math.round(bare).toLocaleString('en')} rec/s; engine / bare loop = ${(good / bare).toFixed(3)}`);

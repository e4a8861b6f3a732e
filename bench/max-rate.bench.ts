// Maximum sustainable rate of the micro-benchmark on this machine: the highest total input rate whose
// per-second p99 latency stays under 10 ms for 20 s (seconds 2..21 of a 22 s run, every record completed),
// printed next to a bare loop that generates the same records and applies the same state updates, as a ratio.
// Each trial runs `spacker job micro-benchmark` (no migration) in a fresh process, in a temporary folder.
// Run: npm run bench:max-rate [-- --start 250000 --max 4000000 --refine 3 --seconds 22]
import { parseArgs } from 'node:util';
import { runMicroJob } from './run-job.ts';
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
  const r = runMicroJob({ 'spacker.runtime': seconds, 'spacker.rate.per_task': rate / PARALLELISM, 'spacker.checkpoint.interval': 1000, 'spector.reconfig.scenario': 'none' });
  const p99s = r.series.filter((x) => x.scope === 'all' && x.s >= 2 && x.s < 2 + 20).map((x) => x.p99);
  const worstP99 = p99s.length ? Math.max(...p99s) : Infinity;
  const ok = r.summary.records === r.summary.expectedRecords && p99s.length >= 20 && worstP99 < limitMs;
  return { rate, ok, worstP99, completed: r.summary.records, expected: r.summary.expectedRecords };
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

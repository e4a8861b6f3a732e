// Per-core throughput of Nexmark Q5, Q8 and Q11: the highest event rate (all kinds, as Flink's Nexmark
// counts it) whose per-second p99 latency stays under 100 ms (seconds 2 .. end-1 of each trial, every record
// completed), with one subtask of the query's operator and one source subtask: the engine runs on one thread.
// Printed with the ratio to Flink's published per-core figures (nexmark/nexmark, 8 cores: q5 22.1k/s,
// q8 146k/s, q11 39.7k/s per core). Windows as Flink's Nexmark: q5 10 s sliding every 2 s, q8 10 s tumbling,
// q11 10 s session gap. The source generates every event, also the kinds the query does not read, as Flink's
// Nexmark source does (`--lazy` skips them: one modulo per unread event). Each trial runs `spacker job
// nexmark` (no migration) in a fresh process.
// Run: npm run bench:nexmark [-- --queries q5,q8,q11 --seconds 12 --refine 3]
import { parseArgs } from 'node:util';
import { runMicroJob } from './run-job.ts';

const { values } = parseArgs({
  options: {
    queries: { type: 'string', default: 'q5,q8,q11' },
    seconds: { type: 'string', default: '12' },
    refine: { type: 'string', default: '3' },
    'p99-ms': { type: 'string', default: '100' },
    lazy: { type: 'boolean', default: false },
  },
});

/** Flink's per-core throughput (events/s), nexmark/nexmark README. */
const FLINK: Record<string, number> = { q5: 22_100, q8: 146_000, q11: 39_700 };
const seconds = Number(values.seconds);
const limitMs = Number(values['p99-ms']);

interface Trial {
  rate: number;
  ok: boolean;
  worstP99: number;
  completed: number;
  expected: number;
}

function trial(query: string, rate: number): Trial {
  const r = runMicroJob(
    {
      'spacker.nexmark.query': query,
      'controller.target.operators': query === 'q8' ? 'join' : 'window',
      'spacker.runtime': seconds,
      'spacker.parallelism': 1,
      'spacker.source_parallelism': 1,
      'spacker.max_parallelism': 128,
      'spacker.task_managers': 1,
      'spector.reconfig.affected_keys': 0,
      'spector.reconfig.affected_tasks': 1,
      'spacker.rate.per_task': rate,
      'spacker.checkpoint.interval': 0,
      'spector.reconfig.scenario': 'none',
      'spacker.nexmark.window_size_ms': 10_000,
      'spacker.nexmark.window_slide_ms': 2000,
      'spacker.nexmark.session_gap_ms': 10_000,
      'spacker.nexmark.generate_all': !values.lazy,
    },
    'nexmark',
  );
  const p99s = r.series.filter((x) => x.scope === 'all' && x.s >= 2 && x.s < seconds - 1).map((x) => x.p99);
  const worstP99 = p99s.length ? Math.max(...p99s) : Infinity;
  const ok = r.summary.records === r.summary.expectedRecords && p99s.length >= seconds - 3 && worstP99 < limitMs;
  return { rate, ok, worstP99, completed: r.summary.records, expected: r.summary.expectedRecords };
}

function show(t: Trial): void {
  console.log(`  ${t.rate.toLocaleString('en').padStart(9)} events/s: worst per-second p99 ${t.worstP99.toFixed(1).padStart(8)} ms, ${t.completed}/${t.expected} records -> ${t.ok ? 'sustained' : 'not sustained'}`);
}

const results: [string, number][] = [];
for (const query of values.queries.split(',')) {
  const flink = FLINK[query] ?? 10_000;
  console.log(`${query}: trials of ${seconds} s, p99 < ${limitMs} ms over seconds 2..${seconds - 2}`);
  let good = 0;
  let bad = Infinity;
  for (let rate = Math.round(flink / 2); ; rate *= 2) {
    const t = trial(query, rate);
    show(t);
    if (t.ok) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  for (let i = 0; i < Number(values.refine) && Number.isFinite(bad) && good > 0; i++) {
    const rate = Math.round((good + bad) / 2 / 100) * 100;
    const t = trial(query, rate);
    show(t);
    if (t.ok) good = rate;
    else bad = rate;
  }
  results.push([query, good]);
}
console.log(`\nper-core throughput (events/s at p99 < ${limitMs} ms; ${values.lazy ? 'unread kinds skipped' : 'every event generated'}) vs Flink per core:`);
for (const [query, good] of results) {
  const flink = FLINK[query];
  console.log(`  ${query.padEnd(4)} ${good.toLocaleString('en').padStart(9)}  Flink ${flink === undefined ? '-' : flink.toLocaleString('en')}  ratio ${flink === undefined ? '-' : (good / flink).toFixed(2)}`);
}

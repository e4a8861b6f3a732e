// Steady state at the reference scale: 8 subtasks, 40,000 rec/s, 1,024 key groups, 32,768 keys x 32 KiB,
// 2 % state access, 100 s, checkpoints every second, no migration. Prints the per-second p99 (goal: every
// steady second under 5 ms; seconds 0-3 are reported apart as warm-up: JIT tiering and the fastest state
// growth happen there) and the state size against what the same input must produce (computed by a bare loop)
// and against the memory the process really holds.
// Run: npm run bench:steady [-- --seconds 100]
import { parseArgs } from 'node:util';
import { expectedStateBytes } from './expected-state.ts';
import { runMicroJob } from './run-job.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '100' } } });
const seconds = Number(values.seconds);
console.log(`running micro-benchmark at the reference scale for ${seconds} s ...`);
const { summary, series } = runMicroJob({ 'spacker.runtime': seconds, 'spector.reconfig.scenario': 'none' });
const p99 = series.filter((r) => r.scope === 'all');
const WARM_UP_S = 4;
const steady = p99.filter((r) => r.s >= WARM_UP_S && r.s < seconds);
const over = steady.filter((r) => r.p99 >= 5);
const worst = Math.max(...steady.map((r) => r.p99));
const mean = steady.reduce((a, r) => a + r.p99, 0) / steady.length;
console.log(`records: ${summary.records} of ${summary.expectedRecords}`);
console.log(`per-second p99 over seconds ${WARM_UP_S}..${seconds - 1}: worst ${worst.toFixed(3)} ms, mean ${mean.toFixed(3)} ms, seconds at or over 5 ms: ${over.length} (goal 0)${over.length ? ` [${over.map((r) => `${r.s}s:${r.p99}`).join(' ')}]` : ''}`);
console.log(`warm-up p99 (seconds 0..${WARM_UP_S - 1}): ${p99.filter((r) => r.s < WARM_UP_S).map((r) => `${r.s}s:${r.p99.toFixed(3)}`).join(' ')} ms`);
const expected = expectedStateBytes(seconds);
console.log(`state held: ${(summary.stateBytes / 2 ** 20).toFixed(1)} MiB; the same input in a bare loop: ${(expected / 2 ** 20).toFixed(1)} MiB; ratio ${(summary.stateBytes / expected).toFixed(4)}`);
console.log(`process array-buffer memory / state: ${(summary.memory.arrayBuffersBytes / summary.stateBytes).toFixed(3)} (rss ${(summary.memory.rssBytes / 2 ** 20).toFixed(0)} MiB)`);

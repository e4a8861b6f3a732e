// Pushes 10 M latency records through LatencyLog into a temporary folder and prints the worker's throughput
// (records / time the worker spent on them) and the wall time. `--spector` also writes the `.output` files.
// Run: node --import tsx bench/latency-log.bench.ts [--spector] [--records N]
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyLog } from '../experiments/src/results/latency-log.ts';
import { LatencyBuffer } from '../engine/src/index.ts';

const args = process.argv.slice(2);
const recordsArg = args.indexOf('--records');
const total = recordsArg >= 0 ? Number(args[recordsArg + 1]) : 10_000_000;
const spector = args.includes('--spector');
const subtasks = 8;
const ratePerSecond = 2_000_000;

const runDir = mkdtempSync(join(tmpdir(), 'latency-log-bench-'));
const log = new LatencyLog({
  runDir, startEpochMs: Date.now(), spectorDir: spector ? join(runDir, 'spector') : undefined,
});
const buffers = Array.from({ length: subtasks }, (_, i) => new LatencyBuffer('Keyed Map', i, log));

// Records as a 2 M records/s run would produce them: round-robin over the subtasks, a 10% migrating share,
// latencies spread over 0.1 .. 50 ms with a tail.
const start = performance.now();
let seed = 12345;
for (let i = 0; i < total; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  const u = (seed >>> 8) / 16777216;
  const latency = u < 0.99 ? 0.1 + u * 20 : 50 + u * 500;
  const kg = i % 128;
  buffers[i % subtasks].record((i / ratePerSecond) * 1000, kg, latency, kg < 13);
}
for (const b of buffers) b.flush();
const produced = performance.now();
const summary = await log.finish();
const end = performance.now();

let bytes = 0;
for (const dir of [join(runDir, 'latency'), ...(spector ? [join(runDir, 'spector')] : [])]) {
  for (const f of readdirSync(dir)) bytes += statSync(join(dir, f)).size;
}
const mrps = (records: number, ms: number): string => `${(records / ms / 1000).toFixed(2)} M records/s`;
console.log(`records            ${summary.records.toLocaleString('en')} (${subtasks} subtasks${spector ? ', + spector' : ''})`);
console.log(`worker busy        ${(summary.workerBusyMs / 1000).toFixed(2)} s -> ${mrps(summary.records, summary.workerBusyMs)}`);
console.log(`wall (end to end)  ${((end - start) / 1000).toFixed(2)} s -> ${mrps(summary.records, end - start)}` +
  ` (producing took ${((produced - start) / 1000).toFixed(2)} s on the main thread)`);
console.log(`written            ${(bytes / 2 ** 20).toFixed(0)} MiB of latency files, ${summary.seriesAll.length} seconds in the series`);
console.log(`overall            p50 ${summary.overall.p50} ms, p99 ${summary.overall.p99} ms, max ${summary.overall.max} ms`);
rmSync(runDir, { recursive: true, force: true });

/**
 * Analysis speed. 1) One reference-scale run (default /tmp/big/micro-benchmark/big: 100 s x 40,000 rec/s):
 * read every latency log and recompute the per-second series and the CCDF (budget 5 s). 2) All figures of a
 * results tree (default results/; budget 30 s).
 *   node --import tsx bench/analysis.bench.ts [RUN_DIR] [RESULTS_DIR]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOurRun } from '../analysis/src/read/run-folder.ts';
import { readLatencyLog } from '../analysis/src/read/latency-log.ts';
import { seriesFromLogs } from '../analysis/src/compute/series.ts';
import { latencyCcdf } from '../analysis/src/compute/ccdf.ts';
import { runFacts } from '../analysis/src/figures/run-facts.ts';
import { generateFigures } from '../analysis/src/render/generate.ts';

const runDir = process.argv[2] ?? '/tmp/big/micro-benchmark/big';
const resultsDir = process.argv[3] ?? 'results';

let t = performance.now();
const run = readOurRun(runDir);
const logs = run.latencyFiles.map(readLatencyLog);
const records = logs.reduce((n, l) => n + l.latencyMs.length, 0);
const tRead = performance.now() - t;
t = performance.now();
const series = seriesFromLogs(logs, { origin: 'run-start' });
const tSeries = performance.now() - t;
t = performance.now();
const ccdf = latencyCcdf(logs);
const facts = runFacts(run, series);
const tRest = performance.now() - t;
const total = tRead + tSeries + tRest;
console.log(`one run: ${records.toLocaleString('en')} records in ${logs.length} logs`);
console.log(`  read ${(tRead / 1000).toFixed(2)} s, per-second series recomputed ${(tSeries / 1000).toFixed(2)} s, CCDF (${ccdf.length} points) + spikes/timers ${(tRest / 1000).toFixed(2)} s`);
console.log(`  total ${(total / 1000).toFixed(2)} s (budget 5 s) ${total <= 5000 ? 'OK' : 'OVER'}; spike ${facts.spikes[0]} ms, completion ${facts.timers[0]?.completionMs.toFixed(1)} ms`);

t = performance.now();
const index = await generateFigures({ results: resultsDir, out: mkdtempSync(join(tmpdir(), 'figs-')) });
const tFig = performance.now() - t;
console.log(`figures of ${resultsDir}: ${index.figures.length} built, ${index.missing.length} missing, in ${(tFig / 1000).toFixed(2)} s (budget 30 s) ${tFig <= 30000 ? 'OK' : 'OVER'}`);

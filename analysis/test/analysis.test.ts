/**
 * Fixture tests of the analysis on small hand-made logs; every expected number is worked out by hand in the
 * comments, except the one marked as checked with a throwaway Python computation of the reference's formula.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refPercentile } from '../src/compute/percentile.ts';
import { seriesFromLogs, throughput } from '../src/compute/series.ts';
import { latencyCcdf } from '../src/compute/ccdf.ts';
import { migrationTimers, phaseSpikes, timerFirst, timerTotals, windowSpike } from '../src/compute/migrations.ts';
import { parseLatencyCsv, parseReferenceOutput } from '../src/read/latency-log.ts';
import { parseTimerOutput } from '../src/read/timer-output.ts';
import { parseSeries, parseTimers, scanResults } from '../src/read/run-folder.ts';
import type { Run, SeriesPoint } from '../src/model.ts';
import { strategyLabel } from '../src/identify.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('index convention: p = sorted[floor(n*q)], clamped', () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(refPercentile(s, 0.99), 10); // floor(9.9) = 9
  assert.equal(refPercentile(s, 0.5), 6); // floor(5) = 5 -> 6 (not the median 5.5)
  assert.equal(refPercentile(s, 0.95, 'ceil'), 10); // ceil(9.5) = 10 -> clamped to index 9
  assert.equal(refPercentile([1, 3, 5], 0.99), 5); // floor(2.97) = 2
  assert.ok(Number.isNaN(refPercentile([], 0.99)));
});

test('p99 of 1000 values matches a Python computation of the reference formula', () => {
  // python3: v=[((i*37)%101)+0.25*(i%4) for i in range(1000)]; s=sorted(v); s[floor(n*q)]
  // -> p99 100.0, p50 50.5, p99.9 100.75, p95 96.0
  const v = Array.from({ length: 1000 }, (_, i) => ((i * 37) % 101) + 0.25 * (i % 4));
  const log = { operator: 'op', subtask: 0, tsMs: new Float64Array(1000).fill(500), keyGroup: new Int32Array(1000), latencyMs: Float64Array.from(v) };
  const all = seriesFromLogs([log], { origin: 'run-start' }).find((p) => p.subtask === 'all')!;
  assert.deepEqual([all.p99, all.p50, all.p999, all.p95], [100, 50.5, 100.75, 96]);
});

test('per-second series from our CSV: per subtask and overall, by floor(ts/1000)', () => {
  const a = parseLatencyCsv(enc('ts_ms,key_group,latency_ms\n10,1,1\n20,1,2\n999.9,2,3\n1000,2,4\n1500,3,5\n'), '/x/latency/op-0.csv');
  const b = parseLatencyCsv(enc('ts_ms,key_group,latency_ms\n5,7,10\n1200,7,20\n'), '/x/latency/op-1.csv');
  assert.equal(a.operator, 'op');
  assert.equal(b.subtask, 1);
  const s = seriesFromLogs([a, b], { origin: 'run-start' });
  const get = (t: number, sub: number | 'all'): SeriesPoint => s.find((p) => p.ts_s === t && p.subtask === sub)!;
  // second 0, subtask 0: [1,2,3] -> p50 = sorted[1] = 2, p99 = sorted[2] = 3
  assert.deepEqual([get(0, 0).count, get(0, 0).p50, get(0, 0).p99, get(0, 0).max], [3, 2, 3, 3]);
  // second 0, all: [1,2,3,10] -> p50 = sorted[2] = 3, p99 = sorted[3] = 10
  assert.deepEqual([get(0, 'all').count, get(0, 'all').p50, get(0, 'all').p99], [4, 3, 10]);
  // second 1, all: [4,5,20] -> p50 = sorted[1] = 5, p99 = sorted[2] = 20
  assert.deepEqual([get(1, 'all').count, get(1, 'all').p50, get(1, 'all').p99], [3, 5, 20]);
  assert.deepEqual(throughput(s), [{ ts_s: 0, recPerS: 4 }, { ts_s: 1, recPerS: 3 }]);
});

test('reference logs: x = floor(ts/1000) - the smallest bucket over all files', () => {
  const a = parseReferenceOutput(enc('ts: 1700000000500 endToEnd latency: 7\nts: 1700000001100 endToEnd latency: 9\n'), '/r/Splitter FlatMap-0.output');
  const b = parseReferenceOutput(enc('ts: 1700000002999 endToEnd latency: 1\n'), '/r/Splitter FlatMap-1.output');
  assert.equal(a.operator, 'Splitter FlatMap');
  const all = seriesFromLogs([a, b], { origin: 'min-bucket' }).filter((p) => p.subtask === 'all');
  assert.deepEqual(all.map((p) => [p.ts_s, p.p99]), [[0, 7], [1, 9], [2, 1]]);
});

test('broken lines are errors naming the file and line', () => {
  assert.throws(() => parseLatencyCsv(enc('ts_ms,key_group,latency_ms\n1,2,3\n1,2\n'), '/x/latency/op-0.csv'), /op-0\.csv:3: expected ts_ms,key_group,latency_ms/);
  assert.throws(() => parseLatencyCsv(enc('ts_ms,key_group,latency_ms\n1,2,abc\n'), '/x/latency/op-0.csv'), /op-0\.csv:2:/);
  assert.throws(() => parseLatencyCsv(enc('ts,latency\n'), '/x/latency/op-0.csv'), /op-0\.csv:1: expected the header/);
  assert.throws(() => parseReferenceOutput(enc('ts: 1 endToEnd latency: 2\ngarbage\n'), '/r/op-0.output'), /op-0\.output:2:/);
  assert.throws(() => parseSeries('ts_s,subtask,scope,count,p50,p95,p99,p999,max\n0,all,all,1,1,1,1,1\n', '/x/series.csv'), /series\.csv:2: expected 9 fields/);
  assert.throws(() => parseTimers('reconfig_id,chunk,timer,start_ms,duration_ms\n1,0,bogus,0,1\n', '/x/timers.csv'), /timers\.csv:2: timer must be/);
  assert.equal(parseLatencyCsv(enc('ts_ms,key_group,latency_ms\n'), '/x/latency/op-0.csv').latencyMs.length, 0);
});

test('timer.output: migrations end at the first replicationTimer; completion = Σ sync + update', () => {
  const text = [
    '++++++replicationTimer : 4ms', '++++++replicationTimer : 6ms',
    '++++++syncTimer : 10ms', '++++++updateTimer : 20ms', '++++++endToEndTimer : 31ms', '+++++++ cur time in ms: 1700000000000', '',
    '++++++syncTimer : 1ms', '++++++updateTimer : 2ms', '++++++endToEndTimer : 4ms', '+++++++ cur time in ms: 1700000000100', '',
    '++++++replicationTimer : 8ms',
    '++++++syncTimer : 5ms', '++++++updateTimer : 5ms', '++++++endToEndTimer : 11ms', '+++++++ cur time in ms: 1700000005000', '',
  ].join('\n');
  const rows = parseTimerOutput(text, 'timer.output');
  const m = migrationTimers(rows);
  // migration 1: chunks 2, sync 11, update 22, completion 33, checkpoints before: mean(4,6) = 5
  // migration 2: chunks 1, completion 10, checkpoints before: 8
  assert.deepEqual(m.map((x) => [x.chunks, x.syncMs, x.updateMs, x.completionMs, x.replicationMeanMs]), [[2, 11, 22, 33, 5], [1, 5, 5, 10, 8]]);
  assert.deepEqual(timerTotals(rows), { sync: 16, update: 27, replication: 18, endToEnd: 46 });
  assert.deepEqual(timerFirst(rows), { sync: 10, update: 20, replication: 4, endToEnd: 31 });
  assert.throws(() => parseTimerOutput('++++++fooTimer : 1ms', 'timer.output'), /timer\.output:1:/);
});

test('timers with windows (ours), spikes per migration and per phase', () => {
  const timers = parseTimers(
    'reconfig_id,chunk,timer,start_ms,duration_ms\n0,1,replication,1000,2\n0,2,replication,2000,4\n1,0,sync,5000,3\n1,0,update,5003,7\n1,0,endToEnd,5000,10\n0,3,replication,8000,1\n2,0,sync,9000,1\n2,0,update,9001,1\n',
    't.csv',
  );
  const m = migrationTimers(timers, [{ startMs: 4999, endMs: 5011, mode: 'spacker' }, { startMs: 8999, endMs: 9003, mode: 'spacker' }]);
  assert.deepEqual(m.map((x) => [x.completionMs, x.replicationMeanMs]), [[10, 3], [2, 1]]);
  const series: SeriesPoint[] = [3, 4, 50, 6, 7, 80, 2].map((p99, t) => ({ ts_s: t, subtask: 'all', scope: 'all', count: 1, p50: 1, p95: 1, p99, p999: p99, max: p99 + 1 }));
  // window 2.1 s .. 3.5 s -> seconds [2, 4] -> max(50, 6, 7) = 50
  assert.equal(windowSpike(series, { startMs: 2100, endMs: 3500 }), 50);
  assert.equal(windowSpike(series, { startMs: 2100, endMs: 3500 }, 'max'), 51);
  // phases [0,2), [2,5), [5,7) -> 4, 50, 80
  assert.deepEqual(phaseSpikes(series, [0, 2, 5, 7]), [4, 50, 80]);
});

test('CCDF: P(latency > x) at log-spaced x, pre-aggregated', () => {
  const lat = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 10, 100]);
  const c = latencyCcdf([{ latencyMs: lat }], { minMs: 1, binsPerDecade: 1 });
  // x = 1: 2 of 10 above; x = 10: 1 of 10; x = 100: none
  assert.deepEqual(c.map((p) => [p.latencyMs, p.fraction]), [[1, 0.2], [10, 0.1], [100, 0]]);
  const big = new Float64Array(100_000).map((_, i) => 0.5 + (i % 5000));
  assert.ok(latencyCcdf([{ latencyMs: big }]).length < 300);
});

test('scan: incomplete, failed and broken runs are reported, not read', () => {
  const root = mkdtempSync(join(tmpdir(), 'analysis-scan-'));
  mkdirSync(join(root, 'e', 'a.tmp-123'), { recursive: true });
  mkdirSync(join(root, 'e', 'b.failed'), { recursive: true });
  writeFileSync(join(root, 'e', 'b.failed', 'FAILED'), 'interrupted\n');
  mkdirSync(join(root, 'e', 'c'), { recursive: true });
  writeFileSync(join(root, 'e', 'c', 'config.json'), '{"config":{}}');
  const { runs, problems } = scanResults(root);
  assert.equal(runs.length, 0);
  assert.equal(problems.length, 3);
  assert.match(problems.map((p) => p.message).join('\n'), /incomplete run[\s\S]*failed run: skipped \(interrupted\)[\s\S]*series\.csv: missing/);
});

test("strategy labels: the stock scenario's chunked and replicated run is Spacker, as in micro-bench-stock.sh", () => {
  const run = (config: Run['config']): Run => ({ dir: '', experiment: 'stock', name: '', config, workload: 'stock', explicit: [], series: [], timers: [], events: [], latencyFiles: [], format: 'ours' });
  const stock = (sync: number, filter: number): Run => run({ 'spector.reconfig.scenario': 'stock', 'spector.reconfig.sync_keys': sync, 'spector.replicate_keys_filter': filter });
  assert.deepEqual([stock(512, 2), stock(0, 0), stock(128, 0), stock(0, 1)].map(strategyLabel), ['Spacker', 'All-at-once', 'Fluid (chunk 128)', 'Replication (100 %)']);
  assert.equal(strategyLabel(run({ 'spector.reconfig.scenario': 'stock', 'spacker.strategy': 'restart' })), 'Restart');
  assert.equal(strategyLabel(run({ 'spector.reconfig.scenario': 'shuffle', 'spacker.strategy': 'one-shot', 'spector.reconfig.sync_keys': 4 })), 'one-shot', 'another mechanism: its name');
  assert.equal(strategyLabel(run({ 'spector.reconfig.scenario': 'static', 'spector.reconfig.sync_keys': 8, 'spector.replicate_keys_filter': 2 })), 'Fluid (chunk 8), Replication (50 %)', 'other scenarios keep the dimension labels');
});

test('overview: one set of figures per Nexmark query, titled with it; compare runs stay out of the overviews', async () => {
  const { OVERVIEW } = await import('../src/figures/overview.ts');
  const series: SeriesPoint[] = [0, 1, 2, 3].map((t) => ({ ts_s: t, subtask: 'all', scope: 'all', count: 10, p50: 1, p95: 1, p99: t + 1, p999: 1, max: 1 }));
  const run = (workload: string, name: string, config: Run['config']): Run =>
    ({ dir: `/x/${name}`, experiment: 'e', name, config: { 'spacker.runtime': 4, ...config }, workload, explicit: [], series, timers: [], events: [], latencyFiles: [], format: 'ours' });
  const runs = [
    run('nexmark-q5', 'q5-a', { 'spector.reconfig.scenario': 'static', 'spector.reconfig.sync_keys': 0 }),
    run('nexmark-q5', 'q5-f', { 'spector.reconfig.scenario': 'static', 'spector.reconfig.sync_keys': 1 }),
    run('nexmark-q11', 'q11-a', { 'spector.reconfig.scenario': 'static', 'spector.reconfig.sync_keys': 0 }),
    run('stock', 'compare-stock', { 'spector.reconfig.scenario': 'stock', 'spacker.compare.workload': 'stock', 'spacker.compare.strategy': 'fluid' }),
  ];
  const ctx = { runs, series: (r: Run) => r.series, logs: () => [] };
  const built = (id: string) => OVERVIEW.find((f) => f.id === id)?.build(ctx);
  const q5 = built('overview-nexmark-q5-latency');
  assert.equal(q5?.title, 'nexmark-q5: P99 latency over time');
  assert.deepEqual(q5?.runs.map((r) => r.name).sort(), ['q5-a', 'q5-f'], 'q5 only: not q11, whose name starts the same');
  assert.deepEqual(built('overview-nexmark-q11-latency')?.runs.map((r) => r.name), ['q11-a']);
  assert.equal(built('overview-nexmark-q8-latency'), undefined, 'no q8 runs, no figure');
  assert.equal(built('overview-stock-latency'), undefined, 'a compare run is not a stock overview');
});

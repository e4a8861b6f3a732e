// Tests of the latency log: byte-exact per-record CSV and spector files written by the worker, per-second
// series and summary from HDR histograms, lazy finalization, I/O failures naming the path, and volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LatencyLog } from './latency-log.ts';
import { LatencySeries } from './latency-log-series.ts';
import { IoError } from '../../../engine/src/index.ts';
import type { LatencyChunk } from '../../../engine/src/index.ts';

type Row = [tsMs: number, keyGroup: number, latencyMs: number, migrating: boolean];

function chunk(operator: string, subtask: number, rows: Row[]): LatencyChunk {
  const c: LatencyChunk = {
    operator, subtask, size: rows.length, tsMs: new Float64Array(rows.length + 3),
    keyGroup: new Int32Array(rows.length + 3), latencyMs: new Float64Array(rows.length + 3),
    migrating: new Uint8Array(rows.length + 3),
  };
  rows.forEach(([ts, kg, lat, mig], i) => {
    c.tsMs[i] = ts; c.keyGroup[i] = kg; c.latencyMs[i] = lat; c.migrating[i] = mig ? 1 : 0;
  });
  return c;
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'latency-log-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Subtask 0: 100 records per second, latency 1..100 ms, half migrating in second 1. Subtask 1: 10 per second. */
function workload(): { s0: Row[]; s1: Row[] } {
  const s0: Row[] = [];
  const s1: Row[] = [];
  for (let s = 0; s < 3; s++) {
    for (let v = 1; v <= 100; v++) s0.push([s * 1000 + v * 5 + 0.25, v, v, s === 1 && v % 2 === 0]);
    for (let k = 0; k < 10; k++) s1.push([s * 1000 + k * 10, 100 + k, 200 + k, false]);
  }
  return { s0, s1 };
}

const near = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) <= expected * 1e-3, `${actual} not within HDR precision of ${expected}`);

test('writes byte-exact CSV files, series.csv and the summary', async (t) => {
  const runDir = tempDir(t);
  const log = new LatencyLog({ runDir, startEpochMs: 0 });
  const { s0, s1 } = workload();
  let lastSent: LatencyChunk | undefined;
  // Interleaved by second, as subtasks running side by side deliver them.
  for (let s = 0; s < 3; s++) {
    const mine = s0.slice(s * 100, s * 100 + 100);
    for (let i = 0; i < mine.length; i += 64) log.accept(chunk('Splitter FlatMap', 0, mine.slice(i, i + 64)));
    log.accept((lastSent = chunk('Splitter FlatMap', 1, s1.slice(s * 10, s * 10 + 10))));
  }
  log.accept(chunk('Splitter FlatMap', 1, []));
  const summary = await log.finish();

  const csv0 = readFileSync(join(runDir, 'latency', 'Splitter FlatMap-0.csv'), 'utf8');
  const lines0 = csv0.split('\n');
  assert.equal(lines0[0], 'ts_ms,key_group,latency_ms');
  assert.equal(lines0[1], '5.250,1,1.000');
  assert.equal(lines0[101], '1005.250,1,1.000');
  assert.equal(csv0, `ts_ms,key_group,latency_ms\n${s0.map(([ts, kg, l]) => `${ts.toFixed(3)},${kg},${l.toFixed(3)}\n`).join('')}`);
  const csv1 = readFileSync(join(runDir, 'latency', 'Splitter FlatMap-1.csv'), 'utf8');
  assert.equal(csv1.split('\n').slice(0, 3).join('|'), 'ts_ms,key_group,latency_ms|0.000,100,200.000|10.000,101,201.000');
  assert.equal(csv1.split('\n').length, 32);

  const series = readFileSync(join(runDir, 'series.csv'), 'utf8').trim().split('\n');
  assert.equal(series[0], 'ts_s,subtask,scope,count,p50,p95,p99,p999,max');
  const keys = series.slice(1).map((l) => l.split(',').slice(0, 4).join(','));
  assert.deepEqual(keys, [
    '0,0,other,100', '0,0,all,100', '0,1,other,10', '0,1,all,10', '0,all,other,110', '0,all,all,110',
    '1,0,migrating,50', '1,0,other,50', '1,0,all,100', '1,1,other,10', '1,1,all,10',
    '1,all,migrating,50', '1,all,other,60', '1,all,all,110',
    '2,0,other,100', '2,0,all,100', '2,1,other,10', '2,1,all,10', '2,all,other,110', '2,all,all,110',
  ]);
  const [p50, p95, p99, p999, max] = series[1].split(',').slice(4).map(Number);
  near(p50, 50); near(p95, 95); near(p99, 99); near(p999, 100); assert.equal(max, 100);
  assert.match(series[1], /^0,0,other,100,\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},\d+\.\d{3},100\.000$/);

  assert.equal(summary.records, 330);
  assert.deepEqual(summary.perSubtask, { 0: 300, 1: 30 });
  assert.equal(summary.lateRecords, 0);
  assert.equal(summary.overall.count, 330);
  assert.equal(summary.overall.max, 209);
  assert.equal(summary.overallMigrating.count, 50);
  near(summary.overallMigrating.p50, 50);
  assert.equal(summary.overallMigrating.max, 100);
  assert.equal(summary.overallOther.count, 280);
  assert.deepEqual(summary.seriesAll.map((p) => [p.ts_s, p.count, p.max]), [[0, 110, 209], [1, 110, 209], [2, 110, 209]]);
  assert.deepEqual(summary.seriesMigrating.map((p) => [p.ts_s, p.count]), [[1, 50]]);
  assert.deepEqual(summary.seriesOther.map((p) => [p.ts_s, p.count]), [[0, 110], [1, 60], [2, 110]]);
  near(summary.seriesAll[0].p50, 55);
  near(summary.seriesAll[0].p99, 208);
  assert.ok(summary.workerBusyMs >= 0);
  assert.equal(lastSent?.tsMs.byteLength, 0, 'the chunk buffers were transferred, not copied');
  assert.equal(lastSent?.migrating.byteLength, 0);
});

test('formats edge values exactly and writes the spector format', async (t) => {
  const runDir = tempDir(t);
  const spectorDir = join(runDir, 'spector');
  const log = new LatencyLog({ runDir, startEpochMs: 1_700_000_000_000, spectorDir });
  log.accept(chunk('Op', 3, [
    [0, 0, 0, false], [999.9999, -1, 12.3456, true], [42.5, 1, 0.5, false], [1.9, 7, 2.99, false],
    [3_600_000_123.25, 2_147_483_647, 1_000_000, false], [0.0004, 5, -1.5, false],
  ]));
  await log.finish();
  assert.equal(readFileSync(join(runDir, 'latency', 'Op-3.csv'), 'utf8'), [
    'ts_ms,key_group,latency_ms', '0.000,0,0.000', '1000.000,-1,12.346', '42.500,1,0.500', '1.900,7,2.990',
    '3600000123.250,2147483647,1000000.000', '0.000,5,-1.500', '',
  ].join('\n'));
  assert.equal(readFileSync(join(spectorDir, 'Op-3.output'), 'utf8'), [
    'ts: 1700000000000 endToEnd latency: 0', 'ts: 1700000001000 endToEnd latency: 12', 'ts: 1700000000042 endToEnd latency: 0',
    'ts: 1700000000001 endToEnd latency: 2', 'ts: 1703600000123 endToEnd latency: 1000000',
    'ts: 1700000000000 endToEnd latency: -2', '',
  ].join('\n'));
});

test('an unwritable run folder makes finish() reject with an IoError naming the path', async (t) => {
  const dir = tempDir(t);
  const notADir = join(dir, 'plain-file');
  writeFileSync(notADir, 'x');
  const log = new LatencyLog({ runDir: join(notADir, 'run'), startEpochMs: 0 });
  log.accept(chunk('Op', 0, [[1, 1, 1, false]]));
  await assert.rejects(log.finish(), (err: unknown) => {
    assert.ok(err instanceof IoError);
    assert.equal(err.path, join(notADir, 'run', 'latency'));
    assert.match(err.message, /ENOTDIR/);
    return true;
  });
  assert.throws(() => log.accept(chunk('Op', 0, [])), /after finish/);

  const spectorDir = join(notADir, 'spector');
  const withSpector = new LatencyLog({ runDir: join(dir, 'ok'), startEpochMs: 0, spectorDir });
  await assert.rejects(withSpector.finish(), (err: unknown) => err instanceof IoError && err.path === spectorDir);
});

test('a read-only run folder is reported too (skipped as root, who may write anyway)', async (t) => {
  if (process.getuid?.() === 0) {
    t.skip('root ignores file permissions');
    return;
  }
  const runDir = join(tempDir(t), 'read-only');
  mkdirSync(runDir, { mode: 0o500 });
  const log = new LatencyLog({ runDir, startEpochMs: 0 });
  await assert.rejects(log.finish(), (err: unknown) => err instanceof IoError && err.path === join(runDir, 'latency'));
});

test('a file that cannot be created is named in the rejection', async (t) => {
  const runDir = tempDir(t);
  const log = new LatencyLog({ runDir, startEpochMs: 0 });
  log.accept(chunk('no/such/dir', 0, [[1, 1, 1, false]]));
  log.accept(chunk('Op', 0, [[1, 1, 1, false]]));
  await assert.rejects(log.finish(), (err: unknown) =>
    err instanceof IoError && err.path === join(runDir, 'latency', 'no/such/dir-0.csv'));
});

test('seconds are finalized lazily, a silent subtask cannot hold them forever', () => {
  const series = new LatencySeries();
  for (let s = 0; s < 10; s++) {
    series.add(chunk('A', 0, [[s * 1000, 0, 1, false]]));
    series.add(chunk('A', 1, [[s * 1000 + 500, 0, 2, true]]));
  }
  assert.deepEqual([...new Set(series.rows.map((r) => r.ts_s))], [0, 1, 2, 3, 4, 5, 6, 7]);
  for (let s = 10; s < 50; s++) series.add(chunk('A', 0, [[s * 1000, 0, 1, false]]));
  assert.equal(Math.max(...series.rows.map((r) => r.ts_s)), 49 - 30);
  series.add(chunk('A', 1, [[3000, 0, 5, false]]));
  assert.equal(series.late, 1);
  series.finishAll();
  assert.equal(series.totals().all.count, 61);
  assert.equal(series.rows.filter((r) => r.subtask === 'all' && r.scope === 'all').reduce((n, r) => n + r.count, 0), 60);
});

test('a series calls its pause hook every 1024 records and after each subtask it finalizes; rows unchanged', () => {
  const rows = (subtask: number): Row[] => Array.from({ length: 3000 }, (_, i) => [i, subtask, (i % 50) / 10, i % 7 === 0]);
  let pauses = 0;
  const plain = new LatencySeries();
  const paced = new LatencySeries(() => pauses++);
  for (const series of [plain, paced]) {
    series.add(chunk('A', 0, rows(0)));
    series.add(chunk('A', 1, rows(1)));
    series.finishAll();
  }
  assert.deepEqual(paced.rows, plain.rows);
  // 2 per chunk of 3000 records (after records 1024 and 2048), 1 per (second, subtask) finalized.
  const finalized = paced.rows.filter((r) => r.subtask !== 'all' && r.scope === 'all').length;
  assert.ok(finalized >= 3);
  assert.equal(pauses, 2 * 2 + finalized);
});

test('a chunk of several blocks is written line for line', async (t) => {
  const runDir = tempDir(t);
  const log = new LatencyLog({ runDir, startEpochMs: 0 });
  const rows: Row[] = Array.from({ length: 2500 }, (_, i) => [i * 0.25, i % 300, i / 1000, false]);
  log.accept(chunk('Op', 3, rows));
  await log.finish();
  const lines = readFileSync(join(runDir, 'latency', 'Op-3.csv'), 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines, ['ts_ms,key_group,latency_ms', ...rows.map(([ts, kg, lat]) => `${ts.toFixed(3)},${kg},${lat.toFixed(3)}`)]);
});

test('volume: 2,000,000 records in 16384-record chunks', async (t) => {
  const runDir = tempDir(t);
  const log = new LatencyLog({ runDir, startEpochMs: 0 });
  const total = 2_000_000;
  const size = 16384;
  const start = performance.now();
  for (let done = 0, n = 0; done < total; done += size, n++) {
    const c = chunk('Keyed Map', n % 2, []);
    const len = Math.min(size, total - done);
    Object.assign(c, { size: len, tsMs: new Float64Array(len), keyGroup: new Int32Array(len),
      latencyMs: new Float64Array(len), migrating: new Uint8Array(len) });
    for (let i = 0; i < len; i++) {
      c.tsMs[i] = (done + i) * 0.0005;
      c.keyGroup[i] = (done + i) % 128;
      c.latencyMs[i] = 0.5 + ((done + i) % 1000) * 0.037;
      c.migrating[i] = (done + i) % 128 < 16 ? 1 : 0;
    }
    log.accept(c);
  }
  const summary = await log.finish();
  const seconds = (performance.now() - start) / 1000;
  assert.equal(summary.records, total);
  assert.equal(summary.overall.count, total);
  assert.equal(summary.seriesAll.reduce((n, p) => n + p.count, 0), total);
  assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
  const lines = readFileSync(join(runDir, 'latency', 'Keyed Map-0.csv'), 'utf8').split('\n').length - 2;
  assert.equal(lines, summary.perSubtask['0']);
  t.diagnostic(`${total} records in ${seconds.toFixed(2)} s wall; worker ${(total / summary.workerBusyMs / 1000).toFixed(2)} M records/s`);
});

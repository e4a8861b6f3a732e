import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyGroupOf } from '../../../engine/src/index.ts';
import { checkCounts, countBefore, latencyFromLogs, longestGap, scheduledPerKey } from './flink-results.ts';

const SHAPE = { runtimeS: 3, perTaskRate: 250, parallelism: 2, sourceParallelism: 2, maxParallelism: 128, nKeys: 64, stateAccessRatio: 2, zipfSkew: 0, seed: 1 };

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'flink-results-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeCounts(dir: string, label: string, rows: [string, number][]): void {
  mkdirSync(join(dir, 'counts', label), { recursive: true });
  writeFileSync(join(dir, 'counts', label, 'Splitter FlatMap-0.csv'), `key,key_group,count\n${rows.map(([k, n]) => `${k},${keyGroupOf(k, SHAPE.maxParallelism)},${n}`).join('\n')}\n`);
}

describe('flink results', () => {
  it('counts the records the Java source schedules (Schedule.countBefore)', () => {
    assert.equal(countBefore(500, 3000), 1500);
    assert.equal(countBefore(333, 1000), 333);
    assert.equal(countBefore(333.5, 1000), 334);
    const perKey = scheduledPerKey(SHAPE);
    assert.equal([...perKey.values()].reduce((a, b) => a + b, 0), 1500);
  });

  it('finds no error in counts equal to the schedule, and names lost, reset and duplicated keys', () => {
    const scheduled = scheduledPerKey(SHAPE);
    withDir((dir) => {
      writeCounts(dir, 'final', [...scheduled]);
      const ok = checkCounts(dir, scheduled, SHAPE.maxParallelism);
      assert.deepEqual(ok.errors, []);
      assert.equal(ok.duplicates, 0);
      assert.equal(ok.countedRecords, 1500);
    });
    withDir((dir) => {
      const [[k0, n0], [k1, n1], ...rest] = [...scheduled];
      writeCounts(dir, 'savepoint-3', [[k1, n1]]);
      writeCounts(dir, 'final', [[k0, n0 + 2], [k1, n1 - 1], ...rest]);
      const bad = checkCounts(dir, scheduled, SHAPE.maxParallelism);
      assert.equal(bad.duplicates, 2);
      assert.equal(bad.lostKeys, 1);
      assert.equal(bad.resetKeys, 1);
      assert.match(bad.errors.join('\n'), /1 key\(s\) lost.*\n1 key\(s\) reset/);
    });
    withDir((dir) => assert.match(checkCounts(dir, scheduled, SHAPE.maxParallelism).errors[0], /no final per-key counts/));
  });

  it('turns latency logs into series.csv rows and finds the longest gap in the rescale window', () => {
    withDir((dir) => {
      mkdirSync(join(dir, 'latency'));
      // Two subtasks, one record every 10 ms each, none from 2000 to 2500 ms.
      for (const sub of [0, 1]) {
        const lines = ['ts_ms,key_group,latency_ms'];
        for (let t = sub * 5; t < 4000; t += 10) if (t < 2000 || t >= 2500) lines.push(`${t.toFixed(3)},${sub},${(1 + sub).toFixed(3)}`);
        writeFileSync(join(dir, 'latency', `Splitter FlatMap-${sub}.csv`), `${lines.join('\n')}\n`);
      }
      const { summary, logs } = latencyFromLogs(dir, { startMs: 1900, endMs: 2600 });
      assert.equal(summary.records, 700);
      assert.equal(summary.lateRecords, 0);
      assert.deepEqual(summary.seriesAll.map((p) => p.ts_s), [0, 1, 2, 3]);
      assert.ok(summary.seriesMigrating.length > 0);
      const gap = longestGap(logs, { startMs: 1900, endMs: 2600 });
      assert.deepEqual(gap, { fromMs: 1995, toMs: 2500, ms: 505 });
    });
  });
});

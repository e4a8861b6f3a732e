import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSetArgs } from '../../config/parse.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { checkResults, nexmarkOnFlink } from './nexmark.ts';
import { flinkJobSpec } from './index.ts';
import { flinkPlan } from '../flink-plan.ts';

const FIELDS = 'deployment,auction,count,window_end';
const EXPECTED = ['1000,5,250', '1000,9,500', '1003,4,750'];

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nexmark-flink-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** results/<file> with `rows` of `[deployment, line]`. */
function writeResults(dir: string, file: string, rows: [string, string][], header = FIELDS): void {
  mkdirSync(join(dir, 'results'), { recursive: true });
  writeFileSync(join(dir, 'results', file), [header, ...rows.map(([d, l]) => `${d},${l}`)].join('\n') + '\n');
}

const config = (...set: string[]) => resolveConfig([parseSetArgs(['spector.reconfig.affected_tasks=1', ...set])]);

describe('flink > jobs > nexmark', () => {
  it('finds nothing wrong in the expected results spread over subtasks', () => {
    withDir((dir) => {
      writeResults(dir, 'max-0.csv', [['a1', EXPECTED[0]], ['a1', EXPECTED[2]]]);
      writeResults(dir, 'max-1.csv', [['b1', EXPECTED[1]]]);
      const c = checkResults(dir, 'q5', EXPECTED);
      assert.deepEqual(c.errors, []);
      assert.deepEqual([c.resultLines, c.wrong, c.missing, c.replayed, c.duplicated, c.deployments], [3, 0, 0, 0, 0, 2]);
    });
  });

  it('names wrong and missing results', () => {
    withDir((dir) => {
      writeResults(dir, 'max-0.csv', [['a1', EXPECTED[0]], ['a1', '1000,8,500']]);
      const c = checkResults(dir, 'q5', EXPECTED);
      assert.equal(c.wrong, 1);
      assert.equal(c.missing, 2);
      assert.equal(c.errors.length, 2);
      assert.match(c.errors[0], /1 wrong result line\(s\) \(auction,count,window_end\).*1000,8,500/);
      assert.match(c.errors[1], /2 result\(s\) missing.*1000,9,500/);
    });
  });

  it('counts a copy from another deployment as replayed, a copy from the same deployment as an error', () => {
    withDir((dir) => {
      writeResults(dir, 'max-0.csv', [['a1', EXPECTED[0]], ['a1', EXPECTED[1]], ['a1', EXPECTED[2]]]);
      writeResults(dir, 'max-1.csv', [['b2', EXPECTED[1]]]);
      const replay = checkResults(dir, 'q5', EXPECTED);
      assert.deepEqual(replay.errors, []);
      assert.equal(replay.replayed, 1);
      writeResults(dir, 'max-1.csv', [['a1', EXPECTED[2]]]);
      const twice = checkResults(dir, 'q5', EXPECTED);
      assert.equal(twice.duplicated, 1);
      assert.match(twice.errors.join('\n'), /written twice by one deployment.*1003,4,750/);
    });
  });

  it('refuses a folder without results and a file of another query', () => {
    withDir((dir) => {
      assert.match(checkResults(dir, 'q5', EXPECTED).errors[0], /no results in .*results: the job wrote none/);
      writeResults(dir, 'join-0.csv', [], 'deployment,id,name,auction,reserve,window_start');
      assert.match(checkResults(dir, 'q5', EXPECTED).errors[0], /join-0\.csv: header 'deployment,id,name,auction,reserve,window_start', expected 'deployment,auction,count,window_end'/);
    });
  });

  it("checks a run's folder against the batch results of its configuration", () => {
    const c = config('spacker.nexmark.query=q8', 'spacker.runtime=2', 'spacker.rate.per_task=250', 'spacker.parallelism=2',
      'spacker.nexmark.window_size_ms=500', 'spacker.nexmark.active_people=10');
    withDir((dir) => {
      writeResults(dir, 'join-0.csv', [], 'deployment,id,name,auction,reserve,window_start');
      const empty = nexmarkOnFlink.check(dir, c);
      // 2 s at 500 events/s: 1000 events, 1 person and 3 auctions in every 50.
      assert.equal(empty.expectedRecords, 80);
      assert.match(empty.errors.join('\n'), /result\(s\) missing \(id,name,auction,reserve,window_start\)/);
      const missing = (empty.report.missing as number);
      assert.ok(missing >= 5, `only ${missing} q8 results expected`);
    });
  });

  it('refuses queries other than q5 and q8 naming the key, and passes the rate of the run at any parallelism', () => {
    assert.equal(flinkJobSpec('nexmark'), nexmarkOnFlink);
    assert.throws(() => nexmarkOnFlink.validate?.(config('spacker.nexmark.query=q7')), /spacker\.nexmark\.query.*"q7".*q5 or q8 with spacker\.engine=flink/);
    assert.throws(() => nexmarkOnFlink.validate?.(config('spacker.nexmark.window_size_ms=1000', 'spacker.nexmark.window_slide_ms=300')), /spacker\.nexmark\.window_size_ms/);
    nexmarkOnFlink.validate?.(config('spacker.nexmark.query=q8'));
    assert.equal(nexmarkOnFlink.operatorFor?.(config('spacker.nexmark.query=q8')), 'join');
    assert.equal(nexmarkOnFlink.operatorFor?.(config('spacker.nexmark.query=q5')), 'window');
    const c = config('spacker.parallelism=2', 'spacker.rate.per_task=1000', 'spacker.time_scale=0.5');
    const args = nexmarkOnFlink.args(c, 2, 2);
    assert.deepEqual(nexmarkOnFlink.args(c, 3, 2), args);
    const at = (key: string): string => args[args.indexOf(`--${key}`) + 1];
    assert.equal(at('spacker.parallelism'), '2');
    assert.equal(at('spacker.rate.per_task'), '1000');
    assert.equal(at('spacker.time_scale'), '0.5');
    assert.equal(at('spacker.nexmark.avg_bid_size'), '100');
    assert.equal(args.length % 2, 0);
  });

  it("flinkPlan rescales and reads the latency of the query's vertex, and refuses q7 before anything runs", () => {
    const flink = ['spacker.engine=flink', 'spacker.strategy=flink-restart', 'spector.reconfig.scenario=none', 'spacker.flink.jar=package.json', 'spacker.flink.rest=http://127.0.0.1:9'];
    assert.equal(flinkPlan(config(...flink, 'spacker.nexmark.query=q8'), 'nexmark').job.operator, 'join');
    assert.equal(flinkPlan(config(...flink, 'spacker.nexmark.query=q5'), 'nexmark').job.operator, 'window');
    assert.throws(() => flinkPlan(config(...flink, 'spacker.nexmark.query=q1'), 'nexmark'), /spacker\.nexmark\.query/);
  });
});

// `spacker job nexmark`: a small run of each windowed query completes with every record; bad Nexmark keys
// give one error naming the key and what is allowed (exit code 2) and nothing is written.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/helpers/run-cli.ts';

const SMALL = ['--set', 'spacker.runtime=2', '--set', 'spacker.rate.per_task=500', '--set', 'spacker.parallelism=4', '--set', 'spacker.max_parallelism=64',
  '--set', 'spector.reconfig.affected_keys=32', '--set', 'spector.reconfig.affected_tasks=4', '--set', 'spector.reconfig.start=800', '--set', 'spector.reconfig.sync_keys=4',
  '--set', 'spacker.task_managers=2', '--set', 'spacker.nexmark.window_size_ms=1000', '--set', 'spacker.nexmark.window_slide_ms=250', '--set', 'spacker.nexmark.session_gap_ms=300'];

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-nexmark-job-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('cli > job nexmark', () => {
  for (const [query, operator] of [['q5', 'window'], ['q7', 'window'], ['q8', 'join'], ['q11', 'window']] as const) {
    it(`${query}: migrates '${operator}' and completes every record`, async () => {
      const out = join(root, query);
      const r = await runCli(['job', 'nexmark', '--out', out, '--run', 'small', ...SMALL, '--set', `spacker.nexmark.query=${query}`, '--set', `controller.target.operators=${operator}`]);
      assert.equal(r.code, 0, r.stderr);
      const dir = join(out, 'nexmark', 'small');
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      assert.ok(summary.expectedRecords > 0);
      assert.equal(summary.records, summary.expectedRecords);
      assert.equal(summary.migrations.length, 1);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      assert.equal(config.workload.name, `nexmark-${query}`);
      assert.ok(existsSync(join(dir, 'latency', `${operator}-0.csv`)));
    });
  }

  const BAD: [string, string[], RegExp][] = [
    ['an unknown query lists the queries', ['spacker.nexmark.query=q4'], /'spacker\.nexmark\.query'.*"q4".*one of: q1, q2, q3, q5, q7, q8, q11/],
    ['a generator count out of range', ['spacker.nexmark.hot_auction_ratio=0'], /'spacker\.nexmark\.hot_auction_ratio'.*0.*an integer from 1 to 1000000/],
    ['a proportion that is not an integer', ['spacker.nexmark.bid_proportion=2.5'], /'spacker\.nexmark\.bid_proportion'.*2\.5/],
    ['no people', ['spacker.nexmark.person_proportion=0'], /'spacker\.nexmark\.person_proportion'.*from 1/],
    ['a q5 window that is not whole slides', ['spacker.nexmark.query=q5', 'spacker.nexmark.window_size_ms=1000', 'spacker.nexmark.window_slide_ms=300'], /'spacker\.nexmark\.window_size_ms'.*1000.*a multiple of spacker\.nexmark\.window_slide_ms \(300\)/],
    ['a target operator the query does not have', ['spacker.nexmark.query=q8', 'controller.target.operators=window'], /'controller\.target\.operators'.*"window".*join/],
    ['a q7 window of 0 ms', ['spacker.nexmark.query=q7', 'spacker.nexmark.window_size_ms=0'], /'spacker\.nexmark\.window_size_ms'.*"0".*an integer of at least 1/],
    ['a target operator q7 does not have', ['spacker.nexmark.query=q7', 'controller.target.operators=join'], /'controller\.target\.operators'.*"join".*window, max/],
  ];
  for (const [name, sets, message] of BAD) {
    it(`${name}: one error, exit code 2, nothing written`, async () => {
      const out = join(root, `bad-${name.replace(/\W+/g, '-')}`);
      const r = await runCli(['job', 'nexmark', '--out', out, ...sets.flatMap((s) => ['--set', s])]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(!existsSync(out), 'nothing written');
    });
  }
});

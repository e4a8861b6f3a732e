// `spacker compare`: bad selections (unknown workload or strategy listing the allowed ones, an empty list or
// item, a duplicate, a scenario a workload cannot run, a bad --set) are one error before anything runs, exit 2,
// nothing written; a reduced --quick matrix runs end to end: a run per cell with the same migration for every
// strategy, matrix.csv / matrix.json with every metric, recommendations, and the figures.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../test/helpers/run-cli.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-compare-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const BAD: [string, string[], string[]][] = [
  ['unknown workload', ['--workloads', 'micro-benchmark,nexmark-q99'], ["'--workloads'", 'nexmark-q99', 'micro-benchmark']],
  ['unknown strategy', ['--strategies', 'fluid,sideways'], ["'--strategies'", 'sideways', 'all-at-once, fluid, progressive, hot-first, replication-50, spacker, restart']],
  ['empty workload list', ['--workloads', ''], ["'--workloads'", 'no empty items']],
  ['empty item', ['--strategies', 'fluid,,restart'], ["'--strategies'", 'no empty items']],
  ['a strategy twice', ['--strategies', 'fluid,fluid'], ["'--strategies'", 'fluid is listed twice']],
  ['a scenario the workload cannot run', ['--workloads', 'micro-benchmark', '--scenario', 'stock'], ["'--scenario'", 'stock', 'micro-benchmark runs: shuffle']],
  ['a bad --set', ['--set', 'spacker.runtime=0'], ['spacker.runtime', 'at least 1']],
  ['--repeat 0', ['--repeat', '0'], ["'--repeat'", 'an integer from 1 to 1000']],
];

describe('cli > compare: bad inputs', () => {
  for (const [i, [what, argv, fragments]] of BAD.entries()) {
    it(`${what}: one error naming it and what is allowed, exit 2, nothing written`, async () => {
      const out = join(root, `bad-${i}`);
      const r = await runCli(['compare', ...argv, '--out', out]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      for (const f of fragments) assert.ok(lines[0].includes(f), `"${f}" in: ${lines[0]}`);
      assert.equal(existsSync(out), false, 'nothing written');
    });
  }
});

describe('cli > compare --quick (reduced matrix)', () => {
  it('runs every cell, writes the matrix and recommendations, and draws the figures', async () => {
    const out = join(root, 'quick');
    const strategies = ['all-at-once', 'fluid', 'replication-50', 'restart'];
    const r = await runCli(['compare', '--quick', '--workloads', 'micro-benchmark', '--strategies', strategies.join(','), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(out, 'compare');
    for (const s of strategies) assert.ok(existsSync(join(dir, `micro-benchmark--${s}`, 'summary.json')), s);
    // The same migration for every strategy: the same key groups, at the same moment.
    const moved = strategies.map((s) => JSON.parse(readFileSync(join(dir, `micro-benchmark--${s}`, 'summary.json'), 'utf8')).migrations[0]);
    for (const m of moved) assert.equal(m.keyGroups, moved[0].keyGroups);
    const configs = strategies.map((s) => JSON.parse(readFileSync(join(dir, `micro-benchmark--${s}`, 'config.json'), 'utf8')));
    for (const c of configs) assert.deepEqual([c.config['spector.reconfig.start'], c.config['spector.reconfig.scenario'], c.config['spacker.seed']], [configs[0].config['spector.reconfig.start'], 'shuffle', configs[0].config['spacker.seed']]);
    const csv = readFileSync(join(dir, 'matrix.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'workload,strategy,runs,metric,mean,ci95');
    for (const metric of ['spike', 'p99-others', 'completion', 'moved', 'throughput-dip', 'checkpoint-time', 'memory']) {
      assert.ok(csv.some((l) => l.startsWith('micro-benchmark,fluid,1,' + metric + ',')), metric);
    }
    const json = JSON.parse(readFileSync(join(dir, 'matrix.json'), 'utf8'));
    assert.equal(json.cells.length, strategies.length);
    assert.deepEqual(json.recommendations.map((x: { goal: string }) => x.goal), ['lowest-spike', 'shortest-completion', 'least-overhead']);
    for (const rec of json.recommendations) assert.ok(strategies.includes(rec.strategy));
    assert.match(r.stdout, /spike \(ms\)[^\n]*\nstrategy +micro-benchmark/);
    assert.match(r.stdout, /Recommended strategy per workload:\n {2}micro-benchmark\n {4}lowest spike +\S+/);
    const figures = readdirSync(join(out, 'figures'));
    for (const id of ['compare-heatmap-spike', 'compare-heatmap-memory', 'compare-tradeoff']) assert.ok(figures.includes(`${id}.png`) && figures.includes(`${id}.vl.json`), id);
    assert.equal(existsSync(join(out, 'figures', 'figures.json')), false, 'the full figure index is left to npm run figures');
  });
});

// compare > strategies: every mechanism of the registry is a strategy of `compare` (the ones that are not a
// strategy already, generated with their names as `spacker.strategy`), an unknown name lists them all, and
// every strategy's runs resolve and validate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MECHANISM_NAMES, MECHANISMS } from '../../../engine/src/index.ts';
import { ACCEPTED_STRATEGIES, FLINK_COMPARE_STRATEGIES, mechanismStrategies, SPACKER_STRATEGIES, STRATEGIES, strategyNamed } from './strategies.ts';
import { compareExperiment, parseSelection } from './plan.ts';
import { COMPARE_WORKLOADS, compareWorkloadNamed } from './workloads.ts';
import { flinkJobSpec } from '../flink/jobs/index.ts';
import { planSweep } from '../sweep/plan.ts';

describe('compare > strategies', () => {
  it('every registered mechanism name is a strategy; the names are unique', () => {
    for (const name of MECHANISM_NAMES) assert.ok(strategyNamed(name), name);
    const names = STRATEGIES.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names.slice(0, SPACKER_STRATEGIES.length), SPACKER_STRATEGIES.map((s) => s.name), "Spacker's points first");
  });

  it('a mechanism that is not a strategy yet becomes one selecting it, options at their defaults', () => {
    const registry = [...MECHANISMS, { name: 'one-shot', doc: 'every key group behind one barrier' }];
    assert.deepEqual(mechanismStrategies(registry, SPACKER_STRATEGIES).at(-1), {
      name: 'one-shot',
      doc: 'the one-shot mechanism: every key group behind one barrier',
      sets: { 'spacker.strategy': 'one-shot' },
    });
    assert.deepEqual(mechanismStrategies(MECHANISMS, SPACKER_STRATEGIES).map((s) => s.name), MECHANISM_NAMES.filter((n) => !SPACKER_STRATEGIES.some((s) => s.name === n)));
  });

  it('--strategies takes mechanism names; an unknown one is an error listing every allowed name', () => {
    assert.deepEqual(parseSelection({ strategies: MECHANISM_NAMES.join(',') }).strategies.map((s) => s.name), [...MECHANISM_NAMES]);
    assert.throws(() => parseSelection({ strategies: 'fluid,sideways' }), (e: Error) => {
      assert.ok(e.message.includes('sideways'), e.message);
      for (const s of STRATEGIES) assert.ok(e.message.includes(s.name), `${s.name} in: ${e.message}`);
      return true;
    });
  });

  it("every strategy's run of a workload resolves and validates (--quick), with its keys", () => {
    const out = mkdtempSync(join(tmpdir(), 'spacker-strategies-test-'));
    try {
      const workload = compareWorkloadNamed('micro-benchmark') ?? assert.fail('micro-benchmark');
      const plan = planSweep({ experiment: compareExperiment({ workloads: [workload], strategies: STRATEGIES }), quick: true, out });
      assert.equal(plan.runs.length, STRATEGIES.length);
      for (const [i, s] of STRATEGIES.entries()) {
        assert.equal(plan.runs[i].config.get('spacker.compare.strategy'), s.name);
        assert.equal(plan.runs[i].config.get('spacker.strategy'), s.sets['spacker.strategy']);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('the Flink strategies: by name only (not in the default list), with spacker.engine=flink on the micro-benchmark under scenario rescale', () => {
    assert.deepEqual(FLINK_COMPARE_STRATEGIES.map((s) => s.name), ['flink-restart', 'flink-rescale']);
    assert.deepEqual(parseSelection({}).strategies, [...STRATEGIES], 'the default runs no Flink strategy');
    assert.deepEqual(ACCEPTED_STRATEGIES.map((s) => s.name).slice(-2), ['flink-restart', 'flink-rescale']);
    const sel = parseSelection({ workloads: 'micro-benchmark', strategies: 'flink-restart,flink-rescale,fluid,all-at-once' });
    assert.equal(sel.scenario, 'rescale', 'a Flink strategy chooses the rescale for every strategy of the workload');
    const out = mkdtempSync(join(tmpdir(), 'spacker-strategies-flink-'));
    try {
      const plan = planSweep({ experiment: compareExperiment(sel), quick: true, out });
      assert.deepEqual(plan.runs.map((r) => [r.folder, r.config.get('spacker.engine'), r.config.get('spacker.strategy')]), [
        ['micro-benchmark--flink-restart', 'flink', 'flink-restart'],
        ['micro-benchmark--flink-rescale', 'flink', 'flink-rescale'],
        ['micro-benchmark--fluid', 'embedded', 'spacker'],
        ['micro-benchmark--all-at-once', 'embedded', 'spacker'],
      ]);
      for (const r of plan.runs) {
        assert.deepEqual([r.config.get('spector.reconfig.scenario'), r.config.get('spacker.parallelism'), r.config.get('spacker.reconfig.target_parallelism'), r.config.get('spacker.max_parallelism')], ['rescale', 2, 4, 128]);
        assert.deepEqual(r.config.get('spector.reconfig.start'), plan.runs[0].config.get('spector.reconfig.start'));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('a Flink strategy on a workload the Flink engine does not run, or under another scenario: one error naming it and what is allowed', () => {
    // Flink runs the stock and nexmark jobs too (FLINK_JOB_SPECS), but compare's rescale (the scenario both
    // sides of a Flink comparison run) is the micro-benchmark's only.
    assert.ok(flinkJobSpec('stock') !== undefined && flinkJobSpec('nexmark') !== undefined);
    const not = COMPARE_WORKLOADS.map((w) => w.name).filter((n) => n !== 'micro-benchmark');
    assert.ok(not.includes('stock') && not.includes('nexmark-q5'));
    const message = `run on the Flink cluster, for workload(s) micro-benchmark only, not ${not.join(', ')}`;
    assert.throws(() => parseSelection({ workloads: ['micro-benchmark', ...not].join(','), strategies: 'fluid,flink-rescale' }), (e: Error) => e.message.includes("'--strategies'") && e.message.includes(message));
    assert.throws(() => parseSelection({ strategies: 'flink-restart' }), (e: Error) => e.message.includes(message));
    assert.throws(() => parseSelection({ workloads: 'stock', strategies: 'flink-restart' }), /for workload\(s\) micro-benchmark only, not stock/);
    assert.throws(() => parseSelection({ workloads: 'micro-benchmark', strategies: 'flink-restart', scenario: 'shuffle' }), /'--scenario'.*shuffle.*rescale with flink-restart/s);
  });
});

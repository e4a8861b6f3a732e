// The experiment catalogue: every family's runs resolve and validate at full scale and with --quick (all
// configurations valid, run names unique and readable), --quick keeps the relative timing of migrations and
// checkpoints, the families carry the reference's sweeps, and each family's first run runs end to end when
// made extra small.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENTS, experimentNamed } from './index.ts';
import { quickSets, QUICK } from './quick.ts';
import { mechanismRunSpecs } from './mechanisms.ts';
import { MECHANISM_NAMES } from '../../../engine/src/index.ts';
import { planSweep, type SweepPlan } from '../sweep/plan.ts';
import { runSweep } from '../sweep/run-sweep.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-catalogue-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function plan(name: string, quick: boolean, sets: string[] = []): SweepPlan {
  return planSweep({ experiment: name, quick, sets, out: root, resume: true });
}

describe('catalogue', () => {
  it('has the six micro-bench families, micro-bench-kafka, nexmark, stock, mechanisms and flink-rescale, each with an npm script', () => {
    assert.deepEqual(EXPERIMENTS.map((e) => e.name), ['micro-bench', 'micro-bench-order', 'micro-bench-dynamic', 'micro-bench-multi-source', 'micro-bench-workloads', 'micro-bench-workloads-order', 'micro-bench-kafka', 'nexmark', 'stock', 'mechanisms', 'flink-rescale']);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const e of EXPERIMENTS) {
      assert.equal(e.npmScript, `exp:${e.name}`);
      assert.match(scripts[e.npmScript] ?? '', new RegExp(` run ${e.name}$`), `package.json has ${e.npmScript}`);
    }
  });

  it('mechanisms: a run per registered mechanism, Spacker as its all-at-once and fluid points, on one micro-benchmark shuffle', () => {
    const runs = plan('mechanisms', false).runs;
    const expected = MECHANISM_NAMES.flatMap((n) => (n === 'spacker' ? ['spacker-all-at-once', 'spacker-fluid'] : [n]));
    assert.deepEqual(runs.map((r) => r.folder), expected);
    for (const r of runs) {
      assert.equal(r.job.name, 'micro-benchmark');
      assert.equal(r.config.get('spector.reconfig.scenario'), 'shuffle');
      assert.deepEqual(r.config.get('spector.reconfig.start'), [50000], 'in the middle of the run');
      assert.equal(r.config.get('spacker.runtime'), 100);
      assert.equal(r.config.get('spector.reconfig.affected_keys'), 512);
    }
    assert.deepEqual(runs.map((r) => [r.config.get('spacker.strategy'), r.config.get('spector.reconfig.sync_keys')]).slice(0, 2), [['spacker', 0], ['spacker', 1]]);
    // A mechanism added to the registry is a run of the family with nothing else to edit.
    assert.deepEqual(mechanismRunSpecs(['spacker', 'restart', 'one-shot']).map((r) => [r.name, r.sets['spacker.strategy']]), [
      ['spacker-all-at-once', 'spacker'], ['spacker-fluid', 'spacker'], ['restart', 'restart'], ['one-shot', 'one-shot'],
    ]);
    // Rhino replicates at checkpoints: it runs with them, every other mechanism without.
    for (const r of runs) assert.equal(r.config.get('spacker.checkpoint.interval'), r.folder === 'rhino' ? 1000 : 0, r.folder);
    const quick = plan('mechanisms', true).runs;
    assert.ok(quick.every((r) => r.config.get('spacker.runtime') === 10 && r.config.get('spector.reconfig.start')[0] === 5000));
  });

  for (const e of EXPERIMENTS) {
    it(`${e.name}: every run resolves and validates, full and --quick, with unique readable names`, () => {
      for (const quick of [false, true]) {
        const p = plan(e.name, quick);
        const names = p.runs.map((r) => r.folder);
        assert.equal(new Set(names).size, names.length, 'unique');
        for (const n of names) assert.match(n, /^[a-z0-9][a-z0-9.-]*$/, n);
        for (const r of p.runs) {
          const runtimeMs = r.config.get('spacker.runtime') * 1000;
          if (r.config.get('spector.reconfig.scenario') !== 'none') assert.ok(r.config.get('spector.reconfig.start')[0] < runtimeMs, `${r.folder}: the migration starts within the run`);
        }
      }
    });

    it(`${e.name}: --quick keeps each run's shape and the relative timing of its migration and checkpoints`, () => {
      const full = plan(e.name, false).runs;
      const quick = plan(e.name, true).runs;
      assert.deepEqual(quick.map((r) => r.folder), full.map((r) => r.folder));
      for (const [i, f] of full.entries()) {
        const q = quick[i];
        const factor = q.config.get('spacker.runtime') / f.config.get('spacker.runtime');
        assert.ok(factor < 0.2, `${f.folder}: shorter`);
        assert.equal(f.config.get('spacker.time_scale'), 1);
        assert.equal(q.config.get('spacker.time_scale'), factor, `${f.folder}: the jobs' and scenarios' own clocks scaled alike`);
        const startF = f.config.get('spector.reconfig.start')[0];
        const startQ = q.config.get('spector.reconfig.start')[0];
        assert.ok(Math.abs(startQ - startF * factor) <= 0.5, `${f.folder}: migration at the same fraction of the run (to the ms)`);
        const cf = f.config.get('spacker.checkpoint.interval');
        const cq = q.config.get('spacker.checkpoint.interval');
        assert.equal(cq === 0, cf === 0, `${f.folder}: checkpoints on/off kept`);
        if (cf > 0 && cf * factor >= 50) assert.ok(Math.abs(cq - cf * factor) <= 1, `${f.folder}: checkpoint interval scaled`);
        for (const key of ['spacker.parallelism', 'spacker.max_parallelism', 'spector.reconfig.affected_keys', 'spector.reconfig.affected_tasks', 'spector.reconfig.sync_keys', 'spector.replicate_keys_filter', 'spector.reconfig.order_function', 'spector.reconfig.scenario', 'spacker.strategy', 'spacker.workload.state_access_ratio', 'spacker.workload.zipf_skew'] as const) {
          assert.deepEqual(q.config.get(key), f.config.get(key), `${f.folder}: ${key} kept`);
        }
        // The stock job's keys are its accounts and its rate the generator's.
        const stockJob = f.job.name === 'stock';
        const keys = stockJob ? 'spacker.stock.accounts' : 'spacker.workload.n_keys';
        const rate = stockJob ? 'spacker.stock.rate' : 'spacker.rate.per_task';
        assert.ok(q.config.get(keys) * q.config.get('spacker.workload.per_key_size') < f.config.get(keys) * f.config.get('spacker.workload.per_key_size'), 'less state');
        assert.ok(q.config.get(rate) < f.config.get(rate), 'lower rate');
      }
    });
  }

  it('flink-rescale: Spacker fluid and all-at-once embedded, then flink-restart and flink-rescale on the cluster, the same 2 -> 4 rescale at the middle', () => {
    for (const quick of [false, true]) {
      const p = plan('flink-rescale', quick);
      assert.deepEqual(p.runs.map((r) => r.folder), ['spacker-fluid', 'spacker-all-at-once', 'flink-restart', 'flink-rescale']);
      assert.deepEqual(p.runs.map((r) => r.config.get('spacker.engine')), ['embedded', 'embedded', 'flink', 'flink']);
      assert.deepEqual(p.runs.map((r) => r.config.get('spacker.strategy')), ['spacker', 'spacker', 'flink-restart', 'flink-rescale']);
      assert.deepEqual(p.runs.slice(0, 2).map((r) => r.config.get('spector.reconfig.sync_keys')), [1, 0]);
      const runtimeMs = quick ? 9000 : 60_000;
      for (const r of p.runs) {
        assert.equal(r.config.get('spector.reconfig.scenario'), 'rescale');
        assert.equal(r.config.get('spacker.parallelism'), 2);
        assert.equal(r.config.get('spacker.reconfig.target_parallelism'), 4);
        assert.equal(r.config.get('spacker.max_parallelism'), 128);
        assert.equal(r.config.get('spacker.runtime') * 1000, runtimeMs);
        assert.deepEqual(r.config.get('spector.reconfig.start'), [runtimeMs / 2], `${r.folder}: at the middle of the run`);
        assert.equal(r.config.get('spacker.rate.per_task'), quick ? 100 : 1000);
        assert.equal(r.config.get('spacker.checkpoint.interval'), quick ? 150 : 1000);
      }
      // The embedded runs deploy 4 subtasks of the stateful map, 2 of them idle until the rescale.
      const graph = p.runs[0].job.build(p.runs[0].config).graph;
      assert.equal(graph.get('Splitter FlatMap').parallelism, 4);
    }
    assert.deepEqual(experimentNamed('flink-rescale')?.requires, ['flink']);
  });

  it('--quick scaling: time x0.1, rate x0.1, keys /8, per-key size /16, checkpoints off stay off', () => {
    assert.deepEqual(QUICK, { time: 0.1, rate: 0.1, keys: 1 / 8, perKeySize: 1 / 16 });
    const q = quickSets({ 'spacker.runtime': 100, 'spector.reconfig.start': 50000, 'spacker.checkpoint.interval': 1000, 'spacker.rate.per_task': 5000, 'spacker.workload.n_keys': 32768, 'spacker.workload.per_key_size': 32768, 'spector.reconfig.sync_keys': 8 });
    assert.deepEqual(q, { 'spacker.time_scale': 0.1, 'spacker.runtime': 10, 'spector.reconfig.start': 5000, 'spacker.checkpoint.interval': 100, 'spacker.rate.per_task': 500, 'spacker.workload.n_keys': 4096, 'spacker.workload.per_key_size': 2048, 'spector.reconfig.sync_keys': 8 });
    assert.equal(quickSets({ 'spacker.checkpoint.interval': 0 })['spacker.checkpoint.interval'], 0);
    const w = quickSets({ 'spacker.runtime': 120, 'spector.reconfig.start': 100000 }, 0.03);
    assert.deepEqual(w, { 'spacker.runtime': 4, 'spacker.time_scale': 4 / 120, 'spector.reconfig.start': 3333 });
  });

  it("micro-bench: the reference's fluid and replication studies plus restart", () => {
    const runs = plan('micro-bench', false).runs;
    const get = (name: string): SweepPlan['runs'][number] => runs.find((r) => r.folder === name) ?? assert.fail(name);
    assert.deepEqual(runs.map((r) => r.folder), ['sync-1', 'sync-2', 'sync-4', 'sync-8', 'sync-16', 'sync-32', 'sync-64', 'fluid-restart', 'filter-0', 'filter-1', 'filter-2', 'filter-4', 'filter-8', 'replication-restart']);
    const s8 = get('sync-8').config;
    assert.equal(s8.get('spector.reconfig.sync_keys'), 8);
    assert.equal(s8.get('spacker.workload.state_access_ratio'), 100);
    assert.equal(s8.get('spacker.checkpoint.interval'), 0);
    assert.equal(s8.get('spector.reconfig.affected_keys'), 512);
    assert.equal(s8.get('spector.reconfig.affected_tasks'), 8);
    assert.equal(s8.get('spector.reconfig.scenario'), 'shuffle');
    assert.deepEqual(s8.get('spector.reconfig.start'), [50000]);
    assert.equal(s8.get('spacker.runtime'), 100);
    const f2 = get('filter-2').config;
    assert.equal(f2.get('spector.replicate_keys_filter'), 2);
    assert.equal(f2.get('spector.reconfig.affected_keys'), 1024);
    assert.equal(f2.get('spacker.checkpoint.interval'), 1000);
    assert.equal(f2.get('spacker.workload.state_access_ratio'), 2);
    assert.equal(get('fluid-restart').config.get('spacker.strategy'), 'restart');
  });

  it('the other families carry their scripts\' parameters', () => {
    const order = plan('micro-bench-order', false).runs;
    assert.deepEqual(order.map((r) => r.folder), ['order-default', 'order-reverse', 'order-hot-first', 'restart']);
    const o = order[1].config;
    assert.equal(o.get('spector.reconfig.scenario'), 'load_balance_zipf');
    assert.equal(o.get('spacker.workload.zipf_skew'), 0.6);
    assert.equal(o.get('spector.reconfig.workload.zipf_skew'), 0.6);
    assert.equal(o.get('spector.reconfig.sync_keys'), 32);
    assert.equal(o.get('spector.reconfig.order_function'), 'reverse');
    assert.equal(order[1].job.name, 'micro-benchmark-order');
    const dyn = plan('micro-bench-dynamic', false).runs;
    assert.deepEqual(dyn.map((r) => [r.folder, r.config.get('spector.reconfig.scenario'), r.config.get('spector.replicate_keys_filter'), r.config.get('spector.reconfig.sync_keys')]), [
      ['spacker', 'dynamic', 0, 0],
      ['all-at-once', 'static', 0, 0],
      ['replication', 'static', 1, 0],
      ['progressive', 'static', 0, 2],
      ['restart', 'static', 0, 0],
    ]);
    for (const r of dyn) {
      assert.equal(r.config.get('spacker.runtime'), 120);
      assert.equal(r.config.get('spector.reconfig.affected_keys'), 1024);
      assert.equal(r.config.get('spacker.workload.state_access_ratio'), 1);
      assert.equal(r.config.get('spector.reconfig.order_function'), 'reverse');
      assert.deepEqual(r.config.get('spector.reconfig.start'), [10000]);
    }
    const multi = plan('micro-bench-multi-source', false).runs;
    assert.deepEqual(multi.map((r) => [r.config.get('spector.reconfig.affected_keys'), r.config.get('spector.reconfig.affected_tasks')]), [[512, 8], [256, 4], [128, 2], [512, 8]]);
    const wo = plan('micro-bench-workloads-order', false).runs;
    assert.equal(wo.length, 20);
    assert.equal(wo.find((r) => r.folder === 'rate7000-reverse')?.config.get('spacker.rate.per_task'), 7000);
    assert.equal(wo.find((r) => r.folder === 'zipf0.25-default')?.config.get('spector.reconfig.workload.zipf_skew'), 0.25);
    const w = plan('micro-bench-workloads', false).runs;
    const mp2048 = w.filter((r) => r.folder.startsWith('batch-mp2048-'));
    assert.deepEqual(mp2048.map((r) => r.config.get('spector.reconfig.sync_keys')), [1, 16, 128]);
    assert.ok(mp2048.every((r) => r.config.get('spector.reconfig.affected_keys') === 1024 && r.config.get('spacker.max_parallelism') === 2048));
    assert.deepEqual(w.filter((r) => r.folder.startsWith('batch-rate')).map((r) => r.config.get('spacker.rate.per_task')).filter((v, i, a) => a.indexOf(v) === i), [1000, 2000, 4000, 8000]);
    const upd = w.find((r) => r.folder === 'update-access5-filter2')?.config ?? assert.fail('update-access5-filter2');
    assert.equal(upd.get('spacker.checkpoint.interval'), 5000);
    assert.equal(upd.get('spector.replicate_keys_filter'), 2);
    assert.equal(upd.get('spacker.runtime'), 120);
  });

  it("stock: micro-bench-stock.sh's four configurations plus restart, scenario stock on 16 subtasks over 32,768 key groups", () => {
    const runs = plan('stock', false).runs;
    assert.deepEqual(runs.map((r) => [r.folder, r.config.get('spector.replicate_keys_filter'), r.config.get('spector.reconfig.sync_keys'), r.config.get('spacker.strategy')]), [
      ['spacker', 2, 512, 'spacker'],
      ['all-at-once', 0, 0, 'spacker'],
      ['fluid', 0, 128, 'spacker'],
      ['replication', 1, 0, 'spacker'],
      ['restart', 0, 0, 'restart'],
    ]);
    for (const r of runs) {
      assert.equal(r.job.name, 'stock');
      assert.equal(r.config.get('spector.reconfig.scenario'), 'stock');
      assert.equal(r.config.get('spacker.parallelism'), 16);
      assert.equal(r.config.get('spacker.max_parallelism'), 32768);
      assert.equal(r.config.get('spacker.workload.per_key_size'), 2048);
      assert.equal(r.config.get('spacker.checkpoint.interval'), 1000);
      assert.deepEqual(r.config.get('spector.reconfig.start'), [20000]);
      assert.equal(r.config.get('controller.target.operators'), 'Splitter FlatMap');
      assert.equal(r.config.get('spacker.stock.file'), '', 'the generator');
    }
    const quick = plan('stock', true).runs;
    assert.ok(quick.every((r) => r.config.get('spacker.runtime') === 6 && r.config.get('spacker.stock.rate') === 50 && r.config.get('spacker.stock.accounts') === 6250));
    const file = join(root, 'orders.txt');
    writeFileSync(file, 'end\n');
    assert.equal(plan('stock', false, [`spacker.stock.file=${file}`]).runs[0].config.get('spacker.stock.file'), file, '--set replays a file instead');
    assert.throws(() => plan('stock', false, [`spacker.stock.file=${join(root, 'nope.txt')}`]), /nope\.txt: cannot open the order file \(no such file\)/, 'a missing file is an error before anything runs');
  });

  it('--profile conf-local changes what the experiments do not set (2 TaskManagers), --set wins over the experiment', () => {
    const p = planSweep({ experiment: 'micro-bench', profile: 'conf-local', sets: ['spector.reconfig.sync_keys=3'], out: root, resume: true });
    for (const r of p.runs) {
      assert.equal(r.config.get('spacker.task_managers'), 2);
      assert.equal(r.config.get('spector.reconfig.sync_keys'), 3);
      assert.equal(r.config.sourceOf('spector.reconfig.sync_keys'), '--set');
      assert.equal(r.config.get('spector.reconfig.affected_tasks'), 8, 'the experiment wins over the profile (conf-local: 2)');
    }
  });

  // Extra small: 2 s, the migration at 1 s, 512 keys of 64 bytes, 200 rec/s per task. The whole families run by hand.
  const TINY = ['spacker.runtime=2', 'spector.reconfig.start=1000', 'spacker.workload.n_keys=512', 'spacker.workload.per_key_size=64', 'spacker.rate.per_task=200'];
  for (const name of ['micro-bench', 'micro-bench-order', 'micro-bench-dynamic', 'micro-bench-workloads', 'micro-bench-workloads-order', 'nexmark', 'mechanisms']) {
    it(`${name}: the first run runs end to end (extra small)`, async () => {
      const full = planSweep({ experiment: name, quick: true, sets: TINY, out: join(root, 'first') });
      const first: SweepPlan = { ...full, runs: full.runs.slice(0, 1) };
      const result = await runSweep(first);
      assert.deepEqual(result.failed, []);
      assert.deepEqual(result.completed, [full.runs[0].folder]);
      assert.equal(result.table.length, 1);
      assert.ok((result.table[0].throughputRecPerS?.mean ?? 0) > 0);
      assert.ok(experimentNamed(name));
    });
  }
});

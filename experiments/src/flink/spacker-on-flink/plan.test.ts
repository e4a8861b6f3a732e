// The checks of a Spacker-on-Flink run before anything is written: one test per refusal (the key named, and
// the contradicting one), and the command-line arguments as the reference's config.sh passes them.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import { parseSetArgs } from '../../config/parse.ts';
import { loadProfile } from '../../config/profile.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { standInBuild } from '../../../../test/helpers/stand-in-flink.ts';
import { NO_CHECKPOINTS_INTERVAL_MS, spackerOnFlinkPlan } from './plan.ts';

const layer = loadProfile('conf-local');
const PROFILE = { name: 'conf-local', source: layer.source, text: '' };
const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
function newBuild(): ReturnType<typeof standInBuild> {
  const b = standInBuild();
  made.push(b.root);
  return b;
}
const build = newBuild();
const BASE = ['spacker.engine=spacker-on-flink', `spacker.flink.home=${build.home}`, `spacker.flink.testbed_jar=${build.jar}`];

function plan(sets: string[], job = 'micro-benchmark', base = BASE) {
  return spackerOnFlinkPlan(resolveConfig([layer, parseSetArgs([...base, ...sets])]), job, PROFILE);
}

/** Asserts an InvalidConfigError for `key` whose message matches every pattern. */
function refused(fn: () => unknown, key: string, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidConfigError, String(e));
    assert.equal(e.key, key);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe('flink > spacker-on-flink > plan', () => {
  it('passes the reference micro-benchmark arguments (n_tuples = runtime x rate x p / source_p)', () => {
    const p = plan(['spacker.runtime=20', 'spacker.rate.per_task=500', 'spacker.parallelism=4', 'spacker.source_parallelism=2', 'spacker.workload.zipf_skew=0.6', 'spacker.workload.state_access_ratio=100', 'spector.reconfig.affected_tasks=2']);
    assert.equal(p.job.entryClass, 'flinkapp.MicroBenchmark');
    assert.deepEqual(p.jobArgs, ['-runtime', '20', '-nTuples', '20000', '-p1', '2', '-p2', '4', '-mp2', '1024', '-nKeys', '32768', '-perKeySize', '32768', '-interval', '1000', '-stateAccessRatio', '100', '-zipf_skew', '0.6']);
    assert.equal(p.taskManagers, 2); // conf-local's slaves: 2x localhost
    assert.equal(plan([], 'micro-benchmark-order').job.entryClass, 'flinkapp.MicroBenchmarkOrder');
  });

  it('passes no checkpoints (interval 0) as the reference scripts do, -interval 10000000', () => {
    const args = plan(['spacker.checkpoint.interval=0']).jobArgs;
    assert.equal(args[args.indexOf('-interval') + 1], String(NO_CHECKPOINTS_INTERVAL_MS));
  });

  it('stock: StockExchangeApp with -filepath, which it needs', () => {
    refused(() => plan([], 'stock'), 'spacker.stock.file', /StockExchangeApp replays a file/);
    const file = join(build.home, 'orders.txt');
    writeFileSync(file, 'end\n');
    assert.deepEqual(plan([`spacker.stock.file=${file}`], 'stock').jobArgs.slice(-2), ['-filepath', file]);
  });

  it('refuses a job the testbed jar cannot start with one command line', () => {
    refused(() => plan([], 'nexmark'), 'spacker.engine', /only with job micro-benchmark, micro-benchmark-order, micro-benchmark-overview, stock \(this is 'nexmark'\)/);
  });

  it('refuses an empty spacker.flink.home, naming what it must hold', () => {
    refused(() => plan([], 'micro-benchmark', ['spacker.engine=spacker-on-flink', `spacker.flink.testbed_jar=${build.jar}`]), 'spacker.flink.home', /bin\/start-cluster\.sh, bin\/stop-cluster\.sh, bin\/flink and conf\//);
  });

  it('refuses a spacker.flink.home that does not exist', () => {
    refused(() => plan(['spacker.flink.home=/nonexistent/build-target']), 'spacker.flink.home', /\/nonexistent\/build-target: the folder does not exist/);
  });

  it('refuses a build without a bin/ script or conf/, naming what is missing', () => {
    const b = newBuild();
    rmSync(join(b.home, 'bin', 'flink'));
    rmSync(join(b.home, 'conf'), { recursive: true });
    refused(() => plan([`spacker.flink.home=${b.home}`]), 'spacker.flink.home', /missing: bin\/flink, conf\//);
  });

  it('refuses a bin/ script that is not executable', () => {
    const b = newBuild();
    chmodSync(join(b.home, 'bin', 'stop-cluster.sh'), 0o644);
    refused(() => plan([`spacker.flink.home=${b.home}`]), 'spacker.flink.home', /not executable: bin\/stop-cluster\.sh/);
  });

  it('refuses a missing testbed jar, empty or not there', () => {
    refused(() => plan([], 'micro-benchmark', ['spacker.engine=spacker-on-flink', `spacker.flink.home=${build.home}`]), 'spacker.flink.testbed_jar', /testbed-1\.0-SNAPSHOT\.jar/);
    const gone = join(build.root, 'no-such', 'testbed.jar');
    refused(() => plan([`spacker.flink.testbed_jar=${gone}`]), 'spacker.flink.testbed_jar', /is not there/);
  });

  it('refuses spacker.flink.home with another engine, naming both keys', () => {
    refused(() => resolveConfig([parseSetArgs([`spacker.flink.home=${build.home}`])]), 'spacker.flink.home', /unless spacker\.engine=spacker-on-flink \(spacker\.engine is embedded/);
    refused(() => resolveConfig([parseSetArgs(['spacker.engine=flink', `spacker.flink.testbed_jar=${build.jar}`])]), 'spacker.flink.testbed_jar', /spacker\.engine is flink/);
  });

  it('refuses keys that contradict the user build: another strategy, the flink engine keys, spector.exp.dir', () => {
    refused(() => plan(['spacker.strategy=restart']), 'spacker.strategy', /spacker with spacker\.engine=spacker-on-flink/);
    refused(() => plan(['spacker.flink.rest=http://127.0.0.1:8081']), 'spacker.flink.rest', /spacker\.engine=flink/);
    refused(() => plan([`spacker.flink.jar=${build.jar}`]), 'spacker.flink.jar', /spacker\.flink\.testbed_jar/);
    refused(() => plan(['spector.exp.dir=/data/spector']), 'spector.exp.dir', /its own results folder/);
  });

  it("refuses our own scenarios and orders, which the reference's controller does not know", () => {
    refused(() => plan(['spector.reconfig.scenario=file']), 'spector.reconfig.scenario', /shuffle, load_balance, load_balance_zipf, static, dynamic, stock/);
    refused(() => plan(['spector.reconfig.order_function=hot-first']), 'spector.reconfig.order_function', /default, reverse, random/);
  });

  it('refuses a spacker.* key the user build does not read', () => {
    refused(() => plan(['spacker.link.latency_ms=5']), 'spacker.link.latency_ms', /not set with spacker\.engine=spacker-on-flink/);
  });
});

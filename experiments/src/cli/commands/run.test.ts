// `spacker run` / `spacker list`: bad inputs (experiment, profile, --set, --repeat, --out) each give one error
// naming the input and what is allowed, exit code 2, and write nothing; one whole family runs with --quick and
// writes its runs and table; --resume skips complete runs; Ctrl-C (SIGINT) marks the current run failed, keeps
// the earlier ones, and a resumed sweep completes only the missing runs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../test/helpers/run-cli.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-run-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const FAMILY = 'micro-bench-multi-source';
const RUNS = ['keys-512-tasks-8', 'keys-256-tasks-4', 'keys-128-tasks-2', 'restart'];
/** Extra-small runs (2 s, a migration at 1 s, tiny state) for the tests that are about the sweep, not the runs. */
const TINY = ['--quick', '--set', 'spacker.runtime=2', '--set', 'spector.reconfig.start=1000', '--set', 'spacker.workload.n_keys=512', '--set', 'spacker.workload.per_key_size=64', '--set', 'spacker.rate.per_task=200'];

// [what, argv after `run`, fragments the error must contain]
const BAD: [string, string[], string[]][] = [
  ['misspelt experiment', ['micro-bnch'], ['micro-bnch', 'micro-bench-order', 'micro-bench-workloads-order']],
  ['experiment in capitals', ['MICRO-BENCH'], ['MICRO-BENCH', 'one of: micro-bench,']],
  ['a job name, not an experiment', ['micro-benchmark'], ['micro-benchmark', 'micro-bench-dynamic']],
  ['an empty experiment', [''], ["'experiment'", 'micro-bench-multi-source']],
  ['unknown profile', [FAMILY, '--profile', 'conf-cloud'], ['conf-cloud', 'conf-local, conf-server']],
  ['profile in other case', [FAMILY, '--profile', 'Conf-Local'], ['Conf-Local', 'conf-local, conf-server']],
  ['profile as a path', [FAMILY, '--profile', '../flink-conf/conf-local'], ['../flink-conf/conf-local', 'conf-local, conf-server']],
  ['empty profile', [FAMILY, '--profile', ''], ["'--profile'", 'conf-local, conf-server']],
  ['--repeat 0', [FAMILY, '--repeat', '0'], ["'--repeat'", '"0"', 'an integer from 1 to 1000']],
  ['--repeat negative', [FAMILY, '--repeat=-1'], ["'--repeat'", '"-1"', 'an integer from 1 to 1000']],
  ['--repeat fraction', [FAMILY, '--repeat', '1.5'], ['"1.5"', 'an integer from 1 to 1000']],
  ['--repeat word', [FAMILY, '--repeat', 'twice'], ['"twice"', 'an integer from 1 to 1000']],
  ['--repeat empty', [FAMILY, '--repeat', ''], ["'--repeat'", 'an integer from 1 to 1000']],
  ['--repeat too many', [FAMILY, '--repeat', '1001'], ['"1001"', 'an integer from 1 to 1000']],
  ['--repeat exponent', [FAMILY, '--repeat', '1e2'], ['"1e2"', 'an integer from 1 to 1000']],
  ['--set without =', [FAMILY, '--set', 'spacker.runtime'], ['spacker.runtime', 'key=value']],
  ['--set without key', [FAMILY, '--set', '=3'], ['=3', 'key=value']],
  ['--set unknown key', [FAMILY, '--set', 'spacker.runtim=10'], ['spacker.runtim', 'spacker.runtime']],
  ['--set runtime 0', [FAMILY, '--set', 'spacker.runtime=0'], ['spacker.runtime', 'at least 1']],
  ['--set runtime word', [FAMILY, '--set', 'spacker.runtime=long'], ['spacker.runtime', '"long"', 'an integer']],
  ['--set runtime fraction', [FAMILY, '--set', 'spacker.runtime=1.5'], ['spacker.runtime', '1.5', 'an integer']],
  ['--set order unknown', [FAMILY, '--set', 'spector.reconfig.order_function=sideways'], ['sideways', 'one of: default, reverse, random, hot-first, cold-first']],
  ['--set sync negative', [FAMILY, '--set', 'spector.reconfig.sync_keys=-1'], ['spector.reconfig.sync_keys', '-1', 'at least 0']],
  ['--set checkpoint negative', [FAMILY, '--set', 'spacker.checkpoint.interval=-5'], ['spacker.checkpoint.interval', '-5', 'at least 0']],
  ['--set bool as yes', [FAMILY, '--set', 'spacker.output.latency_log=yes'], ['spacker.output.latency_log', 'yes', 'true or false']],
  ['--set parallelism above max', [FAMILY, '--set', 'spacker.parallelism=2000'], ['spacker.parallelism', '2000', 'spacker.max_parallelism']],
  ['--set affected tasks above parallelism', [FAMILY, '--set', 'spector.reconfig.affected_tasks=9'], ['spector.reconfig.affected_tasks', '9', 'spacker.parallelism']],
  ['--set affected keys above max', [FAMILY, '--set', 'spector.reconfig.affected_keys=5000'], ['spector.reconfig.affected_keys', '5000', 'spacker.max_parallelism']],
  ['--set unknown scenario', [FAMILY, '--set', 'spector.reconfig.scenario=shuffled'], ['shuffled', 'one of: shuffle,']],
  ['--set unknown strategy', [FAMILY, '--set', 'spacker.strategy=stop'], ['stop', 'one of: spacker, restart']],
  ['--set start not a list of ints', [FAMILY, '--set', 'spector.reconfig.start=soon'], ['spector.reconfig.start', 'soon', 'comma-separated list of integers']],
  ['--set negative skew', [FAMILY, '--set', 'spacker.workload.zipf_skew=-1'], ['spacker.workload.zipf_skew', '-1']],
  ['--set max parallelism 0', [FAMILY, '--set', 'spacker.max_parallelism=0'], ['spacker.max_parallelism', '0']],
  ['--set unknown target operator', [FAMILY, '--set', 'controller.target.operators=Mapper'], ['controller.target.operators', 'Mapper', 'Splitter FlatMap']],
  ['--set a list', [FAMILY, '--set', 'spacker.seed=1,2'], ['spacker.seed', '1,2', 'an integer']],
];

describe('cli > run: bad inputs', () => {
  for (const [i, [what, argv, fragments]] of BAD.entries()) {
    it(`${what}: one error naming it and what is allowed, exit 2, nothing written`, async () => {
      const out = join(root, `bad-${i}`);
      const r = await runCli(['run', ...argv, '--out', out]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^spacker: /);
      for (const f of fragments) assert.ok(lines[0].includes(f), `"${f}" in: ${lines[0]}`);
      assert.equal(existsSync(out), false, 'nothing written');
    });
  }

  it('--out that is a file: names it, nothing written', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['run', FAMILY, '--out', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a-file.*--out must be a folder, but this is a file/);
    assert.equal(readFileSync(file, 'utf8'), 'x');
  });

  it('--out below a file: names it, nothing written', async () => {
    const file = join(root, 'another-file');
    writeFileSync(file, 'x');
    const r = await runCli(['run', FAMILY, '--out', join(file, 'sub')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /another-file.*must be a folder/);
  });

  it('an --out holding complete runs without --resume: names them and suggests --resume, nothing written', async () => {
    const out = join(root, 'existing');
    mkdirSync(join(out, FAMILY, 'restart'), { recursive: true });
    const r = await runCli(['run', FAMILY, '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /holds complete runs already \(restart\); add --resume/);
    assert.deepEqual(readdirSync(join(out, FAMILY)), ['restart']);
  });
});

describe('cli > list', () => {
  it('lists every experiment, its runs and its expected duration', async () => {
    const r = await runCli(['list', '--quick']);
    assert.equal(r.code, 0, r.stderr);
    for (const e of ['micro-bench ', 'micro-bench-order', 'micro-bench-dynamic', FAMILY, 'micro-bench-workloads ', 'micro-bench-workloads-order']) assert.ok(r.stdout.includes(e), e);
    assert.match(r.stdout, /micro-bench-multi-source {2}\(npm run exp:micro-bench-multi-source; 4 runs, about \d+ s with --quick\)/);
    assert.ok(r.stdout.includes('sync-8 (10 s)') && r.stdout.includes('filter-2 (10 s)'));
  });
});

describe('cli > run: a whole family', () => {
  const out = (): string => join(root, 'family');

  it(`runs ${FAMILY} with --quick: every run complete, config.json layered, table printed and written`, async () => {
    const r = await runCli(['run', FAMILY, '--quick', '--out', out(), '--set', 'spacker.seed=7']);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(out(), FAMILY);
    assert.deepEqual(readdirSync(dir).sort(), [...RUNS, 'table.csv', 'table.json'].sort());
    for (const run of RUNS) {
      const config = JSON.parse(readFileSync(join(dir, run, 'config.json'), 'utf8'));
      const summary = JSON.parse(readFileSync(join(dir, run, 'summary.json'), 'utf8'));
      assert.equal(summary.records, summary.expectedRecords, run);
      assert.equal(summary.migrations.length, 1, run);
      // layers: profile (conf-server: 8 TaskManagers, 4 Netty channels) <- experiment <- --set
      assert.equal(config.config['spacker.task_managers'], 8);
      assert.equal(config.config['spector.netty.channel.count'], 4);
      assert.equal(config.config['spacker.runtime'], 10);
      assert.deepEqual(config.config['spector.reconfig.start'], [5000]);
      assert.equal(config.config['spacker.seed'], 7);
      const sources = Object.fromEntries(config.explicit.map((e: { key: string; source: string }) => [e.key, e.source]));
      assert.equal(sources['spacker.seed'], '--set');
      assert.equal(sources['spacker.task_managers'], 'flink-conf/conf-server/flink-conf.yaml');
      assert.equal(sources['spector.reconfig.affected_keys'], `experiment ${FAMILY}, run ${run}`);
    }
    const keys = JSON.parse(readFileSync(join(dir, 'keys-256-tasks-4', 'summary.json'), 'utf8')).migrations[0];
    assert.equal(keys.keyGroups, 256);
    assert.match(r.stdout, /run +spike \(ms\) +mean during scaling \(ms\) +re-stable \(ms\) +completion \(ms\) +throughput \(rec\/s\) +moved \(MiB\)/);
    for (const run of RUNS) assert.match(r.stdout, new RegExp(`^${run} +[\\d.]+ +([\\d.]+|-) +(\\d+|never) +[\\d.]+ +\\d+ +[\\d.]+$`, 'm'));
    const csv = readFileSync(join(dir, 'table.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'run,repeats,spike_ms,spike_ms_ci95,mean_during_scaling_ms,mean_during_scaling_ms_ci95,restable_ms,restable_ms_ci95,completion_ms,completion_ms_ci95,throughput_rec_s,throughput_rec_s_ci95,moved_mib,moved_mib_ci95,restable_never');
    assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), RUNS);
    const json = JSON.parse(readFileSync(join(dir, 'table.json'), 'utf8'));
    assert.equal(json.length, 4);
    assert.ok(json[0].throughputRecPerS.mean > 0);
  });

  it('--resume skips every complete run and still writes the table', async () => {
    const r = await runCli(['run', FAMILY, '--quick', '--resume', '--out', out()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /skipped \(complete already\): 4/);
    for (const run of RUNS) assert.match(r.stdout, new RegExp(`^${run} `, 'm'));
  });
});

describe('cli > run: --repeat', () => {
  it('runs each run N times into <run>-r<i> and tables mean ± 95 % CI', async () => {
    const out = join(root, 'repeat');
    const r = await runCli(['run', FAMILY, ...TINY, '--repeat', '2', '--out', out, '--set', 'spector.reconfig.affected_keys=64', '--set', 'spector.reconfig.affected_tasks=2']);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(out, FAMILY);
    assert.deepEqual(readdirSync(dir).filter((n) => !n.startsWith('table')).sort(), RUNS.flatMap((n) => [`${n}-r1`, `${n}-r2`]).sort());
    assert.match(r.stdout, /^keys-512-tasks-8 +2 +[\d.]+ ± [\d.]+/m);
    const json = JSON.parse(readFileSync(join(dir, 'table.json'), 'utf8'));
    assert.equal(json[0].repeats, 2);
    assert.ok(json[0].throughputRecPerS.ci95 >= 0);
  });
});

describe('cli > run: Ctrl-C', () => {
  it('SIGINT during the second run: it is marked failed, the first is complete, no later run starts; --resume completes the rest', async () => {
    const out = join(root, 'sigint');
    const argv = ['--import', 'tsx', 'experiments/src/cli/main.ts', 'run', FAMILY, ...TINY, '--out', out];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && stderr.includes(`run 2 of 4: ${RUNS[1]}`)) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 500);
        }
      });
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 2, stderr);
    assert.match(stderr, /interrupted: micro-bench-multi-source stopped/);
    assert.match(stdout, /^keys-512-tasks-8 /m);
    const dir = join(out, FAMILY);
    assert.deepEqual(readdirSync(dir).sort(), [RUNS[0], `${RUNS[1]}.failed`, 'table.csv', 'table.json'].sort());
    assert.match(readFileSync(join(dir, `${RUNS[1]}.failed`, 'FAILED'), 'utf8'), /interrupted/);
    assert.ok(existsSync(join(dir, RUNS[0], 'summary.json')));

    const first = readFileSync(join(dir, RUNS[0], 'config.json'), 'utf8');
    const r = await runCli(['run', FAMILY, ...TINY, '--resume', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /skipped \(complete already\): 1/);
    assert.deepEqual(readdirSync(dir).sort(), [...RUNS, 'table.csv', 'table.json'].sort(), 'the .failed folder is replaced by the complete run');
    assert.equal(readFileSync(join(dir, RUNS[0], 'config.json'), 'utf8'), first, 'the complete run was not run again');
  });

  it('a temporary folder left by a killed process is marked failed on the next start and run again with --resume', async () => {
    const out = join(root, 'killed');
    const dir = join(out, FAMILY);
    const r0 = await runCli(['run', FAMILY, ...TINY, '--out', out]);
    assert.equal(r0.code, 0, r0.stderr);
    rmSync(join(dir, RUNS[2]), { recursive: true });
    mkdirSync(join(dir, `${RUNS[2]}.tmp-999999999`)); // what `kill -9` during the third run leaves
    writeFileSync(join(dir, `${RUNS[2]}.tmp-999999999`, 'config.json'), '{}');
    const r = await runCli(['run', FAMILY, ...TINY, '--resume', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`marked failed \\(left by an earlier, killed process\\): ${RUNS[2]}`));
    assert.match(r.stdout, /skipped \(complete already\): 3/);
    assert.deepEqual(readdirSync(dir).sort(), [...RUNS, 'table.csv', 'table.json'].sort());
    assert.ok(existsSync(join(dir, RUNS[2], 'summary.json')));
  });
});

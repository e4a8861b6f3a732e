// `spacker job`: a small run writes a complete results folder with every file of DESIGN.md's layout; each
// bad input gives one error line naming the key or option and what is allowed, exit code 2, nothing written;
// an interrupted run leaves a folder marked failed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../test/helpers/run-cli.ts';
import { runJob } from '../../run/run-job.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { parseSetArgs } from '../../config/parse.ts';
import { buildMicroJob } from '../../jobs/micro-benchmark.ts';

const SMALL = ['--set', 'spacker.runtime=2', '--set', 'spacker.rate.per_task=500', '--set', 'spacker.parallelism=4', '--set', 'spacker.max_parallelism=64',
  '--set', 'spector.reconfig.affected_keys=32', '--set', 'spector.reconfig.affected_tasks=4', '--set', 'spacker.workload.n_keys=512', '--set', 'spacker.workload.per_key_size=256',
  '--set', 'spacker.workload.state_access_ratio=50', '--set', 'spacker.task_managers=2'];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-job-test-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('cli > job', () => {
  it('runs a small micro-benchmark and writes a complete results folder', async () => {
    const out = join(root, 'ok');
    const r = await runCli(['job', 'micro-benchmark', '--out', out, '--run', 'small', ...SMALL, '--set', 'spacker.output.spector=true']);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(out, 'micro-benchmark', 'small');
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'events.csv', 'latency', 'series.csv', 'spector', 'summary.json', 'timers.csv']);
    assert.deepEqual(readdirSync(join(dir, 'latency')).sort(), [0, 1, 2, 3].map((i) => `Splitter FlatMap-${i}.csv`));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.expectedRecords, 2 * 500 * 4);
    assert.equal(summary.records, summary.expectedRecords, 'every record completed');
    let lines = 0;
    for (const f of readdirSync(join(dir, 'latency'))) {
      const text = readFileSync(join(dir, 'latency', f), 'utf8').trim().split('\n');
      assert.equal(text[0], 'ts_ms,key_group,latency_ms');
      lines += text.length - 1;
    }
    assert.equal(lines, summary.records, 'one latency line per record');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.equal(config.config['spacker.parallelism'], 4);
    assert.equal(config.workload.name, 'micro-benchmark');
    assert.ok('git' in config && 'machine' in config && typeof config.startEpochMs === 'number');
    const series = readFileSync(join(dir, 'series.csv'), 'utf8').split('\n');
    assert.equal(series[0], 'ts_s,subtask,scope,count,p50,p95,p99,p999,max');
    const spector = readFileSync(join(dir, 'spector', 'Splitter FlatMap-0.output'), 'utf8').split('\n')[0];
    assert.match(spector, /^ts: \d+ endToEnd latency: \d+$/);
    assert.ok(!readdirSync(join(out, 'micro-benchmark')).some((n) => n.includes('.tmp')), 'no temporary folder left');
  });

  it('runs a migration and writes its timers, events, summary and the reference formats', async () => {
    const out = join(root, 'migration');
    const r = await runCli(['job', 'micro-benchmark', '--out', out, '--run', 'mig', ...SMALL, '--set', 'spector.reconfig.start=800', '--set', 'spector.reconfig.sync_keys=2',
      '--set', 'spacker.output.spector=true', '--set', 'spacker.checkpoint.interval=200']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /migration 0 \(spacker, order default, sync_keys 2, filter 0\): 32 key groups in \d+ chunk\(s\)/);
    const dir = join(out, 'micro-benchmark', 'mig');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.records, summary.expectedRecords);
    assert.equal(summary.migrations.length, 1);
    const m = summary.migrations[0];
    assert.equal(m.keyGroups, 32);
    assert.equal(m.chunks, 4, '32 key groups from 4 sources, 2 per source per chunk');
    assert.ok(m.bytes > 0 && m.completionMs >= 0 && m.spikeMs >= 0);
    const timers = readFileSync(join(dir, 'timers.csv'), 'utf8').trim().split('\n');
    assert.equal(timers[0], 'reconfig_id,chunk,timer,start_ms,duration_ms');
    const chunkRows = timers.slice(1).filter((l) => !l.includes(',replication,'));
    assert.deepEqual(chunkRows.map((l) => l.split(',')[2]), Array.from({ length: 4 }, () => ['sync', 'update', 'endToEnd']).flat());
    assert.ok(timers.some((l) => l.includes(',replication,')), 'a replication timer per checkpoint');
    const events = readFileSync(join(dir, 'events.csv'), 'utf8');
    for (const e of ['migration_start', 'chunk_start', 'chunk_end', 'migration_end', 'phase_start', 'checkpoint']) assert.ok(events.includes(`,${e},`), e);
    assert.match(events, /\n0,warm_up,done=true;migrations=1;ms=[\d.]+\n/, 'the warm-up ran the tiny job and its migration to the end');
    const spector = readFileSync(join(dir, 'spector', 'timer.output'), 'utf8').split('\n');
    assert.ok(spector.includes('') && spector.some((l) => /^\+\+\+\+\+\+syncTimer : \d+ms$/.test(l)) && spector.some((l) => /^\+\+\+\+\+\+\+ cur time in ms: \d+$/.test(l)));
    assert.ok(spector.some((l) => /^\+\+\+\+\+\+replicationTimer : \d+ms$/.test(l)));
  });

  const bad: [string, string[], RegExp][] = [
    ['unknown --set key', ['--set', 'spacker.paralelism=4'], /unknown configuration key 'spacker\.paralelism'.*spacker\.parallelism/],
    ['wrong type', ['--set', 'spacker.parallelism=four'], /'spacker\.parallelism'.*"four".*integer/],
    ['parallelism 0', ['--set', 'spacker.parallelism=0'], /'spacker\.parallelism'.*"0"/],
    ['parallelism above max parallelism', ['--set', 'spacker.parallelism=2048'], /spacker\.parallelism.*spacker\.max_parallelism|spacker\.max_parallelism.*spacker\.parallelism/],
    ['negative rate', ['--set', 'spacker.rate.per_task=-5'], /'spacker\.rate\.per_task'.*"-5"/],
    ['per-key size 0', ['--set', 'spacker.workload.per_key_size=0'], /'spacker\.workload\.per_key_size'.*"0"/],
    ['unknown job', [], /'job'.*"no-such-job".*micro-benchmark/],
    ['unknown order function', ['--set', 'spector.reconfig.order_function=hottest'], /'spector\.reconfig\.order_function'.*"hottest".*default, reverse, random, hot-first, cold-first/],
    ['unknown scenario', ['--set', 'spector.reconfig.scenario=shufle'], /'spector\.reconfig\.scenario'.*"shufle".*shuffle.*load_balance_zipf.*dynamic/],
    ['negative sync_keys', ['--set', 'spector.reconfig.sync_keys=-1'], /'spector\.reconfig\.sync_keys'.*"-1"/],
    ['negative replication filter', ['--set', 'spector.replicate_keys_filter=-2'], /'spector\.replicate_keys_filter'.*"-2"/],
    ['affected_keys above max parallelism', ['--set', 'spector.reconfig.affected_keys=2048'], /spector\.reconfig\.affected_keys.*spacker\.max_parallelism/],
    ['affected_tasks above parallelism', ['--set', 'spector.reconfig.affected_tasks=9'], /spector\.reconfig\.affected_tasks.*spacker\.parallelism/],
    ['an unknown target operator', ['--set', 'controller.target.operators=Mapper'], /'controller\.target\.operators'.*"Mapper".*Splitter FlatMap/],
    ['the file scenario without a file', ['--set', 'spector.reconfig.scenario=file'], /'spacker\.reconfig\.target_file'.*JSON target assignment/],
    ['a target file that does not exist', ['--set', 'spector.reconfig.scenario=file', '--set', 'spacker.reconfig.target_file=/nonexistent/target.json'], /\/nonexistent\/target\.json.*cannot read/],
  ];
  for (const [name, args, pattern] of bad) {
    it(`rejects ${name} with one clear error and writes nothing`, async () => {
      const out = join(root, `bad-${name.replace(/\W+/g, '-')}`);
      const job = name === 'unknown job' ? 'no-such-job' : 'micro-benchmark';
      const r = await runCli(['job', job, '--out', out, ...args]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.equal(existsSync(out), false, 'nothing written');
    });
  }

  const targets: [string, unknown, RegExp][] = [
    ['misses a key group', { assignment: { '0': range(0, 500), '1': range(501, 1024) } }, /key group 500|500/],
    ['repeats a key group', { assignment: { '0': range(0, 513), '1': range(512, 1024) } }, /512/],
    ['names a subtask that does not exist', { assignment: { '0': range(0, 512), '9': range(512, 1024) } }, /subtask.*9|9.*subtask/],
  ];
  for (const [name, json, pattern] of targets) {
    it(`rejects a target file that ${name}, naming the file, and writes nothing`, async () => {
      const file = join(root, `target-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(json));
      const out = join(root, `bad-target-${name.replace(/\W+/g, '-')}`);
      const r = await runCli(['job', 'micro-benchmark', '--out', out, '--set', 'spector.reconfig.scenario=file', '--set', `spacker.reconfig.target_file=${file}`, '--set', 'spacker.parallelism=2',
        '--set', 'spector.reconfig.affected_tasks=2', '--set', 'spacker.runtime=2']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, pattern);
      assert.ok(r.stderr.includes(file), `names the file: ${r.stderr}`);
      assert.equal(existsSync(out), false, 'nothing written');
    });
  }

  it('rejects an unwritable output folder before writing anything', async () => {
    const file = join(root, 'a-file');
    mkdirSync(join(root, 'ro'), { recursive: true });
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'x'));
    const r = await runCli(['job', 'micro-benchmark', '--out', join(file, 'sub'), ...SMALL]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /a-file.*must be a folder/);
    if (process.getuid?.() !== 0) {
      chmodSync(join(root, 'ro'), 0o500);
      const r2 = await runCli(['job', 'micro-benchmark', '--out', join(root, 'ro', 'x'), ...SMALL]);
      assert.equal(r2.code, 2);
      assert.match(r2.stderr, /not writable/);
      chmodSync(join(root, 'ro'), 0o700);
    }
  });

  it('marks an interrupted run failed and keeps earlier runs intact', async () => {
    const out = join(root, 'interrupt');
    const config = resolveConfig([parseSetArgs(SMALL.filter((_, i) => i % 2 === 1).concat('spacker.runtime=30'))]);
    const first = await runJob({ resultsParent: out, runName: 'first', config: resolveConfig([parseSetArgs(SMALL.filter((_, i) => i % 2 === 1))]), job: buildMicroJob(resolveConfig([parseSetArgs(SMALL.filter((_, i) => i % 2 === 1))]), 'micro-benchmark') });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    await assert.rejects(runJob({ resultsParent: out, runName: 'second', config, job: buildMicroJob(config, 'micro-benchmark'), signal: abort.signal }), /interrupted/);
    assert.deepEqual(readdirSync(out).sort(), ['first', 'second.failed']);
    assert.match(readFileSync(join(out, 'second.failed', 'FAILED'), 'utf8'), /interrupted/);
    assert.ok(existsSync(join(first.dir, 'summary.json')));
  });
});

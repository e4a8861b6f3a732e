// `spacker stock-data` writes a generated order file (the same seed, the same file) that `spacker job stock`
// replays with `spacker.stock.file`, matching on, under the stock scenario; bad options, bad keys, a
// missing or malformed file each give one clear message.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../test/helpers/run-cli.ts';
import { readOrderFile } from '../../../../workloads/src/stock/order-file.ts';
import { GENERATOR_DEFAULTS, generateTape } from '../../../../workloads/src/stock/generator.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-stock-data-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const SMALL_JOB = ['--set', 'spacker.runtime=3', '--set', 'spacker.parallelism=16', '--set', 'spacker.max_parallelism=512', '--set', 'spacker.workload.per_key_size=64',
  '--set', 'spacker.task_managers=2', '--set', 'spector.reconfig.scenario=stock', '--set', 'spector.reconfig.start=500', '--set', 'spacker.time_scale=0.05',
  '--set', 'spacker.checkpoint.interval=100', '--set', 'spacker.workload.busy_work_ms=0.01'];

describe('cli > stock-data', () => {
  it('writes the generator\'s records in the SSE format; the same seed gives the same file', async () => {
    const a = join(root, 'a.txt');
    const b = join(root, 'b.txt');
    const r = await runCli(['stock-data', '--out', a, '--duration', '3', '--rate', '200', '--seed', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /order lines in 60 slots of 50 ms/);
    assert.equal((await runCli(['stock-data', '--out', b, '--duration', '3', '--rate', '200', '--seed', '5'])).code, 0);
    assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
    const { tape } = readOrderFile(a);
    assert.deepEqual(tape, generateTape({ ...GENERATOR_DEFAULTS, durationS: 3, rate: 200, seed: 5 }));
  });

  it('an option out of range is one error naming the option and the range; nothing is written', async () => {
    const out = join(root, 'bad.txt');
    const cases: [string[], RegExp][] = [
      [['--rate', '0'], /'--rate': 0; allowed: a number from 0\.001 to 100000/],
      [['--duration', '20000'], /'--duration': 20000; allowed: an integer from 1 to 14400/],
      [['--securities', '0'], /'--securities'/],
      [['--cancel-ratio', '1'], /'--cancel-ratio': 1; allowed: a number from 0 to 0\.9/],
      [['--account-skew', 'x'], /'--account-skew': NaN/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['stock-data', '--out', out, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(existsSync(out), false);
    }
    assert.equal((await runCli(['stock-data'])).code, 2, '--out is required');
  });

  it('job stock replays a file with matching on under the stock scenario, every record completed', async () => {
    const file = join(root, 'replay.txt');
    assert.equal((await runCli(['stock-data', '--out', file, '--duration', '3', '--rate', '150'])).code, 0);
    const out = join(root, 'runs');
    const r = await runCli(['job', 'stock', '--out', out, '--run', 'replay', ...SMALL_JOB, '--set', `spacker.stock.file=${file}`, '--set', 'spacker.stock.matching=true', '--set', 'controller.target.operators=MatchMaker FlatMap']);
    assert.equal(r.code, 0, r.stderr);
    const dir = join(out, 'stock', 'replay');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.expectedRecords, readOrderFile(file).tape.records.length);
    assert.equal(summary.records, summary.expectedRecords);
    assert.equal(summary.migrations.length, 3);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.equal(config.workload.name, 'stock');
    assert.equal(config.workload.params.input.source, 'file');
    assert.equal(config.workload.params.input.malformed, 0);
    assert.deepEqual(readdirSync(join(dir, 'latency')).sort(), Array.from({ length: 16 }, (_, i) => `MatchMaker FlatMap-${i}.csv`).sort());
  });

  it('job stock: malformed lines are reported with their line numbers and skipped; a missing file, bad keys and a wrong operator are errors before anything is written', async () => {
    const file = join(root, 'malformed.txt');
    const good = readFileSync(join(root, 'a.txt'), 'utf8').split('\n').slice(0, 30);
    writeFileSync(file, [...good.slice(0, 3), 'garbage|line|with|too|few|fields|but|more|than|eleven|of|them|here', ...good.slice(3), 'end', ''].join('\n'));
    const out = join(root, 'runs2');
    const ok = await runCli(['job', 'stock', '--out', out, '--run', 'm', ...SMALL_JOB, '--set', `spacker.stock.file=${file}`, '--set', 'spector.reconfig.scenario=none']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /1 malformed/);
    assert.match(ok.stderr, /malformed\.txt:4: 13 fields/);
    const config = JSON.parse(readFileSync(join(out, 'stock', 'm', 'config.json'), 'utf8'));
    assert.equal(config.workload.params.input.malformed, 1);

    const errors: [string[], RegExp][] = [
      [['--set', `spacker.stock.file=${join(root, 'missing.txt')}`], /missing\.txt: cannot open the order file \(no such file\)/],
      [['--set', 'spacker.stock.rate=0'], /'spacker\.stock\.rate' \(from --set\): "0"; allowed: a number from 0\.001 to 100000/],
      [['--set', 'spacker.stock.accounts=0'], /'spacker\.stock\.accounts'/],
      [['--set', 'spacker.stock.matching=yes'], /'spacker\.stock\.matching'.*true or false/],
      [['--set', 'spacker.runtime=20000'], /'spacker\.runtime': 20000; allowed: at most 14400 s/],
      [['--set', 'controller.target.operators=MatchMaker FlatMap'], /MatchMaker FlatMap runs with spacker\.stock\.matching=true/],
    ];
    for (const [args, message] of errors) {
      const dir = join(root, 'never');
      const r = await runCli(['job', 'stock', '--out', dir, ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(existsSync(dir), false, 'nothing written');
    }
  });
});

// Reading order files: slots closed by `end`, skipped and malformed lines counted (malformed ones reported
// with their line numbers), reading stopped at the run's length, a missing file named; and a generated file
// read back equals the generator's records.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoError } from '../../../engine/src/index.ts';
import { GENERATOR_DEFAULTS, StockGenerator, generateTape } from './generator.ts';
import { MAX_REPORTED, describeReport, readOrderFile, writeOrderFile } from './order-file.ts';
import { FIELD, MIN_FIELDS } from './order-record.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'spacker-stock-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function order(no: number, account: string, opts: { code?: string; direction?: string; price?: string } = {}): string {
  const f = new Array<string>(MIN_FIELDS).fill('');
  f[FIELD.orderNo] = String(no);
  f[FIELD.code] = opts.code ?? 'A';
  f[FIELD.date] = '20240102';
  f[FIELD.time] = '09:30:00';
  f[FIELD.price] = opts.price ?? '10.00';
  f[FIELD.executedVolume] = '0';
  f[FIELD.volume] = '100';
  f[FIELD.security] = '600000';
  f[FIELD.account] = account;
  f[FIELD.direction] = opts.direction ?? 'B';
  return f.join('|');
}

function write(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('stock > order-file', () => {
  it('reads records into slots closed by end lines, in file order', () => {
    const path = write('valid.txt', [order(1, 'a'), order(2, 'b'), 'end', 'end', order(3, 'a'), 'end', order(4, 'c')]);
    const { tape, report } = readOrderFile(path);
    assert.deepEqual(tape.records.map((r) => r.orderNo), [1, 2, 3, 4]);
    assert.deepEqual([...tape.slotStarts], [0, 2, 2, 3, 4]);
    assert.equal(report.records, 4);
    assert.equal(report.slots, 4);
    assert.equal(report.lines, 7);
    assert.equal(report.malformedCount, 0);
    assert.equal(report.skipped, 0);
    assert.equal(tape.records[0].account, tape.records[2].account, 'equal accounts share one string');
  });

  it('skips lines as the reference does and reports malformed ones with their line numbers, never throwing', () => {
    const path = write('mixed.txt', [
      order(1, 'a'),
      'header|line',
      order(2, 'b', { code: 'X' }),
      order(3, 'c', { direction: 'Q' }),
      'end',
      '',
      order(4, 'd', { price: 'ten' }),
      order(5, 'e'),
      'end\r',
      order(6, 'f').split('|').slice(0, 15).join('|'),
    ]);
    const { tape, report } = readOrderFile(path);
    assert.deepEqual(tape.records.map((r) => r.orderNo), [1, 5]);
    assert.deepEqual([...tape.slotStarts], [0, 1, 2]);
    assert.equal(report.skipped, 2);
    assert.equal(report.malformedCount, 3);
    assert.deepEqual(report.malformed.map((m) => m.line), [4, 7, 10]);
    assert.match(report.malformed[0].reason, /direction "Q"/);
    assert.match(report.malformed[1].reason, /price "ten"/);
    assert.match(report.malformed[2].reason, /15 fields/);
    const text = describeReport(report);
    assert.match(text, /2 records in 2 slots from 10 lines; 2 skipped as the reference skips them; 3 malformed/);
    assert.ok(text.includes(`${path}:7: price "ten"`), text);
  });

  it('counts every malformed line but reports the first MAX_REPORTED', () => {
    const lines = Array.from({ length: MAX_REPORTED + 5 }, (_, i) => order(i, 'a', { direction: '?' }));
    const { report } = readOrderFile(write('bad.txt', [...lines, order(99, 'a'), 'end']));
    assert.equal(report.malformedCount, MAX_REPORTED + 5);
    assert.equal(report.malformed.length, MAX_REPORTED);
    assert.equal(report.records, 1);
    assert.match(describeReport(report), /and 5 more malformed lines/);
  });

  it('stops after maxSlots slots (the run replays no more)', () => {
    const path = write('long.txt', [order(1, 'a'), 'end', order(2, 'a'), 'end', order(3, 'a'), 'end']);
    const { tape, report } = readOrderFile(path, { maxSlots: 2 });
    assert.deepEqual(tape.records.map((r) => r.orderNo), [1, 2]);
    assert.equal(report.truncated, true);
    assert.equal(readOrderFile(path, { maxSlots: 0 }).tape.records.length, 0);
  });

  it('a missing file or a folder is an IoError naming the path', () => {
    const missing = join(dir, 'nope.txt');
    assert.throws(() => readOrderFile(missing), (e: unknown) => e instanceof IoError && e.path === missing && /no such file/.test(e.message) && e.message.includes(missing));
    assert.throws(() => readOrderFile(dir), (e: unknown) => e instanceof IoError && /is a folder/.test(e.message));
  });

  it('reads lines longer than the read buffer and lines split across buffer boundaries', () => {
    const long = `${order(1, 'a')}|${'x'.repeat(3 << 20)}`;
    const many = Array.from({ length: 30_000 }, (_, i) => order(i + 2, `acct-${i}`));
    const { tape, report } = readOrderFile(write('big.txt', [long, 'end', ...many, 'end']));
    assert.equal(report.malformedCount, 0);
    assert.equal(tape.records.length, 30_001);
    assert.deepEqual(tape.records.slice(-2).map((r) => r.account), ['acct-29998', 'acct-29999']);
  });

  it('a generated file reads back as exactly the generator\'s records and slots; its code X lines are skipped', () => {
    const params = { ...GENERATOR_DEFAULTS, durationS: 6, rate: 300 };
    const path = join(dir, 'gen.txt');
    const w = writeOrderFile(path, new StockGenerator(params));
    assert.equal(w.slots, 120);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.tmp-')), [], 'no temporary file left');
    const { tape, report } = readOrderFile(path);
    const expected = generateTape(params);
    assert.deepEqual(tape, expected);
    assert.equal(report.malformedCount, 0);
    assert.ok(report.skipped > 0, 'the generator writes a few code X lines');
    assert.equal(report.records + report.skipped, w.lines);
    assert.equal(readFileSync(path, 'utf8').split('\n').filter((l) => l === 'end').length, 120);
  });

  it('writing into a folder that does not exist is an IoError naming the path, and leaves nothing', () => {
    const path = join(dir, 'missing-folder', 'out.txt');
    assert.throws(() => writeOrderFile(path, new StockGenerator({ ...GENERATOR_DEFAULTS, durationS: 1 })), (e: unknown) => e instanceof IoError && e.path === path);
    assert.equal(existsSync(path), false);
  });
});

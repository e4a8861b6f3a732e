// The order-record line format: fields read from their positions, lines skipped as the reference skips them,
// malformed lines with a reason, and formatLine/parseLine round trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD, MIN_FIELDS, formatLine, parseLine, type OrderRecord } from './order-record.ts';

/** A line with the given fields set (others empty), `width` fields wide. */
function line(fields: Partial<Record<keyof typeof FIELD, string>>, width = MIN_FIELDS): string {
  const f = new Array<string>(width).fill('');
  const base = { orderNo: '17', code: 'A', date: '20240102', time: '09:30:01', price: '10.25', executedVolume: '0', volume: '300', security: '600000', account: 'A123', direction: 'B', ...fields };
  for (const [k, v] of Object.entries(base)) if (FIELD[k as keyof typeof FIELD] < width) f[FIELD[k as keyof typeof FIELD]] = v;
  return f.join('|');
}

describe('stock > order-record', () => {
  it('reads the fields the reference reads, from their positions', () => {
    const p = parseLine(line({}));
    assert.equal(p.kind, 'record');
    if (p.kind !== 'record') return;
    assert.deepEqual(p.record, {
      orderNo: 17,
      code: 'A',
      timestamp: Date.UTC(2024, 0, 2, 9, 30, 1),
      price: 10.25,
      executedVolume: 0,
      volume: 300,
      security: '600000',
      account: 'A123',
      direction: 'B',
    });
  });

  it('a line with more fields than needed is read; `end` closes a slot', () => {
    assert.equal(parseLine(`${line({ direction: 'S' })}|extra|more`).kind, 'record');
    assert.deepEqual(parseLine('end'), { kind: 'end' });
  });

  it('skips, as the reference does, lines with fewer than 12 fields and codes X or empty', () => {
    assert.equal(parseLine('a|b|c').kind, 'skipped');
    assert.equal(parseLine(line({}, 11)).kind, 'skipped');
    assert.equal(parseLine(line({ code: 'X' })).kind, 'skipped');
    assert.equal(parseLine(line({ code: '' })).kind, 'skipped');
    assert.equal(parseLine(line({ code: 'D' })).kind, 'record');
  });

  it('calls a line malformed, with the reason, when a field read is missing or wrong', () => {
    const cases: [string, RegExp][] = [
      [line({}, 14), /14 fields; a record has at least 23/],
      [line({ orderNo: '12a' }), /order number "12a"/],
      [line({ date: '2024012' }), /date and time/],
      [line({ date: '20240231' }), /date and time "20240231 09:30:01"/],
      [line({ time: '25:00:00' }), /date and time/],
      [line({ price: '-1' }), /price "-1"/],
      [line({ price: 'abc' }), /price "abc"/],
      [line({ executedVolume: '' }), /executed volume ""/],
      [line({ volume: '1e3' }), /order volume "1e3"/],
      [line({ security: ' ' }), /empty security code/],
      [line({ account: '' }), /empty account id/],
      [line({ direction: 'X' }), /direction "X" is neither B nor S/],
    ];
    for (const [text, reason] of cases) {
      const p = parseLine(text);
      assert.equal(p.kind, 'malformed', text);
      if (p.kind === 'malformed') assert.match(p.reason, reason);
    }
  });

  it('formatLine writes what parseLine reads back', () => {
    const r: OrderRecord = { orderNo: 1000042, code: 'D', timestamp: Date.UTC(2024, 0, 2, 13, 5, 59), price: 7.1, executedVolume: 100, volume: 900, security: '600519', account: 'A100000007', direction: 'S' };
    const text = formatLine(r);
    assert.equal(text.split('|').length, MIN_FIELDS);
    assert.equal(text.split('|')[FIELD.price], '7.10');
    assert.deepEqual(parseLine(text), { kind: 'record', record: r });
  });

  it('interns securities and accounts through the given function', () => {
    const seen: string[] = [];
    parseLine(line({}), (s) => {
      seen.push(s);
      return s;
    });
    assert.deepEqual(seen, ['600000', 'A123']);
  });
});

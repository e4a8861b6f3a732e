import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeBegin, encodeEnd, encodeRecord } from './record-format.ts';

describe('io > kafka > record format', () => {
  it('round-trips begin, record and end messages', () => {
    assert.deepEqual(decodeMessage(null, encodeBegin(1764000000123.5, 42)), { kind: 'begin', startEpochMs: 1764000000123.5, records: 42 });
    assert.deepEqual(decodeMessage(Buffer.from('A7'), encodeRecord(9, 0.0251, true)), { kind: 'record', seq: 9, offsetMs: 0.025, key: 'A7', value: true });
    assert.deepEqual(decodeMessage(Buffer.from('k'), encodeRecord(0, 3, { x: [1, 'a'] })), { kind: 'record', seq: 0, offsetMs: 3, key: 'k', value: { x: [1, 'a'] } });
    assert.deepEqual(decodeMessage(null, encodeEnd(42)), { kind: 'end', records: 42 });
  });

  it('names what is wrong with a malformed message', () => {
    const bad = (key: string | null, value: string | null): string => {
      const r = decodeMessage(key === null ? null : Buffer.from(key), value === null ? null : Buffer.from(value));
      assert.equal(typeof r, 'string', `${value} is malformed`);
      return r as string;
    };
    assert.match(bad('k', null), /no value/);
    assert.match(bad('k', '{"s":1,'), /not JSON/);
    assert.match(bad('k', '[1,2]'), /not a JSON object/);
    assert.match(bad('k', '{"s":1.5,"t":0,"v":1}'), /"s" \(sequence\) is not a whole number/);
    assert.match(bad('k', '{"s":1,"t":-2,"v":1}'), /"t" \(scheduled ms\) is not a number >= 0/);
    assert.match(bad('k', '{"s":1,"t":2}'), /without "v"/);
    assert.match(bad(null, '{"s":1,"t":2,"v":true}'), /without a message key/);
    assert.match(bad('', '{"s":1,"t":2,"v":true}'), /without a message key/);
    assert.match(bad(null, '{"begin":"now","records":1}'), /begin marker without/);
    assert.match(bad(null, '{"end":-1}'), /end marker without/);
    assert.match(bad(null, '{"hello":1}'), /neither a record/);
  });
});

// Tests of the state codec: every kind of value state may hold round-trips, re-encoding a decoded value
// gives the same bytes (also where node:v8's serializer does not: integral heap numbers, packed arrays),
// decoded values share no memory with the snapshot, and bad values and bad bytes are clear errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeState, encodeState } from './state-codec.ts';
import { ProtocolError } from '../errors.ts';

function assertCanonical(v: unknown): void {
  const bytes = encodeState(v);
  const back = decodeState(bytes);
  assert.deepEqual(back, v);
  assert.equal(Buffer.compare(encodeState(back), bytes), 0, 're-encoding gives the same bytes');
}

describe('state > state-codec', () => {
  it('round-trips primitives, strings of every kind, bigints and dates', () => {
    for (const v of [undefined, null, true, false, 0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, 0.1, NaN, Infinity, -Infinity, Number.MIN_VALUE]) assertCanonical(v);
    for (const s of ['', 'A123', 'héllo', '日本', '😀', '\ud800', 'a\udc00b', '\u0000']) assertCanonical(s);
    for (const b of [0n, -1n, 2n ** 100n]) assertCanonical(b);
    assertCanonical(new Date(1_700_000_000_123));
  });

  it('round-trips Buffers, typed arrays, arrays, maps, sets and plain objects', () => {
    assertCanonical(Buffer.from([1, 2, 3]));
    assertCanonical(new Uint8Array([4, 5]));
    assertCanonical(new Float64Array([1.5, -0, NaN]));
    assertCanonical(new BigInt64Array([-(2n ** 63n)]));
    assertCanonical(new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2));
    assertCanonical([1, 'a', [2, [3]], new Map([['k', [Buffer.alloc(3)]]])]);
    assertCanonical(new Set([1, 'x', null]));
    assertCanonical({ a: 1, 2: 'two', nested: { list: [1, 2] } });
    const withProto = JSON.parse('{"__proto__": 1, "x": 2}') as object;
    const back = decodeState(encodeState(withProto)) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__', 'x']);
  });

  it('decodes Buffers as Buffers and keeps the distinction from Uint8Array', () => {
    assert.ok(Buffer.isBuffer(decodeState(encodeState(Buffer.from([1])))));
    const u = decodeState(encodeState(new Uint8Array([1])));
    assert.ok(u instanceof Uint8Array && !Buffer.isBuffer(u));
  });

  it('gives the same bytes whatever V8 holds: integral heap numbers and packed arrays', () => {
    const heap = [Number('2.0'), new Float64Array([7])[0], 0.1 * 10];
    assert.equal(Buffer.compare(encodeState(heap), encodeState([2, 7, 1])), 0);
    const packedDouble = [1.5, 2];
    const holey: number[] = [];
    holey[1] = 2;
    holey[0] = 1.5;
    assert.equal(Buffer.compare(encodeState(packedDouble), encodeState(holey)), 0);
  });

  it('re-encodes decoded random values to the same bytes', () => {
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withTypedArray: true, withBigInt: true, withDate: true, withNullPrototype: false, withBoxedValues: false, withSparseArray: true }), (v) => {
        const bytes = encodeState(v);
        assert.equal(Buffer.compare(encodeState(decodeState(bytes)), bytes), 0);
      }),
      { numRuns: 300 },
    );
  });

  it('decoded values share no memory with the snapshot', () => {
    const bytes = encodeState(new Map([['k', Buffer.from([1, 2, 3])]]));
    const back = decodeState(bytes) as Map<string, Buffer>;
    bytes.fill(0);
    assert.deepEqual(back.get('k'), Buffer.from([1, 2, 3]));
  });

  it('writes a value reachable twice twice, and rejects cycles, functions and symbols with a TypeError', () => {
    const shared = [1];
    const back = decodeState(encodeState([shared, shared])) as number[][];
    assert.deepEqual(back, [[1], [1]]);
    assert.notEqual(back[0], back[1]);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    assert.throws(() => encodeState(cyclic), /cycle/);
    assert.throws(() => encodeState(new Map([['f', () => 1]])), (e: unknown) => e instanceof TypeError && /function/.test(e.message));
    assert.throws(() => encodeState([Symbol('s')]), (e: unknown) => e instanceof TypeError && /symbol/.test(e.message));
    assert.throws(() => encodeState(new DataView(new ArrayBuffer(1))), (e: unknown) => e instanceof TypeError && /DataView/.test(e.message));
  });

  it('bad bytes are a ProtocolError naming what is wrong', () => {
    const good = encodeState(new Map([['k', 'value']]));
    assert.throws(() => decodeState(good.subarray(0, good.length - 2)), (e: unknown) => e instanceof ProtocolError && /truncated/.test(e.message));
    assert.throws(() => decodeState(Buffer.from([1, 99])), (e: unknown) => e instanceof ProtocolError && /unknown tag 99 at byte 1/.test(e.message));
    assert.throws(() => decodeState(Buffer.from([2, 0])), (e: unknown) => e instanceof ProtocolError && /format version 2/.test(e.message));
    assert.throws(() => decodeState(Buffer.concat([good, Buffer.from([0])])), (e: unknown) => e instanceof ProtocolError && /1 bytes after/.test(e.message));
  });

  it('a size hint changes nothing but the allocation', () => {
    const v = new Map([['k', Buffer.alloc(10_000, 7)]]);
    assert.equal(Buffer.compare(encodeState(v), encodeState(v, 10_000)), 0);
    assert.equal(Buffer.compare(encodeState(v, 1), encodeState(v, 1e6)), 0);
  });
});

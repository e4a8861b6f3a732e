// Batching and merging (reference 1.4): chunk sizes, sync_keys 0, the 8-source example, chunk counts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidConfigError, InvalidParameterError } from '../errors.ts';
import { batch, chunkCount, merge } from './batching.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('planner > batching', () => {
  it('cuts every syncKeys key groups, keeping the order; the last chunk may be shorter', () => {
    assert.deepEqual(batch([9, 3, 5, 1, 7], 2), [[9, 3], [5, 1], [7]]);
    assert.deepEqual(batch([9, 3, 5, 1], 2), [[9, 3], [5, 1]]);
    assert.deepEqual(batch([9, 3], 8), [[9, 3]]);
    assert.deepEqual(batch([4], 1), [[4]]);
  });

  it('syncKeys 0 is all at once: one chunk with everything', () => {
    assert.deepEqual(batch(range(64), 0), [range(64)]);
  });

  it('an empty list gives no chunks', () => {
    assert.deepEqual(batch([], 0), []);
    assert.deepEqual(batch([], 3), []);
  });

  it('negative or fractional syncKeys throw InvalidConfigError naming the key', () => {
    assert.throws(
      () => batch([1], -1),
      (e: unknown) =>
        e instanceof InvalidParameterError &&
        e.field === 'syncKeys' &&
        e.message === `invalid value for 'syncKeys': -1; allowed: an integer >= 0 (0 = all at once)`,
    );
    assert.throws(() => batch([1], 1.5), InvalidConfigError);
    assert.throws(() => chunkCount([1], -2), InvalidConfigError);
  });

  it('merge: chunk i is the union of chunk i of every source, in source order', () => {
    const perSource = [
      [[0, 1], [2, 3], [4]],
      [[10, 11]],
      [],
      [[30, 31], [32, 33]],
    ];
    assert.deepEqual(merge(perSource), [[0, 1, 10, 11, 30, 31], [2, 3, 32, 33], [4]]);
    assert.deepEqual(merge([]), []);
  });

  it('reference example: 8 sources of 64 key groups, sync_keys 1 → 64 chunks of 8 moves, one per source', () => {
    const perSource = range(8).map((s) => batch(range(64, s * 128), 1));
    const chunks = merge(perSource);
    assert.equal(chunks.length, 64);
    chunks.forEach((chunk, i) => assert.deepEqual(chunk, range(8).map((s) => s * 128 + i)));
    assert.equal(chunkCount(range(8).map(() => 64), 1), 64);
  });

  it('number of chunks = max over sources of ceil(n / syncKeys) (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(40), { maxLength: 10 }), fc.nat(12), (sizes, syncKeys) => {
        let next = 0;
        const lists = sizes.map((n) => range(n, (next += n) - n));
        const chunks = merge(lists.map((l) => batch(l, syncKeys)));
        const expected = Math.max(0, ...sizes.map((n) => (n === 0 ? 0 : syncKeys === 0 ? 1 : Math.ceil(n / syncKeys))));
        assert.equal(chunks.length, expected);
        assert.equal(chunkCount(sizes, syncKeys), expected);
        assert.deepEqual(chunks.flat().sort((a, b) => a - b), range(next));
      }),
    );
  });

  it('does not modify its inputs', () => {
    const ordered = Object.freeze([5, 4, 3]);
    const chunks = batch(ordered, 0);
    assert.notEqual(chunks[0], ordered);
    const perSource = Object.freeze([Object.freeze([Object.freeze([1]), Object.freeze([2])]), Object.freeze([Object.freeze([3])])]);
    assert.deepEqual(merge(perSource), [[1, 3], [2]]);
  });
});

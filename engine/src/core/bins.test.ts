import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BinLayout } from './bins.ts';
import { keyGroupOf } from './key-group.ts';

describe('core > bins', () => {
  it("a key's bin lies in the key's key group, and a key group's bins are exactly those", () => {
    const layout = new BinLayout(12, 128);
    assert.equal(layout.bins, 4096);
    assert.equal(layout.perKeyGroup, 32);
    for (const key of [0, 1, -7, 123_456_789, 'auction-9', '', 'x'.repeat(40)]) {
      const bin = layout.binOf(key);
      assert.ok(bin >= 0 && bin < 4096);
      assert.equal(layout.keyGroupOfBin(bin), keyGroupOf(key, 128));
      assert.ok(layout.binsOf(keyGroupOf(key, 128)).includes(bin));
    }
    const all = Array.from({ length: 128 }, (_, kg) => layout.binsOf(kg)).flat().sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 4096 }, (_, b) => b));
  });

  it('as many bins as key groups: a bin is its key group', () => {
    const layout = new BinLayout(7, 128);
    for (let k = 0; k < 500; k++) assert.equal(layout.binOf(k), keyGroupOf(k, 128));
  });

  it('a bin count that does not divide into the key groups is an error naming both', () => {
    assert.throws(() => new BinLayout(12, 100), /4096 bins do not divide into 100 key groups/);
    assert.throws(() => new BinLayout(6, 128), /64 bins do not divide into 128 key groups/);
    assert.throws(() => new BinLayout(21, 128), /from 0 to 20/);
    assert.equal(BinLayout.invalid(12, 128), undefined);
  });
});

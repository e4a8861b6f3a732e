// The byte pool: buffers recycled by length, large values carved from slabs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BytePool, SLAB_MIN_BYTES } from './byte-pool.ts';
import { CopyEngine } from './copy-engine.ts';

const MiB = 2 ** 20;

const engine = new CopyEngine(16);

function pool(useSlabs = true): BytePool {
  return new BytePool(undefined, useSlabs, engine);
}

describe('byte pool', () => {
  it('hands back buffers of the same length before carving new ones', () => {
    const p = pool();
    const a = p.take(2000);
    p.give(a);
    assert.equal(p.take(2000), a);
    assert.equal(p.reused, 1);
    assert.ok(a.buffer instanceof SharedArrayBuffer, 'a value of SLAB_MIN_BYTES or more lives in a slab');
    assert.ok(!(p.take(SLAB_MIN_BYTES - 1).buffer instanceof SharedArrayBuffer));
    p.close();
  });

  it('carves values from 64 MiB slabs, a very large one from a slab of its own, and none without slabs', () => {
    const p = pool();
    const a = p.take(10_000);
    const b = p.take(10_000);
    assert.equal(a.buffer, b.buffer);
    assert.equal(p.slabBytes, 64 * MiB);
    const big = p.take(20 * MiB);
    assert.notEqual(big.buffer, a.buffer);
    assert.equal(p.slabBytes, 84 * MiB);
    p.close();
    assert.equal(p.slabBytes, 0);
    const plain = pool(false);
    assert.ok(!(plain.take(10_000).buffer instanceof SharedArrayBuffer));
    assert.equal(plain.slabBytes, 0);
  });
});

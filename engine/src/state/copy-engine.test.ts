// The copy thread: values in slabs are copied off the main thread (the ticket completes later), small values
// and values outside slabs are copied at once (ticket 0), a full ring refuses a job without copying anything,
// the thread forgets the slabs of a closed pool, and it sleeps a moment after every YIELD_BYTES it copied (a
// value larger than that is copied in pieces).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BytePool, SLAB_MIN_BYTES } from './byte-pool.ts';
import { CopyEngine, YIELD_BYTES } from './copy-engine.ts';

async function until(engine: CopyEngine, ticket: number): Promise<void> {
  const t0 = Date.now();
  while (!engine.done(ticket)) {
    if (Date.now() - t0 > 10_000) throw new Error(`ticket ${ticket} not done after 10 s`);
    await sleep(1);
  }
}

function filled(pool: BytePool, size: number, seed: number): Buffer {
  const b = pool.take(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('copy engine', () => {
  it('copies slab values on its thread, byte for byte, and small ones at once', async () => {
    const engine = new CopyEngine(1 << 10);
    const pool = new BytePool(undefined, true, engine);
    const sizes = [SLAB_MIN_BYTES, 4096, 32768, 32768, 5000, 64 * 1024 + 3];
    const src = sizes.map((n, i) => filled(pool, n, i));
    const dst = sizes.map((n) => pool.take(n));
    assert.ok(src.every((b) => b.buffer instanceof SharedArrayBuffer));
    const ticket = engine.submit(src, dst);
    assert.ok(ticket !== undefined && ticket > 0);
    await until(engine, ticket);
    for (let i = 0; i < sizes.length; i++) assert.ok(src[i].equals(dst[i]), `value ${i}`);
    assert.equal(engine.stats.threadBytes, sizes.reduce((a, b) => a + b, 0));
    const small = [filled(pool, 16, 7)];
    const smallCopy = [pool.take(16)];
    assert.equal(engine.submit(small, smallCopy), 0, 'nothing for the thread: done at once');
    assert.ok(engine.done(0) && small[0].equals(smallCopy[0]));
    pool.close();
  });

  it('a job larger than the room left in the ring is refused and copies nothing', async () => {
    const engine = new CopyEngine(8);
    const pool = new BytePool(undefined, true, engine);
    const src = Array.from({ length: 8 }, (_, i) => filled(pool, 2048, i));
    const dst = src.map(() => pool.take(2048).fill(0));
    assert.equal(engine.submit(src, dst), undefined, '8 copies + a marker need 9 tuples');
    assert.ok(dst.every((b) => b.every((x) => x === 0)));
    const ticket = engine.submit(src.slice(0, 7), dst.slice(0, 7));
    assert.ok(ticket !== undefined);
    await until(engine, ticket);
    for (let i = 0; i < 7; i++) assert.ok(src[i].equals(dst[i]));
    // The ring wraps around many times.
    for (let round = 0; round < 50; round++) {
      const t = engine.submit(src.slice(0, 3), dst.slice(0, 3));
      assert.ok(t !== undefined);
      await until(engine, t);
    }
    pool.close();
  });

  it('runs at the lowest priority: nice 19 and the idle scheduling policy (Linux, with chrt)', async (t) => {
    if (process.platform !== 'linux') return t.skip('thread priorities are read from /proc');
    try {
      execFileSync('chrt', ['--idle', '0', 'true'], { stdio: 'ignore' });
    } catch {
      return t.skip('no chrt here, or the idle policy is not allowed: the thread keeps nice 19 only');
    }
    // Scheduling policy and nice value of every thread of this process (stat fields 41 and 19; 5 = SCHED_IDLE).
    const threads = (): { policy: number; nice: number }[] =>
      readdirSync('/proc/self/task').flatMap((tid) => {
        try {
          const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
          return [{ policy: Number(f[38]), nice: Number(f[16]) }];
        } catch {
          return [];
        }
      });
    const before = threads().filter((x) => x.policy === 5).length;
    const engine = new CopyEngine(16);
    const pool = new BytePool(undefined, true, engine); // the thread starts with the first slab
    pool.take(SLAB_MIN_BYTES);
    const t0 = Date.now();
    while (threads().filter((x) => x.policy === 5 && x.nice === 19).length <= before) {
      assert.ok(Date.now() - t0 < 10_000, 'no thread of the idle policy at nice 19 after 10 s');
      await sleep(5);
    }
    pool.close();
  });

  it('sleeps a moment after every YIELD_BYTES copied, within a large value too', async () => {
    const engine = new CopyEngine(1 << 10);
    const pool = new BytePool(undefined, true, engine);
    // 8 x YIELD_BYTES in all: one value of 5.5 x YIELD_BYTES (copied in pieces) and five smaller ones.
    const sizes = [Math.floor(5.5 * YIELD_BYTES), YIELD_BYTES / 2, ...Array.from({ length: 4 }, () => YIELD_BYTES / 2)];
    assert.equal(sizes.reduce((a, b) => a + b, 0), 8 * YIELD_BYTES);
    const src = sizes.map((n, i) => filled(pool, n, i + 1));
    const dst = sizes.map((n) => pool.take(n).fill(0));
    assert.equal(engine.pauses, 0);
    const ticket = engine.submit(src, dst);
    assert.ok(ticket !== undefined && ticket > 0);
    await until(engine, ticket);
    for (let i = 0; i < sizes.length; i++) assert.ok(src[i].equals(dst[i]), `value ${i}`);
    assert.equal(engine.pauses, 8);
    pool.close();
  });

  it('rejects copies of different lengths', () => {
    const engine = new CopyEngine(16);
    assert.throws(() => engine.submit([Buffer.alloc(4)], [Buffer.alloc(5)]), /copy of 4 bytes into 5/);
  });
});

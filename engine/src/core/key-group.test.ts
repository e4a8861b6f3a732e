// Checks key-group.ts against vectors that Java itself computed (engine/test/fixtures/keygroup-vectors.json),
// checks that Flink's initial assignment and key-group ranges partition 0..mp-1 contiguously, and, when
// `java` is installed, regenerates the fixture with scripts/keygroup-vectors/KeyGroupVectors.java.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  javaHashCode,
  javaLongHashCode,
  javaStringHashCode,
  keyGroupOf,
  keyGroupRangeOf,
  murmurHash,
  operatorIndexOf,
} from './key-group.ts';

interface KeyVector<K> {
  key: K;
  hashCode: number;
  murmur: number;
  keyGroup: Record<string, number>;
}
interface Fixture {
  maxParallelisms: number[];
  stringKeys: KeyVector<string>[];
  longKeys: KeyVector<number>[];
  intCodes: { code: number; murmur: number }[];
  assignments: { maxParallelism: number; parallelism: number; ranges: [number, number][]; operatorIndex: number[] }[];
}

const fixturePath = fileURLToPath(new URL('../../test/fixtures/keygroup-vectors.json', import.meta.url));
const generatorPath = fileURLToPath(new URL('../../../scripts/keygroup-vectors/KeyGroupVectors.java', import.meta.url));
const fixtureText = readFileSync(fixturePath, 'utf8');
const fixture = JSON.parse(fixtureText) as Fixture;

/** Asserts that the ranges of all subtasks tile 0..mp-1 in order and that every key group's owner holds it. */
function assertPartition(mp: number, p: number): void {
  let next = 0;
  for (let i = 0; i < p; i++) {
    const { start, end } = keyGroupRangeOf(i, mp, p);
    assert.equal(start, next, `mp=${mp} p=${p}: subtask ${i} starts at ${start}, expected ${next}`);
    assert.ok(end >= start, `mp=${mp} p=${p}: subtask ${i} has an empty range ${start}..${end}`);
    for (let kg = start; kg <= end; kg++) {
      if (operatorIndexOf(kg, mp, p) !== i) {
        assert.fail(`mp=${mp} p=${p}: key group ${kg} is in subtask ${i}'s range but assigned to ${operatorIndexOf(kg, mp, p)}`);
      }
    }
    next = end + 1;
  }
  assert.equal(next, mp, `mp=${mp} p=${p}: ranges end at ${next - 1}, expected ${mp - 1}`);
}

describe('core > key-group', () => {
  it('fixture covers the expected cases', () => {
    assert.deepEqual(fixture.maxParallelisms, [128, 1024, 32768]);
    assert.ok(fixture.stringKeys.length >= 100 && fixture.longKeys.length >= 8);
    assert.ok(fixture.stringKeys.some((v) => v.murmur === 0), 'a key that hits the Integer.MIN_VALUE -> 0 branch');
  });

  it('string keys: Java hashCode, murmur and key group match Java', () => {
    for (const v of fixture.stringKeys) {
      const shown = JSON.stringify(v.key.length > 40 ? `${v.key.slice(0, 40)}...` : v.key);
      assert.equal(javaStringHashCode(v.key), v.hashCode, `hashCode of ${shown}`);
      assert.equal(javaHashCode(v.key), v.hashCode, `javaHashCode of ${shown}`);
      assert.equal(murmurHash(v.hashCode), v.murmur, `murmur of ${shown}`);
      for (const mp of fixture.maxParallelisms) {
        assert.equal(keyGroupOf(v.key, mp), v.keyGroup[mp], `key group of ${shown} at mp=${mp}`);
      }
    }
  });

  it('long keys: Long.hashCode, murmur and key group match Java', () => {
    for (const v of fixture.longKeys) {
      assert.equal(javaLongHashCode(v.key), v.hashCode, `hashCode of ${v.key}`);
      assert.equal(javaHashCode(v.key), v.hashCode, `javaHashCode of ${v.key}`);
      assert.equal(murmurHash(v.hashCode), v.murmur, `murmur of ${v.key}`);
      for (const mp of fixture.maxParallelisms) {
        assert.equal(keyGroupOf(v.key, mp), v.keyGroup[mp], `key group of ${v.key} at mp=${mp}`);
      }
    }
  });

  it('murmurHash of selected int codes matches Java, including the MIN_VALUE -> 0 case', () => {
    for (const { code, murmur } of fixture.intCodes) assert.equal(murmurHash(code), murmur, `murmur of ${code}`);
  });

  it('operator index and key-group ranges match Java', () => {
    for (const a of fixture.assignments) {
      const { maxParallelism: mp, parallelism: p } = a;
      assert.equal(a.operatorIndex.length, mp);
      for (let kg = 0; kg < mp; kg++) {
        if (operatorIndexOf(kg, mp, p) !== a.operatorIndex[kg]) {
          assert.fail(`mp=${mp} p=${p} kg=${kg}: ${operatorIndexOf(kg, mp, p)} != Java's ${a.operatorIndex[kg]}`);
        }
      }
      const ranges = Array.from({ length: p }, (_, i) => keyGroupRangeOf(i, mp, p)).map((r) => [r.start, r.end]);
      assert.deepEqual(ranges, a.ranges, `ranges for mp=${mp} p=${p}`);
    }
  });

  it('ranges partition 0..mp-1 and contain exactly the key groups assigned to them (all p for mp <= 64)', () => {
    for (let mp = 1; mp <= 64; mp++) for (let p = 1; p <= mp; p++) assertPartition(mp, p);
  });

  it('ranges partition 0..mp-1 for typical and extreme (mp, p)', () => {
    for (const mp of [128, 1000, 1024, 4096, 32768]) {
      for (const p of [1, 2, 3, 6, 7, 8, 16, 100, 127, mp - 1, mp]) if (p <= mp) assertPartition(mp, p);
    }
  });

  it('ranges partition 0..mp-1 for random (mp, p)', () => {
    const pair = fc
      .integer({ min: 1, max: 32768 })
      .chain((mp) => fc.tuple(fc.constant(mp), fc.integer({ min: 1, max: mp })));
    fc.assert(
      fc.property(pair, ([mp, p]) => assertPartition(mp, p)),
      { numRuns: 200 },
    );
  });

  it('the Java generator reproduces the committed fixture', (t) => {
    const run = spawnSync('java', [generatorPath], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
    const error = run.error as NodeJS.ErrnoException | undefined;
    if (error?.code === 'ENOENT') {
      t.skip('java is not on PATH; cannot regenerate the fixture');
      return;
    }
    assert.ifError(error);
    assert.equal(run.status, 0, `java exited with ${run.status}: ${run.stderr}`);
    assert.equal(run.stdout.replace(/\r\n/g, '\n'), fixtureText, 'fixture is stale: regenerate it with the Java program');
  });
});

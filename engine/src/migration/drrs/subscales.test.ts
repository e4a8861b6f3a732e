import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pickSubscale, planSubscales, subscaleSize, type KeyGroupMove, type Subscale } from './subscales.ts';

const moves = (from: number, to: number, kgs: readonly number[]): KeyGroupMove[] => kgs.map((keyGroup) => ({ keyGroup, from, to }));
const range = (a: number, n: number): number[] => Array.from({ length: n }, (_, i) => a + i);

describe('migration > drrs > subscales', () => {
  it('size: max(minimum, floor(average key groups per (source, target) pair / 2))', () => {
    assert.equal(subscaleSize([10, 20], 7), 7);
    assert.equal(subscaleSize([40, 20], 7), 15);
    assert.equal(subscaleSize([], 7), 7);
  });

  it('per pair, in the order pairs first appear, key groups ascending, sizes differing by at most one (smaller first)', () => {
    // Pair 0->1: 17 key groups, pair 1->0: 3; average 10 -> size max(4, 5) = 5: 17 -> 3 subscales of 5, 6, 6.
    const s = planSubscales([...moves(1, 0, [30, 31, 32]), ...moves(0, 1, range(0, 17))], 4);
    assert.deepEqual(
      s.map((x) => [x.from, x.to, x.keyGroups.length]),
      [
        [0, 1, 5],
        [0, 1, 6],
        [0, 1, 6],
        [1, 0, 3],
      ],
    );
    assert.deepEqual(s[0].keyGroups, [0, 1, 2, 3, 4]);
    assert.deepEqual(s.map((x) => x.seq), [0, 1, 2, 3]);
  });

  it('the artifact\'s example shape: 7 per subscale by default, no subscale of one key group', () => {
    const s = planSubscales(moves(0, 2, range(0, 15)), 7);
    assert.deepEqual(s.map((x) => x.keyGroups.length), [7, 8]);
    assert.deepEqual(planSubscales(moves(0, 2, range(0, 6)), 7).map((x) => x.keyGroups.length), [6]);
  });

  it('a minimum that is not a whole number >= 1 is refused', () => {
    assert.throws(() => planSubscales([], 0), /subscale minimum size 0/);
  });

  it('property: every move in exactly one subscale of its pair; sizes of a pair differ by at most one; none smaller than the size unless its pair is', () => {
    const arb = fc.array(fc.record({ from: fc.nat(4), to: fc.nat(4) }), { maxLength: 64 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 10 }), (owners, min) => {
        const ms = owners.map((o, keyGroup) => ({ keyGroup, ...o }));
        const s = planSubscales(ms, min);
        const moving = ms.filter((m) => m.from !== m.to);
        assert.deepEqual(s.flatMap((x) => x.keyGroups).sort((a, b) => a - b), moving.map((m) => m.keyGroup));
        for (const x of s) for (const kg of x.keyGroups) assert.deepEqual([ms[kg].from, ms[kg].to], [x.from, x.to]);
        const pairs = new Map<string, number[]>();
        for (const x of s) pairs.set(`${x.from}-${x.to}`, [...(pairs.get(`${x.from}-${x.to}`) ?? []), x.keyGroups.length]);
        const counts = [...pairs.values()].map((l) => l.reduce((a, b) => a + b, 0));
        const size = subscaleSize(counts, min);
        for (const lens of pairs.values()) {
          assert.ok(Math.max(...lens) - Math.min(...lens) <= 1);
          const total = lens.reduce((a, b) => a + b, 0);
          if (total >= size) assert.ok(Math.min(...lens) >= size);
        }
      }),
    );
  });
});

describe('migration > drrs > which subscale next', () => {
  const sub = (seq: number, from: number, to: number, n = 1): Subscale => ({ seq, from, to, keyGroups: range(seq * 10, n) });

  it('the least loaded free subtask first, its pair with most pending subscales', () => {
    const pending = [sub(0, 0, 1), sub(1, 2, 1), sub(2, 2, 1), sub(3, 0, 3)];
    // Subtask 3 holds fewest key groups: its only pair is 0->3.
    assert.equal(pickSubscale(pending, [0, 0, 0, 0], [5, 5, 5, 1], 2), 3);
    // Subtask 1 holds fewest: pairs 0->1 (1 pending) and 2->1 (2 pending): 2->1.
    assert.equal(pickSubscale(pending, [0, 0, 0, 0], [5, 1, 5, 5], 2), 1);
  });

  it('a subtask in max_concurrent subscales takes no other; at most one free subtask: none', () => {
    const pending = [sub(0, 0, 1), sub(1, 0, 2)];
    assert.equal(pickSubscale(pending, [2, 0, 0], [0, 0, 0], 2), -1);
    assert.equal(pickSubscale(pending, [1, 0, 0], [0, 0, 0], 2), 0);
    assert.equal(pickSubscale(pending, [0, 1, 1], [0, 0, 0], 1), -1);
    assert.equal(pickSubscale([], [0, 0], [0, 0], 2), -1);
  });

  it('property: triggering while allowed never puts a subtask in more than max_concurrent subscales, and triggers all once none runs', () => {
    const arb = fc.array(fc.record({ from: fc.nat(5), to: fc.nat(5) }).filter((p) => p.from !== p.to), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 3 }), (pairs, max) => {
        const pending = pairs.map((p, i) => sub(i, p.from, p.to));
        const ongoing = new Int32Array(6);
        const held = new Int32Array(6);
        let started = 0;
        while (pending.length > 0) {
          const running: Subscale[] = [];
          for (let i = pickSubscale(pending, ongoing, held, max); i >= 0; i = pickSubscale(pending, ongoing, held, max)) {
            const [s] = pending.splice(i, 1);
            ongoing[s.from]++;
            ongoing[s.to]++;
            running.push(s);
            for (const n of ongoing) assert.ok(n <= max);
          }
          assert.ok(running.length > 0, 'something starts once nothing runs');
          started += running.length;
          for (const s of running) {
            ongoing[s.from]--;
            ongoing[s.to]--;
          }
        }
        assert.equal(started, pairs.length);
      }),
    );
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BinLayout } from '../../core/bins.ts';
import { Assignment } from '../../core/assignment.ts';

const fromTable = (mp: number, p: number, t: readonly number[]): Assignment =>
  Assignment.initial(mp, p).withMoves(t.map((to, keyGroup) => ({ keyGroup, to })));
import { batchedSteps, binMoves, fluidSteps, maximumMatching } from './steps.ts';

describe('migration > megaphone > steps', () => {
  it('bin moves: every bin of every key group whose owner changes, and no other', () => {
    const layout = new BinLayout(5, 8);
    const current = fromTable(8, 2, [0, 0, 0, 0, 1, 1, 1, 1]);
    const target = fromTable(8, 2, [1, 0, 0, 0, 1, 1, 1, 0]);
    const moves = binMoves(current, target, layout);
    assert.deepEqual([...new Set(moves.map((m) => m.keyGroup))].sort(), [0, 7]);
    assert.equal(moves.length, 2 * layout.perKeyGroup);
    assert.equal(fluidSteps(moves).length, moves.length);
  });

  it('maximum matching: as large as a brute force finds, each vertex at most once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: 20 }), (pairs) => {
        const edges = new Map<number, number[]>();
        for (const [l, r] of pairs) if (!(edges.get(l) ?? []).includes(r)) edges.set(l, [...(edges.get(l) ?? []), r]);
        const m = maximumMatching(edges);
        assert.equal(new Set(m.map((x) => x[0])).size, m.length);
        assert.equal(new Set(m.map((x) => x[1])).size, m.length);
        for (const [l, r] of m) assert.ok(edges.get(l)?.includes(r));
        const lefts = [...edges.keys()];
        const best = (i: number, used: Set<number>): number => {
          if (i === lefts.length) return 0;
          let b = best(i + 1, used);
          for (const r of edges.get(lefts[i]) ?? []) if (!used.has(r)) b = Math.max(b, 1 + best(i + 1, new Set([...used, r])));
          return b;
        };
        assert.equal(m.length, best(0, new Set()));
      }),
    );
  });

  it('batched: every bin once; each step sends and receives at most one bin per subtask; a shuffle of p subtasks takes about bins / p steps', () => {
    const layout = new BinLayout(8, 16);
    const current = fromTable(16, 4, Array.from({ length: 16 }, (_, kg) => kg % 4));
    const target = fromTable(16, 4, Array.from({ length: 16 }, (_, kg) => (kg + 1) % 4));
    const moves = binMoves(current, target, layout);
    const steps = batchedSteps(moves);
    assert.deepEqual(steps.flat().map((m) => m.bin).sort((a, b) => a - b), moves.map((m) => m.bin));
    for (const s of steps) {
      assert.equal(new Set(s.map((m) => m.from)).size, s.length);
      assert.equal(new Set(s.map((m) => m.to)).size, s.length);
    }
    assert.equal(steps.length, moves.length / 4);
  });
});

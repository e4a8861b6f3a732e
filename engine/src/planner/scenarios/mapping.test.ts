// List-shaped mappings: their check, the fluid per-chunk update of an Assignment's lists, Flink rescale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidConfigError, InvalidPlanError } from '../../errors.ts';
import { Assignment } from '../../core/assignment.ts';
import { checkMapping, rescale } from './mapping.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('planner > scenarios > mapping', () => {
  it('checkMapping returns the owner table and rejects missing, repeated and out-of-range key groups', () => {
    assert.deepEqual(checkMapping([[3, 0], [], [1, 2]], 4, 3, 'mapping'), [0, 2, 2, 0]);
    assert.throws(() => checkMapping([[0, 1], [3]], 4, 2, 'mapping'), (e: unknown) => e instanceof InvalidPlanError && e.message === 'mapping: 1 key group(s) not assigned to any subtask: 2');
    assert.throws(() => checkMapping([[0, 1], [2, 1, 3]], 4, 2, 'mapping'), /mapping: key group 1 is assigned to subtasks 0 and 1/);
    assert.throws(() => checkMapping([[0, 1, 4], [2, 3]], 4, 2, 'mapping'), /mapping: subtask 0: key group 4 is not in 0\.\.3/);
  });

  it("the fluid update (Assignment.withMoves) removes each key group from its list and appends it to the destination's", () => {
    const mapping = Assignment.fromMap([[0, 1, 2, 3], [4, 5, 6, 7]], 8, 2);
    const out = mapping.withMoves([
      { keyGroup: 2, to: 1 },
      { keyGroup: 4, to: 0 },
      { keyGroup: 0, to: 1 },
    ]);
    assert.deepEqual(out.lists(), [[1, 3, 4], [5, 6, 7, 2, 0]]);
    assert.deepEqual(out.toMap(), [[1, 3, 4], [0, 2, 5, 6, 7]]);
    assert.deepEqual(mapping.lists(), [[0, 1, 2, 3], [4, 5, 6, 7]]);
    assert.deepEqual(mapping.withMoves([]).lists(), mapping.lists());
  });

  it('rescale 16 → 4 → 8 → 6 on mp 64 keeps Flink’s contiguous ranges and idles the other subtasks', () => {
    const sizes = (p: number) => rescale(64, 16, p).lists().map((l) => l.length);
    assert.deepEqual(rescale(64, 16, 16).lists(), range(16).map((i) => range(4, 4 * i)));
    assert.deepEqual(rescale(64, 16, 4).lists().slice(0, 4), range(4).map((i) => range(16, 16 * i)));
    assert.deepEqual(sizes(4), [16, 16, 16, 16, ...new Array<number>(12).fill(0)]);
    assert.deepEqual(sizes(8), [...new Array<number>(8).fill(8), ...new Array<number>(8).fill(0)]);
    assert.deepEqual(
      rescale(64, 16, 6).lists().slice(0, 6).map((l) => [l[0], l[l.length - 1]]),
      [[0, 10], [11, 21], [22, 31], [32, 42], [43, 53], [54, 63]],
    );
    assert.deepEqual(sizes(6).slice(6), new Array<number>(10).fill(0));
  });

  it('rescale needs p in 1..physical parallelism', () => {
    for (const p of [0, 17, 2.5]) {
      assert.throws(
        () => rescale(64, 16, p),
        (e: unknown) => e instanceof InvalidConfigError && e.message === `invalid value for 'rescale parallelism': ${p}; allowed: an integer in 1..16 (the physical parallelism)`,
      );
    }
  });
});

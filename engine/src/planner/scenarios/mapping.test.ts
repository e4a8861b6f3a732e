// List-shaped mappings: owner-table conversions and their checks, the fluid per-chunk update, Flink rescale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidConfigError, InvalidPlanError } from '../../errors.ts';
import { applyMoves, fromOwnerTable, rescale, toOwnerTable } from './mapping.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('planner > scenarios > mapping', () => {
  it('toOwnerTable and fromOwnerTable convert both ways (lists come back ascending)', () => {
    const mapping = [[3, 0], [], [1, 2]];
    assert.deepEqual(toOwnerTable(mapping, 4), [0, 2, 2, 0]);
    assert.deepEqual(fromOwnerTable([0, 2, 2, 0], 3), [[0, 3], [], [1, 2]]);
    assert.deepEqual(fromOwnerTable(toOwnerTable(rescale(64, 8, 8), 64), 8), rescale(64, 8, 8));
  });

  it('toOwnerTable rejects missing, repeated and out-of-range key groups', () => {
    assert.throws(() => toOwnerTable([[0, 1], [3]], 4), (e: unknown) => e instanceof InvalidPlanError && e.message === 'mapping: 1 key group(s) not assigned to any subtask: 2');
    assert.throws(() => toOwnerTable([[0, 1], [2, 1, 3]], 4), /mapping: key group 1 is assigned to subtasks 0 and 1/);
    assert.throws(() => toOwnerTable([[0, 1, 4], [2, 3]], 4), /mapping: subtask 0: key group 4 is not in 0\.\.3/);
  });

  it('fromOwnerTable rejects an owner outside 0..parallelism-1', () => {
    assert.throws(() => fromOwnerTable([0, 3], 3), /owner table: key group 1 is owned by subtask 3; subtasks are 0\.\.2/);
  });

  it('applyMoves removes each key group from its source list and appends it to the destination', () => {
    const mapping = [[0, 1, 2, 3], [4, 5, 6, 7]];
    const out = applyMoves(mapping, [
      { keyGroup: 2, from: 0, to: 1 },
      { keyGroup: 4, from: 1, to: 0 },
      { keyGroup: 0, from: 0, to: 1 },
    ]);
    assert.deepEqual(out, [[1, 3, 4], [5, 6, 7, 2, 0]]);
    assert.deepEqual(mapping, [[0, 1, 2, 3], [4, 5, 6, 7]]);
    assert.deepEqual(applyMoves(mapping, []), mapping);
  });

  it('applyMoves rejects a key group its source does not hold, or a subtask that does not exist', () => {
    assert.throws(() => applyMoves([[0], [1]], [{ keyGroup: 1, from: 0, to: 1 }]), /move of key group 1: subtask 0 does not hold it/);
    assert.throws(() => applyMoves([[0], [1]], [{ keyGroup: 0, from: 0, to: 2 }]), /move of key group 0 from 0 to 2: subtasks are 0\.\.1/);
  });

  it('rescale 16 → 4 → 8 → 6 on mp 64 keeps Flink’s contiguous ranges and idles the other subtasks', () => {
    const sizes = (p: number) => rescale(64, 16, p).map((l) => l.length);
    assert.deepEqual(rescale(64, 16, 16), range(16).map((i) => range(4, 4 * i)));
    assert.deepEqual(rescale(64, 16, 4).slice(0, 4), range(4).map((i) => range(16, 16 * i)));
    assert.deepEqual(sizes(4), [16, 16, 16, 16, ...new Array<number>(12).fill(0)]);
    assert.deepEqual(sizes(8), [...new Array<number>(8).fill(8), ...new Array<number>(8).fill(0)]);
    assert.deepEqual(
      rescale(64, 16, 6).slice(0, 6).map((l) => [l[0], l[l.length - 1]]),
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

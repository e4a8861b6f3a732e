// The DummyController generators: affected tasks against Java's shuffle, equiShuffle on hand-worked assignments,
// loadBalanceZipf on the micro-benchmark setup (mp 1024, p 8, skew 1), the fixed load_balance example.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidConfigError, InvalidParameterError, InvalidPlanError } from '../../errors.ts';
import { equiShuffle, loadBalance, loadBalanceZipf, selectAffectedTasks, shareSize } from './generators.ts';
import { Assignment } from '../../core/assignment.ts';
import { rescale } from './mapping.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);
/** The assignment of the lists `m` (subtask i holds m[i], in that order). */
const of = (m: number[][]): Assignment => Assignment.fromMap(m, m.reduce((n, l) => n + l.length, 0), m.length);

/** Number of key groups whose owner differs between two assignments over the same key groups. */
function moved(a: Assignment, b: Assignment): number {
  const y = b.table();
  return a.table().filter((o, kg) => o !== y[kg]).length;
}

describe('planner > scenarios > generators', () => {
  it('selectAffectedTasks matches Java (Collections.shuffle([0..7], new Random(12345678)), first n, sorted)', () => {
    assert.deepEqual(selectAffectedTasks(8, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(selectAffectedTasks(4, 8), [0, 3, 4, 6]);
    assert.deepEqual(selectAffectedTasks(20, 8), range(8));
    assert.deepEqual(selectAffectedTasks(0, 8), []);
    assert.throws(() => selectAffectedTasks(-1, 8), (e: unknown) => e instanceof InvalidParameterError && e.field === 'affectedTasks' && e.message.includes(`'affectedTasks'`));
  });

  it('shares split n over P givers as evenly as ceil/floor allow', () => {
    assert.deepEqual(range(4).map((i) => shareSize(i, 8, 4)), [2, 2, 2, 2]);
    assert.deepEqual(range(3).map((i) => shareSize(i, 5, 3)), [2, 2, 1]);
    assert.deepEqual(range(8).map((i) => shareSize(i, 512, 8)), new Array<number>(8).fill(64));
  });

  it('equiShuffle mp 16, p 4, n 8, all selected: each task gives its first 2 to the next, appended', () => {
    assert.deepEqual(equiShuffle(rescale(16, 4, 4), 8, [0, 1, 2, 3]).lists(), [
      [2, 3, 12, 13],
      [6, 7, 0, 1],
      [10, 11, 4, 5],
      [14, 15, 8, 9],
    ]);
  });

  it('equiShuffle with uneven shares works on the evolving mapping (mp 12, p 3, n 5)', () => {
    assert.deepEqual(equiShuffle(rescale(12, 3, 3), 5, [0, 1, 2]).lists(), [
      [2, 3, 8],
      [6, 7, 0, 1],
      [9, 10, 11, 4, 5],
    ]);
  });

  it('equiShuffle among a subset: selected tasks in ascending order, the others untouched', () => {
    assert.deepEqual(equiShuffle(rescale(16, 4, 4), 4, [3, 1]).lists(), [
      [0, 1, 2, 3],
      [6, 7, 12, 13],
      [8, 9, 10, 11],
      [14, 15, 4, 5],
    ]);
  });

  it('equiShuffle caps a share at the size of the giver’s list', () => {
    assert.deepEqual(equiShuffle(of([[0], [1, 2, 3, 4, 5]]), 6, [0, 1]).lists(), [[1, 2, 3], [4, 5, 0]]);
  });

  it('equiShuffle moves exactly n key groups when lists are large enough', () => {
    const micro = rescale(1024, 8, 8);
    assert.equal(moved(micro, equiShuffle(micro, 512, selectAffectedTasks(8, 8))), 512);
    const four = equiShuffle(micro, 100, selectAffectedTasks(4, 8));
    assert.equal(moved(micro, four), 100);
    for (const t of [1, 2, 5, 7]) assert.deepEqual(four.lists()[t], micro.lists()[t]);
    assert.deepEqual(equiShuffle(micro, 0, range(8)).lists(), micro.lists());
  });

  it('equiShuffle rejects a negative n and selected tasks that do not exist or repeat', () => {
    const m = rescale(16, 4, 4);
    assert.throws(() => equiShuffle(m, -4, [0, 1]), (e: unknown) => e instanceof InvalidParameterError && e.field === 'affectedKeys' && e.message.includes(`'affectedKeys'`));
    assert.throws(() => equiShuffle(m, 4, [0, 4]), /invalid value for 'selected tasks': "0,4"; allowed: distinct subtasks in 0\.\.3/);
    assert.throws(() => equiShuffle(m, 4, [1, 1]), InvalidConfigError);
  });

  it('loadBalanceZipf mp 1024, p 8, skew 1: task 0 keeps key groups 0..8, 9..127 go to task 7', () => {
    const out = loadBalanceZipf(rescale(1024, 8, 8), 1).lists();
    assert.deepEqual(out[0], range(9));
    assert.deepEqual(out[7], [...range(128, 896), ...range(119, 9)]);
    for (let t = 1; t < 7; t++) assert.deepEqual(out[t], range(128, t * 128));
    // Why 9: target = (H(128) + H(1024) − H(896)) / 2 ≈ 2.785 (in units of 1/H(1024)); H(9) ≈ 2.829 is closer than H(8) ≈ 2.718.
  });

  it('loadBalanceZipf with skew 0 (uniform, equal masses) moves nothing; one task is left alone', () => {
    assert.deepEqual(loadBalanceZipf(rescale(1024, 8, 8), 0).lists(), rescale(1024, 8, 8).lists());
    assert.deepEqual(loadBalanceZipf(of([range(16)]), 1).lists(), [range(16)]);
    assert.throws(() => loadBalanceZipf(rescale(16, 2, 2), -1), (e: unknown) => e instanceof InvalidParameterError && e.field === 'zipfSkew');
  });

  it('loadBalance: the fixed example moves key groups 2..7 to task 1', () => {
    assert.deepEqual(loadBalance(rescale(16, 2, 2)).lists(), [[0, 1], [...range(8, 8), ...range(6, 2)]]);
  });

  it('loadBalance needs parallelism 2 and maxParallelism 16', () => {
    const expected = /load_balance is the reference's fixed example and needs parallelism 2 and maxParallelism 16; got parallelism 4 and 16 key groups/;
    assert.throws(() => loadBalance(rescale(16, 4, 4)), (e: unknown) => e instanceof InvalidPlanError && expected.test(e.message));
    assert.throws(() => loadBalance(rescale(32, 2, 2)), /got parallelism 2 and 32 key groups/);
  });

  it('generators do not modify their inputs', () => {
    const micro = rescale(1024, 8, 8);
    const selected = Object.freeze([6, 0, 3, 4]);
    equiShuffle(micro, 512, selected);
    loadBalanceZipf(micro, 1);
    const two = rescale(16, 2, 2);
    loadBalance(two);
    assert.deepEqual(micro.lists(), rescale(1024, 8, 8).lists());
    assert.deepEqual(two.lists(), rescale(16, 2, 2).lists());
    assert.deepEqual(selected, [6, 0, 3, 4]);
  });
});

// Checks every order function; `random` and the shuffle against vectors printed by JDK 17's
// java.util.Collections.shuffle(list, new Random(seed)) (a throwaway program, output pasted below).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ORDER_FUNCTIONS, type KeyGroupStats } from '../control/plan.ts';
import { InvalidParameterError, InvalidPlanError } from '../errors.ts';
import { ORDERS, isOrderFunction, javaShuffle, orderFunctionNamed } from './order.ts';

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Java: Collections.shuffle([0..9], new Random(12345678)). */
const JAVA_SHUFFLE_10 = [5, 4, 6, 0, 1, 9, 8, 7, 2, 3];
/** Java: Collections.shuffle([0..63], new Random(12345678)). */
const JAVA_SHUFFLE_64 = [
  13, 15, 51, 34, 10, 3, 31, 29, 23, 62, 7, 24, 16, 63, 4, 56, 33, 49, 40, 47, 28, 9, 46, 59, 48, 55, 22, 30, 6, 25, 19, 50,
  12, 26, 54, 21, 39, 32, 35, 36, 52, 0, 11, 58, 41, 1, 17, 27, 57, 37, 18, 42, 38, 8, 5, 43, 60, 20, 14, 61, 53, 45, 2, 44,
];
/** Java: Collections.shuffle([100..109], new Random(7)). */
const JAVA_SHUFFLE_100_SEED_7 = [100, 101, 109, 103, 107, 104, 108, 105, 102, 106];

const ctx = { sourceSubtask: 3, seed: 12345678 };
/** Rates of key groups 0..7: 5 and 2 tie at the top, 0 and 7 tie at the bottom. */
const stats: KeyGroupStats = { rate: [1, 4, 9, 3, 6, 9, 2, 1], bytes: new Array<number>(8).fill(0) };

describe('planner > order', () => {
  it('javaShuffle matches Collections.shuffle with Random(12345678) on [0..9] and [0..63]', () => {
    assert.deepEqual(javaShuffle(range(10), 12345678), JAVA_SHUFFLE_10);
    assert.deepEqual(javaShuffle(range(64), 12345678), JAVA_SHUFFLE_64);
    assert.deepEqual(javaShuffle(range(10, 100), 7), JAVA_SHUFFLE_100_SEED_7);
  });

  it('default is ascending id, reverse descending id', () => {
    assert.deepEqual(ORDERS.default([7, 2, 9, 0], ctx), [0, 2, 7, 9]);
    assert.deepEqual(ORDERS.reverse([7, 2, 9, 0], ctx), [9, 7, 2, 0]);
    assert.deepEqual(ORDERS.default([], ctx), []);
  });

  it('random shuffles the ascending ids with a fresh Random(seed) per source subtask', () => {
    // The input order does not matter: the shuffle starts from ascending ids.
    assert.deepEqual(ORDERS.random(range(10).reverse(), ctx), JAVA_SHUFFLE_10);
    assert.deepEqual(ORDERS.random(range(64), { sourceSubtask: 0, seed: 12345678 }), JAVA_SHUFFLE_64);
    // Same seed, another subtask: the same permutation of its own key groups (one generator per task).
    const shifted = ORDERS.random(range(10, 640), { sourceSubtask: 7, seed: 12345678 });
    assert.deepEqual(shifted, JAVA_SHUFFLE_10.map((i) => 640 + i));
    assert.deepEqual(ORDERS.random(range(10, 100), { sourceSubtask: 0, seed: 7 }), JAVA_SHUFFLE_100_SEED_7);
  });

  it('hot-first is descending rate, cold-first ascending rate, ties by ascending id', () => {
    assert.deepEqual(ORDERS['hot-first'](range(8), { ...ctx, stats }), [2, 5, 4, 1, 3, 6, 0, 7]);
    assert.deepEqual(ORDERS['cold-first'](range(8).reverse(), { ...ctx, stats }), [0, 7, 6, 3, 1, 4, 2, 5]);
    assert.deepEqual(ORDERS['hot-first']([7, 0], { ...ctx, stats }), [0, 7]);
  });

  it('hot-first and cold-first without stats throw InvalidPlanError naming the order', () => {
    for (const name of ['hot-first', 'cold-first'] as const) {
      assert.throws(() => ORDERS[name]([1, 2], ctx), (e: unknown) => e instanceof InvalidPlanError && e.message.includes(`'${name}'`));
    }
  });

  it('hot-first with stats that do not cover a key group throws InvalidPlanError', () => {
    assert.throws(() => ORDERS['hot-first']([3, 8], { ...ctx, stats }), /no measured rate for key group 8 \(stats cover 0\.\.7\)/);
  });

  it('orderFunctionNamed returns the registered function or lists the allowed names', () => {
    for (const name of ORDER_FUNCTIONS) assert.equal(orderFunctionNamed(name), ORDERS[name]);
    assert.ok(isOrderFunction('reverse') && !isOrderFunction('hottest'));
    assert.throws(
      () => orderFunctionNamed('hottest'),
      (e: unknown) =>
        e instanceof InvalidParameterError &&
        e.field === 'order' &&
        e.message === `invalid value for 'order': "hottest"; allowed: default, reverse, random, hot-first, cold-first`,
    );
  });

  it('does not modify its input and returns a new array', () => {
    const input = Object.freeze([4, 1, 3, 0, 2]);
    const frozenStats = Object.freeze({ rate: Object.freeze([5, 4, 3, 2, 1]), bytes: Object.freeze([0, 0, 0, 0, 0]) });
    for (const name of ORDER_FUNCTIONS) {
      const out = ORDERS[name](input, Object.freeze({ ...ctx, stats: frozenStats }));
      assert.notEqual(out, input);
      assert.deepEqual(out.slice().sort((a, b) => a - b), [0, 1, 2, 3, 4]);
    }
    assert.deepEqual(input, [4, 1, 3, 0, 2]);
    assert.ok(Object.isFrozen(ORDERS));
  });
});

// Meces's background rounds (pure): at most one key group per old owner and `batch` in all per round,
// key groups fetched on demand skipped, every key group reached once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Assignment } from '../../core/assignment.ts';
import { keyGroupMoves, planRound, queuesBySource, roundCount } from './rounds.ts';

describe('meces > background rounds', () => {
  it('moves are the key groups whose owner changes; queues are per old owner, ascending', () => {
    const current = Assignment.initial(8, 2); // 0-3 -> 0, 4-7 -> 1
    const target = current.withMoves([{ keyGroup: 1, to: 1 }, { keyGroup: 3, to: 1 }, { keyGroup: 6, to: 0 }]);
    const moves = keyGroupMoves(current, target);
    assert.deepEqual(moves, [{ keyGroup: 1, from: 0, to: 1 }, { keyGroup: 3, from: 0, to: 1 }, { keyGroup: 6, from: 1, to: 0 }]);
    assert.deepEqual(queuesBySource(moves, 2), [[1, 3], [6]]);
  });

  it('a round takes at most one key group per old owner', () => {
    const { round, queues } = planRound([[1, 3, 5], [8, 9], [], [12]], () => false, 10);
    assert.deepEqual(round, [1, 8, 12]);
    assert.deepEqual(queues, [[3, 5], [9], [], []]);
  });

  it('the batch bounds a round (lower old owners first, as the artifact)', () => {
    const { round, queues } = planRound([[1, 3], [8], [12]], () => false, 2);
    assert.deepEqual(round, [1, 8]);
    assert.deepEqual(queues, [[3], [], [12]]);
  });

  it('skips key groups already fetched (on demand) and takes the next of the same old owner', () => {
    const fetched = new Set([1, 8, 9]);
    const { round, queues } = planRound([[1, 3], [8, 9]], (kg) => fetched.has(kg), 10);
    assert.deepEqual(round, [3]);
    assert.deepEqual(queues, [[], []]);
    assert.deepEqual(planRound(queues, () => false, 10).round, [], 'nothing left: an empty round');
  });

  it('a key group fetched on demand after earlier rounds is dropped when it comes up', () => {
    const fetched = new Set<number>();
    let r = planRound([[1, 3, 5]], (kg) => fetched.has(kg), 1);
    assert.deepEqual(r.round, [1]);
    fetched.add(3);
    r = planRound(r.queues, (kg) => fetched.has(kg), 1);
    assert.deepEqual(r.round, [5]);
    assert.deepEqual(r.queues, [[]]);
  });

  it('does not change its inputs; every key group is reached exactly once', () => {
    const input = [[0, 2, 4, 6], [1, 3], [5]];
    const copy = JSON.stringify(input);
    let q: number[][] = input.map((x) => [...x]);
    const seen: number[] = [];
    for (;;) {
      const r = planRound(q, () => false, 2);
      if (r.round.length === 0) break;
      assert.ok(r.round.length <= 2);
      seen.push(...r.round);
      q = r.queues;
    }
    assert.equal(JSON.stringify(input), copy);
    assert.deepEqual(seen.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(roundCount(input, 2), 4);
    assert.equal(roundCount(input, 10), 4, 'bounded by the old owner with most key groups');
  });

  it('a batch below 1 is refused, naming the option', () => {
    assert.throws(() => planRound([[1]], () => false, 0), /fetch_batch/);
  });
});

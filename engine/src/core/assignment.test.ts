// Tests of Assignment: the initial table is Flink's contiguous ranges, fromMap rejects tables that miss,
// repeat or misname something (naming the key group or subtask), withMoves moves exactly what it is given
// and bumps the version, and toMap / keyGroupsOf / ownerOf agree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Assignment } from './assignment.ts';
import { keyGroupRangeOf, operatorIndexOf } from './key-group.ts';
import { InvalidPlanError } from '../errors.ts';

/** Checks that toMap, keyGroupsOf and ownerOf describe one partition of 0..mp-1. */
function assertConsistent(a: Assignment): void {
  const map = a.toMap();
  assert.equal(map.length, a.parallelism);
  const seen = new Set<number>();
  map.forEach((kgs, s) => {
    assert.deepEqual(a.keyGroupsOf(s), kgs, `keyGroupsOf(${s}) equals toMap()[${s}]`);
    for (const kg of kgs) {
      assert.equal(a.ownerOf(kg), s, `owner of key group ${kg}`);
      assert.ok(!seen.has(kg), `key group ${kg} listed twice`);
      seen.add(kg);
    }
  });
  assert.equal(seen.size, a.maxParallelism, 'every key group has an owner');
  const table = a.table();
  for (let kg = 0; kg < a.maxParallelism; kg++) assert.equal(table[kg], a.ownerOf(kg));
}

const shape = fc.integer({ min: 1, max: 512 }).chain((mp) => fc.tuple(fc.constant(mp), fc.integer({ min: 1, max: Math.min(mp, 64) })));

describe('core > assignment', () => {
  it("initial assignment is Flink's contiguous ranges", () => {
    for (const [mp, p] of [[128, 4], [128, 3], [1024, 7], [64, 64], [32768, 100], [10, 1]]) {
      const a = Assignment.initial(mp, p);
      assert.equal(a.maxParallelism, mp);
      assert.equal(a.parallelism, p);
      assert.equal(a.version, 0);
      for (let s = 0; s < p; s++) {
        const { start, end } = keyGroupRangeOf(s, mp, p);
        assert.deepEqual(a.keyGroupsOf(s), Array.from({ length: end - start + 1 }, (_, i) => start + i), `mp=${mp} p=${p} subtask ${s}`);
      }
      for (let kg = 0; kg < mp; kg++) assert.equal(a.ownerOf(kg), operatorIndexOf(kg, mp, p));
      assertConsistent(a);
    }
  });

  it('initial assignment: Flink ranges for random (mp, p)', () => {
    fc.assert(
      fc.property(shape, ([mp, p]) => {
        const a = Assignment.initial(mp, p);
        for (let s = 0; s < p; s++) {
          const { start, end } = keyGroupRangeOf(s, mp, p);
          const kgs = a.keyGroupsOf(s);
          assert.equal(kgs[0], start);
          assert.equal(kgs[kgs.length - 1], end);
          assert.equal(kgs.length, end - start + 1);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fromMap accepts arrays and maps, and round-trips toMap', () => {
    const byArray = Assignment.fromMap([[0, 3], [2], [1, 4, 5]], 6, 3);
    assert.deepEqual(byArray.toMap(), [[0, 3], [2], [1, 4, 5]]);
    const byMap = Assignment.fromMap(new Map([[2, [1, 4, 5]], [0, [3, 0]], [1, [2]]]), 6, 3);
    assert.ok(byMap.equals(byArray));
    assert.equal(byMap.version, 0);
    // A subtask may own nothing.
    const idle = Assignment.fromMap(new Map([[0, [0, 1, 2, 3]]]), 4, 2);
    assert.deepEqual(idle.keyGroupsOf(1), []);
    assertConsistent(idle);
    const initial = Assignment.initial(128, 5);
    assert.ok(Assignment.fromMap(initial.toMap(), 128, 5).equals(initial));
  });

  it('fromMap: a missing key group is an error naming it', () => {
    assert.throws(() => Assignment.fromMap([[0, 1], [3]], 4, 2), (e: unknown) => e instanceof InvalidPlanError && /misses key group 2\b/.test(e.message));
  });

  it('fromMap: a repeated key group is an error naming it and both subtasks', () => {
    assert.throws(
      () => Assignment.fromMap([[0, 1, 2], [2, 3]], 4, 2),
      (e: unknown) => e instanceof InvalidPlanError && /key group 2 to subtasks 0 and 1/.test(e.message),
    );
    assert.throws(() => Assignment.fromMap([[0, 1, 1], [2, 3]], 4, 2), (e: unknown) => e instanceof InvalidPlanError && /key group 1 to subtasks 0 and 0/.test(e.message));
  });

  it('fromMap: an unknown subtask is an error naming it and the valid range', () => {
    assert.throws(
      () => Assignment.fromMap(new Map([[0, [0, 1]], [2, [2, 3]]]), 4, 2),
      (e: unknown) => e instanceof InvalidPlanError && /subtask 2; subtasks are 0\.\.1/.test(e.message),
    );
    assert.throws(() => Assignment.fromMap(new Map([[-1, [0]]]), 4, 2), (e: unknown) => e instanceof InvalidPlanError && /subtask -1/.test(e.message));
    assert.throws(() => Assignment.fromMap([[0], [1], [2, 3]], 4, 2), (e: unknown) => e instanceof InvalidPlanError && /subtask 2/.test(e.message));
  });

  it('fromMap: a key group out of range is an error naming it', () => {
    assert.throws(() => Assignment.fromMap([[0, 1], [2, 3, 4]], 4, 2), (e: unknown) => e instanceof InvalidPlanError && /key group 4; key groups are 0\.\.3/.test(e.message));
    assert.throws(() => Assignment.fromMap([[0, 1.5], [2, 3]], 4, 2), (e: unknown) => e instanceof InvalidPlanError && /key group 1\.5/.test(e.message));
  });

  it('withMoves bumps the version and moves exactly the given key groups; the original is unchanged', () => {
    const moves = fc.array(fc.record({ keyGroup: fc.nat(), to: fc.nat() }), { maxLength: 40 });
    fc.assert(
      fc.property(shape, moves, ([mp, p], raw) => {
        const a = Assignment.initial(mp, p);
        const ms = raw.map((m) => ({ keyGroup: m.keyGroup % mp, to: m.to % p }));
        const b = a.withMoves(ms).withMoves([]);
        assert.equal(b.version, 2);
        const expected = Int32Array.from({ length: mp }, (_, kg) => operatorIndexOf(kg, mp, p));
        for (const m of ms) expected[m.keyGroup] = m.to;
        assert.deepEqual(b.table(), expected);
        assert.ok(a.equals(Assignment.initial(mp, p)), 'withMoves leaves the original as it was');
        assertConsistent(b);
      }),
      { numRuns: 200 },
    );
  });

  it('withMoves: a move to an unknown subtask is an error naming the key group and subtask', () => {
    const a = Assignment.initial(8, 2);
    assert.throws(() => a.withMoves([{ keyGroup: 5, to: 2 }]), (e: unknown) => e instanceof InvalidPlanError && /key group 5 names subtask 2; subtasks are 0\.\.1/.test(e.message));
  });

  it('withMoves: a key group out of range is an error naming it (not a silent no-op)', () => {
    const a = Assignment.initial(8, 2);
    for (const kg of [8, -1, 2.5]) {
      assert.throws(() => a.withMoves([{ keyGroup: kg, to: 1 }]), (e: unknown) => e instanceof InvalidPlanError && e.message.includes(`key group ${kg}`) && /0\.\.7/.test(e.message));
    }
  });

  it('table() is a copy', () => {
    const a = Assignment.initial(8, 2);
    const t = a.table();
    t[0] = 1;
    assert.equal(a.ownerOf(0), 0);
  });

  it('lists keep the order given to fromMap, moved key groups appended; toMap is ascending; equals ignores order', () => {
    const a = Assignment.fromMap([[3, 0], [], [2, 1]], 4, 3);
    assert.deepEqual(a.lists(), [[3, 0], [], [2, 1]]);
    assert.deepEqual(a.toMap(), [[0, 3], [], [1, 2]]);
    const b = a.withMoves([{ keyGroup: 2, to: 1 }, { keyGroup: 0, to: 2 }, { keyGroup: 2, to: 0 }]);
    assert.deepEqual(b.lists(), [[3, 2], [], [1, 0]]);
    assert.deepEqual(a.lists(), [[3, 0], [], [2, 1]], 'the original keeps its lists');
    assert.deepEqual(Assignment.initial(8, 2).lists(), [[0, 1, 2, 3], [4, 5, 6, 7]]);
    assert.ok(a.equals(Assignment.fromMap([[0, 3], [], [1, 2]], 4, 3)));
  });
});

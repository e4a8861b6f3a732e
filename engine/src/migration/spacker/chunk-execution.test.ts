// The chunk state machine (preparing -inject-> synchronizing -aligned-> transferring -drained-> completed):
// legal events move it on, every other event throws IllegalTransitionError and leaves the phase unchanged.
// Also the chunk's bookkeeping: one key-group machine per move, outgoing moves per subtask.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IllegalTransitionError } from '../../errors.ts';
import { Assignment } from '../../core/assignment.ts';
import { ChunkExecution, type ChunkPhase } from './chunk-execution.ts';

const EVENTS = ['inject', 'aligned', 'drained'] as const;
const LEGAL: Record<ChunkPhase, (typeof EVENTS)[number] | undefined> = { preparing: 'inject', synchronizing: 'aligned', transferring: 'drained', completed: undefined };
const ORDER: ChunkPhase[] = ['preparing', 'synchronizing', 'transferring', 'completed'];

function chunk(): ChunkExecution {
  const moves = [
    { keyGroup: 1, from: 0, to: 1 },
    { keyGroup: 6, from: 1, to: 0 },
    { keyGroup: 2, from: 0, to: 1 },
  ];
  return new ChunkExecution(7, { seq: 3, moves }, Assignment.initial(8, 2).withMoves(moves), ChunkExecution.machinesOf({ seq: 3, moves }));
}

function chunkAt(phase: ChunkPhase): ChunkExecution {
  const c = chunk();
  for (const p of ORDER.slice(0, ORDER.indexOf(phase))) c.apply(LEGAL[p] as (typeof EVENTS)[number]);
  assert.equal(c.phase, phase);
  return c;
}

describe('migration > chunk machine', () => {
  it('goes preparing -> synchronizing -> transferring -> completed', () => {
    const c = chunk();
    assert.equal(c.phase, 'preparing');
    c.apply('inject');
    c.apply('aligned');
    c.apply('drained');
    assert.equal(c.phase, 'completed');
  });

  it('every other event throws IllegalTransitionError naming the chunk, the phase and the event', () => {
    let illegal = 0;
    for (const phase of ORDER) {
      for (const event of EVENTS) {
        if (LEGAL[phase] === event) continue;
        illegal++;
        const c = chunkAt(phase);
        assert.throws(
          () => c.apply(event),
          (e: unknown) => e instanceof IllegalTransitionError && e.message === `chunk 3: no transition from '${phase}' on '${event}'`,
          `${phase} on ${event}`,
        );
        assert.equal(c.phase, phase, 'unchanged');
      }
    }
    assert.equal(illegal, ORDER.length * EVENTS.length - 3);
  });

  it('keeps one key-group machine per move and lists the moves leaving each subtask', () => {
    const c = chunk();
    assert.equal(c.reconfigId, 7);
    assert.equal(c.remaining, 3);
    assert.deepEqual([...c.machines.keys()].sort((a, b) => a - b), [1, 2, 6]);
    assert.ok([...c.machines.values()].every((m) => m.phase === 'planned'), 'all planned');
    assert.deepEqual(c.outgoing(0).map((m) => m.keyGroup), [1, 2]);
    assert.deepEqual(c.outgoing(1).map((m) => [m.keyGroup, m.to]), [[6, 0]]);
    assert.equal(c.next.ownerOf(6), 0);
    assert.equal(c.barrierless, false);
  });
});

// Tests of InputAlignment: a checkpoint barrier blocks its channel until it arrived on every input (an ended
// input counts as arrived); a reconfiguration barrier blocks nothing, is heard per channel, and a next one
// waits at the head of a channel that delivered the current one; a barrier of another id while one aligns is
// a protocol error naming the subtask.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputAlignment } from './input-alignment.ts';
import { ProtocolError } from '../errors.ts';
import type { CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';

function make(channels: number) {
  const log: string[] = [];
  const a = new InputAlignment('Op-0', channels, {
    checkpointAligned: (b) => log.push(`checkpoint ${b.id}`),
    reconfigArrived: (b, c) => log.push(`arrived ${b.id}@${c}`),
    reconfigAligned: (b) => log.push(`reconfig ${b.id}`),
  });
  return { a, log };
}
const cp = (id: number): CheckpointBarrier => ({ kind: 'checkpoint', id });
const rc = (id: number): ReconfigBarrier => ({ kind: 'reconfig', id });

describe('runtime > input-alignment', () => {
  it('a checkpoint barrier blocks its channel until every input delivered it; then all channels read again', () => {
    const { a, log } = make(3);
    a.onBarrier(0, cp(1));
    assert.equal(a.readable(0), false);
    assert.equal(a.readable(1), true);
    a.onBarrier(2, cp(1));
    assert.deepEqual(log, []);
    a.onBarrier(1, cp(1));
    assert.deepEqual(log, ['checkpoint 1']);
    assert.ok([0, 1, 2].every((c) => a.readable(c)));
  });

  it('an ended input counts as arrived, for checkpoints and reconfigurations', () => {
    const { a, log } = make(2);
    a.onBarrier(0, cp(4));
    a.onBarrier(0, rc(7));
    a.onEnd(1);
    assert.deepEqual(log, ['arrived 7@0', 'checkpoint 4', 'reconfig 7']);
    assert.equal(a.allEnded, false);
    a.onEnd(0);
    assert.equal(a.allEnded, true);
  });

  it('a reconfiguration barrier blocks no channel; a next one waits at the head of a channel that delivered the current one', () => {
    const { a, log } = make(2);
    a.onBarrier(1, rc(3));
    assert.ok(a.readable(1));
    assert.equal(a.waits(1, rc(4)), true);
    assert.equal(a.waits(0, rc(3)), false);
    a.onBarrier(0, rc(3));
    assert.deepEqual(log, ['arrived 3@1', 'arrived 3@0', 'reconfig 3']);
    assert.equal(a.waits(1, rc(4)), false);
  });

  it('a barrier of another id while one aligns is a protocol error naming the subtask and both ids', () => {
    const { a } = make(2);
    a.onBarrier(0, rc(3));
    assert.throws(() => a.onBarrier(1, rc(5)), (e: unknown) => e instanceof ProtocolError && /Op-0.*5.*3/.test(e.message));
    a.onBarrier(0, cp(1));
    assert.throws(() => a.onBarrier(1, cp(2)), (e: unknown) => e instanceof ProtocolError && /Op-0: checkpoint barrier 2 while aligning 1/.test(e.message));
  });
});

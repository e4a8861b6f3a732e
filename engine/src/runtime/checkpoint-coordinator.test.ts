import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.ts';
import type { CheckpointBarrier } from '../core/control-event.ts';
import { ProtocolError } from '../errors.ts';
import { CheckpointCoordinator, type CheckpointSource, type CheckpointSubtask } from './checkpoint-coordinator.ts';

/** A coordinator over subtasks `Op-0`, `Op-1` and one source, every 100 ms from time 0, on a manual clock. */
function setup(intervalMs = 100) {
  const clock = new ManualClock(0);
  const subtasks: { label: string; done: boolean }[] = [
    { label: 'Op-0', done: false },
    { label: 'Op-1', done: false },
  ];
  const injected: CheckpointBarrier[] = [];
  const source = { done: false, injectBarrier: (b: CheckpointBarrier) => injected.push(b) };
  const completed: [number, number, number][] = [];
  const c = new CheckpointCoordinator({
    clock,
    intervalMs,
    jobStartMs: 0,
    subtasks: subtasks as readonly CheckpointSubtask[],
    sources: [source as CheckpointSource],
    onComplete: (id, startMs, durationMs) => completed.push([id, startMs, durationMs]),
  });
  /** Both subtasks align on and acknowledge checkpoint `id` at once. */
  const ackAll = (id: number): void => {
    for (const t of subtasks) {
      c.aligned(t.label, id);
      c.acknowledge(t.label, id);
    }
  };
  /** Moves the clock to `ms` and polls, as a scheduler round would. */
  const pollAt = (ms: number): void => {
    clock.set(ms);
    c.poll();
  };
  return { clock, subtasks, source, injected, completed, c, ackAll, pollAt };
}

describe('runtime > checkpoint-coordinator', () => {
  it('triggers at the interval of a manual clock, one checkpoint at a time', () => {
    const { c, injected, ackAll, pollAt } = setup();
    c.poll();
    assert.equal(injected.length, 0, 'nothing before the first interval');
    pollAt(99);
    assert.equal(injected.length, 0);
    pollAt(100);
    assert.deepEqual(injected, [{ kind: 'checkpoint', id: 1 }]);
    pollAt(250);
    assert.equal(injected.length, 1, 'none while one is in flight');
    ackAll(1);
    c.poll();
    assert.equal(injected.length, 2, 'a due checkpoint starts once the last completed');
    assert.equal(injected[1].id, 2);
    assert.equal(c.nextDueMs, 350);
  });

  it('an interval of 0 triggers nothing periodically', () => {
    const { c, injected, pollAt } = setup(0);
    pollAt(1e9);
    assert.equal(injected.length, 0);
    assert.equal(c.nextDueMs, Infinity);
  });

  it('no checkpoint while paused; a resumed coordinator triggers a whole interval later', () => {
    const { c, injected, pollAt } = setup();
    c.setPaused(true);
    assert.equal(c.paused, true);
    pollAt(500);
    assert.equal(injected.length, 0, 'paused');
    c.setPaused(false);
    assert.equal(c.paused, false);
    c.poll();
    assert.equal(injected.length, 0, 'not at once after resuming');
    pollAt(599);
    assert.equal(injected.length, 0);
    pollAt(600);
    assert.equal(injected.length, 1, 'resumed');
  });

  it('completes only when every subtask acknowledged, deferred acknowledgements included', () => {
    const { clock, c, completed, pollAt } = setup();
    pollAt(100);
    assert.equal(c.inFlight(), true);
    c.aligned('Op-0', 1);
    c.acknowledge('Op-0', 1);
    c.aligned('Op-1', 1); // its acknowledgement is deferred (a participant replicates first)
    pollAt(130);
    assert.equal(c.inFlight(), true, 'Op-1 aligned but has not acknowledged');
    assert.deepEqual(completed, []);
    clock.set(140);
    c.acknowledge('Op-1', 1);
    assert.equal(c.inFlight(), false);
    assert.deepEqual(completed, [[1, 100, 40]]);
  });

  it('does not wait for a subtask that ended before its barrier arrived', () => {
    const { c, subtasks, completed, pollAt } = setup();
    pollAt(100);
    c.aligned('Op-0', 1);
    c.acknowledge('Op-0', 1);
    subtasks[1].done = true;
    c.poll();
    assert.equal(c.inFlight(), false);
    assert.equal(completed.length, 1);
  });

  it('triggers nothing once every source or every subtask has ended', () => {
    const { c, subtasks, source, injected } = setup();
    source.done = true;
    c.trigger();
    assert.equal(c.inFlight(), false);
    source.done = false;
    for (const t of subtasks) t.done = true;
    c.trigger();
    assert.equal(c.inFlight(), false);
    assert.equal(injected.length, 0);
  });

  it('a trigger while one is in flight names the checkpoint', () => {
    const { c } = setup();
    c.trigger();
    assert.throws(() => c.trigger(), (e: unknown) => e instanceof ProtocolError && /checkpoint 1 is still in flight/.test(e.message));
  });

  it('an acknowledgement of an unknown checkpoint names the subtask and the id', () => {
    const { c } = setup();
    assert.throws(() => c.acknowledge('Op-0', 7), (e: unknown) => e instanceof ProtocolError && e.message === 'Op-0: acknowledges checkpoint 7, which is not in flight');
    c.trigger();
    assert.throws(() => c.acknowledge('Op-1', 2), /Op-1: acknowledges checkpoint 2, which is not in flight/);
    assert.throws(() => c.aligned('Op-1', 2), /Op-1: checkpoint 2 is not in flight/);
  });

  it('an acknowledgement from an unknown subtask, or a second one, names the subtask and the id', () => {
    const { c } = setup();
    c.trigger();
    assert.throws(() => c.acknowledge('Other-3', 1), (e: unknown) => e instanceof ProtocolError && /^Other-3: acknowledges checkpoint 1, which does not wait for it \(waits for: Op-0, Op-1\)$/.test(e.message));
    c.acknowledge('Op-0', 1);
    assert.throws(() => c.acknowledge('Op-0', 1), /Op-0: acknowledges checkpoint 1 twice/);
    assert.equal(c.inFlight(), true, 'errors leave the checkpoint in flight');
  });
});

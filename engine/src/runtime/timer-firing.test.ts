// Tests of TimerFiring on a manual clock: the input watermark is the minimum over inputs that have not ended;
// timers fire once due, in key groups that are settled only; a waiting timer holds the forwarded watermark
// below it and fires after its key group settled; nothing is forwarded while the subtask holds records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.ts';
import type { Key } from '../core/key-group.ts';
import { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { TimerService } from '../state/timer-service.ts';
import { TimerFiring } from './timer-firing.ts';

function make(channels: number) {
  const state = new KeyedStateBackend(4, [0, 1, 2, 3]);
  const timers = new TimerService(state);
  const unsettled = new Set<number>();
  const fired: [Key, number][] = [];
  const forwarded: number[] = [];
  let holding = false;
  const firing = new TimerFiring(channels, timers, 4, new ManualClock(), {
    settled: (kg) => !unsettled.has(kg),
    holding: () => holding,
    onTimer: (key, _kg, ts) => fired.push([key, ts]),
    forward: (w) => forwarded.push(w),
  });
  return { firing, timers, unsettled, fired, forwarded, hold: (h: boolean) => (holding = h) };
}

describe('runtime > timer-firing', () => {
  it('the input watermark is the minimum over the inputs not ended; due timers fire and the watermark goes on', () => {
    const t = make(2);
    const ended = new Uint8Array(2);
    t.timers.register('a', 0, 10);
    t.timers.register('b', 1, 20);
    t.firing.onWatermark(0, 15, ended);
    assert.equal(t.firing.watermarkMs, -Infinity);
    t.firing.onWatermark(1, 12, ended);
    assert.equal(t.firing.watermarkMs, 12);
    assert.deepEqual(t.fired, [['a', 10]]);
    assert.deepEqual(t.forwarded, [12]);
    ended[1] = 1;
    t.firing.advance(ended);
    assert.equal(t.firing.watermarkMs, 15);
    assert.deepEqual(t.fired, [['a', 10]]);
    assert.deepEqual(t.forwarded, [12, 15]);
  });

  it('a due timer of an unsettled key group waits and holds the forwarded watermark below it; it fires once settled', () => {
    const t = make(1);
    const ended = new Uint8Array(1);
    t.timers.register('a', 2, 10);
    t.unsettled.add(2);
    t.firing.onWatermark(0, 30, ended);
    assert.deepEqual(t.fired, []);
    assert.deepEqual(t.forwarded, [10]);
    assert.equal(t.firing.idle, false, 'a waiting timer keeps the subtask from ending');
    t.unsettled.delete(2);
    t.firing.recheck();
    assert.ok(t.firing.due(0));
    t.firing.fire(0);
    assert.deepEqual(t.fired, [['a', 10]]);
    assert.deepEqual(t.forwarded, [10, 30]);
    assert.equal(t.firing.idle, true);
  });

  it('nothing is forwarded while the subtask holds records', () => {
    const t = make(1);
    t.hold(true);
    t.firing.onWatermark(0, 5, new Uint8Array(1));
    assert.deepEqual(t.forwarded, []);
    t.hold(false);
    t.firing.onWatermark(0, 6, new Uint8Array(1));
    assert.deepEqual(t.forwarded, [6]);
  });
});

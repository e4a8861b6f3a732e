import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedStateBackend } from './keyed-state-backend.ts';
import { TIMER_STATE, TimerService } from './timer-service.ts';

function setup(): { backend: KeyedStateBackend; timers: TimerService } {
  const backend = new KeyedStateBackend(8, [0, 1, 2, 3]);
  return { backend, timers: new TimerService(backend) };
}

describe('state > timer-service', () => {
  it('fires due timers in time order per key group, once each, and keeps the later ones', () => {
    const { timers } = setup();
    timers.register('a', 1, 30);
    timers.register('b', 1, 10);
    timers.register('a', 1, 10);
    timers.register('a', 1, 10); // the same timer twice is one
    timers.register('c', 2, 50);
    const fired: [string, number, number][] = [];
    const frozen = timers.advance(30, () => true, (key, kg, ts) => fired.push([key as string, kg, ts])).frozenMin;
    assert.deepEqual(fired, [['b', 1, 10], ['a', 1, 10], ['a', 1, 30]]);
    assert.equal(frozen, Infinity);
    assert.deepEqual([...timers.timersOf(2)], [[50, ['c']]]);
    assert.equal(timers.timersOf(1).size, 0);
  });

  it('leaves key groups that are not eligible alone and reports their earliest timer', () => {
    const { timers } = setup();
    timers.register('x', 0, 5);
    timers.register('y', 3, 7);
    timers.register('z', 3, 2);
    const fired: string[] = [];
    assert.equal(timers.advance(100, (kg) => kg !== 3, (key) => fired.push(key as string)).frozenMin, 2);
    assert.deepEqual(fired, ['x']);
    assert.equal(timers.advance(100, () => true, (key) => fired.push(key as string)).frozenMin, Infinity);
    assert.deepEqual(fired, ['x', 'z', 'y']);
  });

  it('a timer registered while firing fires in the same pass when it is due', () => {
    const { timers } = setup();
    timers.register('k', 0, 1);
    const fired: number[] = [];
    timers.advance(10, () => true, (key, kg, ts) => {
      fired.push(ts);
      if (ts < 5) timers.register(key, kg, ts + 3);
    });
    assert.deepEqual(fired, [1, 4, 7]);
  });

  it('delete removes one key at one time; the current key is the caller\'s again', () => {
    const { backend, timers } = setup();
    backend.setCurrentKey('a', 1);
    timers.register('a', 1, 9);
    timers.register('b', 1, 9);
    timers.delete('a', 1, 9);
    timers.delete('a', 1, 99); // none there
    assert.deepEqual([...timers.timersOf(1)], [[9, ['b']]]);
    const v = backend.valueState<number>('v');
    v.update(1);
    assert.deepEqual([...backend.entries(1, 'v')], [['a', 1]]);
  });

  it('timers are keyed state: they mark the key group dirty and travel in its snapshot', () => {
    const { backend, timers } = setup();
    backend.clearDirty(2);
    timers.register('k', 2, 42);
    assert.equal(backend.isDirty(2), true);
    assert.ok(backend.bytes[2] > 0);
    const bytes = backend.snapshotKeyGroup(2);
    const other = new KeyedStateBackend(8, []);
    other.restoreKeyGroup(2, bytes, { copy: true });
    assert.deepEqual([...other.entries(2, TIMER_STATE)], [[42, ['k']]]);
    const fired: string[] = [];
    new TimerService(other).advance(42, () => true, (key) => fired.push(key as string));
    assert.deepEqual(fired, ['k']);
  });

  it('rejects a time that is not finite', () => {
    const { timers } = setup();
    assert.throws(() => timers.register('k', 0, Number.NaN), RangeError);
    assert.throws(() => timers.register('k', 0, Infinity), /finite/);
  });
});

describe('state > timer-service > passes in slices', () => {
  it('stops once out of time and goes on where it stopped', () => {
    const { timers } = setup();
    timers.register('a', 0, 1);
    timers.register('b', 1, 1);
    timers.register('c', 3, 1);
    const fired: string[] = [];
    const first = timers.advance(5, () => true, (key) => fired.push(key as string), { outOfTime: () => true });
    assert.deepEqual(fired, ['a']);
    assert.equal(first.next, 0);
    const rest = timers.advance(5, () => true, (key) => fired.push(key as string), { from: first.next });
    assert.deepEqual(fired, ['a', 'b', 'c']);
    assert.equal(rest.next, 8);
  });

  it('within a key group: the keys not fired yet keep their timer, each fires once', () => {
    const { timers } = setup();
    for (let i = 0; i < 40; i++) timers.register(`k${i}`, 2, 7);
    const fired: string[] = [];
    let budget = 0;
    const first = timers.advance(7, () => true, (key) => fired.push(key as string), { outOfTime: () => ++budget > 1 });
    assert.equal(first.next, 2);
    assert.equal(fired.length, 32);
    assert.equal(timers.timersOf(2).get(7)?.length, 8);
    timers.advance(7, () => true, (key) => fired.push(key as string), { from: first.next });
    assert.deepEqual(fired, Array.from({ length: 40 }, (_, i) => `k${i}`));
    assert.equal(timers.timersOf(2).size, 0);
  });
});

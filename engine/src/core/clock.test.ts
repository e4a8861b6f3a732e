import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, wallClock } from './clock.ts';

describe('core > clock', () => {
  it("the wall clock's recent() is its last reading, by any caller, and moves only when it is read", () => {
    const t = wallClock.now();
    assert.equal(wallClock.recent(), t);
    const until = performance.now() + 0.2;
    while (performance.now() < until);
    assert.equal(wallClock.recent(), t, 'no reading, no change');
    const u = wallClock.now();
    assert.ok(u > t);
    assert.equal(wallClock.recent(), u);
  });

  it("a manual clock's recent() is its time", () => {
    const c = new ManualClock(5);
    assert.equal(c.recent(), 5);
    c.advance(2.5);
    assert.equal(c.recent(), 7.5);
    c.set(9);
    assert.equal(c.recent(), c.now());
  });
});

// Tests of PieceClock on a manual clock with a fake measure of how long pieces take: a gap holds the pieces
// expected to end by its end (job-clock time), a forced slice runs FORCED_SLICE_MS of them (at least one),
// one piece's length is learnt and a stretched one counts at most 0.2 ms.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.ts';
import { FORCED_SLICE_MS, PieceClock } from './pacing.ts';

/** A measure that advances by `pieceMs` each time a piece ran (the pieces below call `tick`). */
function fakeWork(pieceMs: number): { measure: () => number; tick: () => boolean } {
  let t = 0;
  return { measure: () => t, tick: () => ((t += pieceMs), true) };
}

describe('migration > pacing', () => {
  it('a piece fits a gap when its expected length ends by the gap end', () => {
    const p = new PieceClock(new ManualClock());
    assert.ok(p.fits(100, 100 + p.pieceMs));
    assert.ok(!p.fits(100, 100 + p.pieceMs / 2));
  });

  it('learns the length of pieces, counting a stretched one as at most 0.2 ms', () => {
    const p = new PieceClock(new ManualClock());
    for (let i = 0; i < 50; i++) p.took(0.05);
    assert.ok(Math.abs(p.pieceMs - 0.05) < 1e-3, `${p.pieceMs}`);
    p.took(30); // descheduled in the middle of a piece
    assert.ok(p.pieceMs <= 0.05 + 0.2 * (0.2 - 0.05) + 1e-9, `${p.pieceMs}`);
    for (let i = 0; i < 50; i++) p.took(0.01);
    assert.ok(p.pieceMs < 0.011, `back to short pieces: ${p.pieceMs}`);
  });

  it('a gap on the job clock holds the pieces that end by its end, however far the wall clock is', () => {
    const clock = new ManualClock(5_000);
    const w = fakeWork(0.02);
    const p = new PieceClock(clock, w.measure);
    for (let i = 0; i < 50; i++) p.took(0.02);
    // A 0.1-ms gap from the job clock's now: five pieces of 0.02 ms.
    assert.equal(p.run(clock.now() + 0.1 + 1e-9, w.tick), 5);
    // A gap already over holds none.
    assert.equal(p.run(clock.now() - 1, w.tick), 0);
  });

  it('a forced slice runs at least one piece and about FORCED_SLICE_MS of them; it stops when there is nothing to do', () => {
    const clock = new ManualClock();
    const slow = fakeWork(1);
    assert.equal(new PieceClock(clock, slow.measure).run(undefined, slow.tick), 1);
    const fast = fakeWork(0.01);
    assert.equal(new PieceClock(clock, fast.measure).run(undefined, fast.tick), Math.round(FORCED_SLICE_MS / 0.01));
    let left = 2;
    assert.equal(new PieceClock(clock, fast.measure).run(undefined, () => left-- > 0 && fast.tick()), 2);
  });

  it('runOne: one piece when it fits the gap, always when forced', () => {
    const clock = new ManualClock(10);
    const w = fakeWork(0.02);
    const p = new PieceClock(clock, w.measure);
    assert.equal(p.runOne(10 + p.pieceMs / 2, w.tick), false);
    assert.equal(p.runOne(10 + p.pieceMs, w.tick), true);
    assert.equal(p.runOne(undefined, w.tick), true);
  });
});

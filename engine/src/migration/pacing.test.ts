import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PieceClock } from './pacing.ts';

describe('migration > pacing', () => {
  it('a piece fits a gap when its expected length ends by the gap end', () => {
    const p = new PieceClock();
    assert.ok(p.fits(100, 100 + p.pieceMs));
    assert.ok(!p.fits(100, 100 + p.pieceMs / 2));
  });

  it('learns the length of pieces, counting a stretched one as at most 0.2 ms', () => {
    const p = new PieceClock();
    for (let i = 0; i < 50; i++) p.took(0.05);
    assert.ok(Math.abs(p.pieceMs - 0.05) < 1e-3, `${p.pieceMs}`);
    p.took(30); // descheduled in the middle of a piece
    assert.ok(p.pieceMs <= 0.05 + 0.2 * (0.2 - 0.05) + 1e-9, `${p.pieceMs}`);
    for (let i = 0; i < 50; i++) p.took(0.01);
    assert.ok(p.pieceMs < 0.011, `back to short pieces: ${p.pieceMs}`);
  });
});

// Meces's bin state machine and key-group status (pure).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keyGroupStatus, nextBinState, sideOf } from './bin-machine.ts';

describe('meces > bin state machine', () => {
  it('fetch, borrow back, fetch again', () => {
    let s = nextBinState(3, 'remote', 'fetch');
    assert.equal(s, 'fetching');
    s = nextBinState(3, s, 'install');
    assert.equal(sideOf(s), 'new');
    s = nextBinState(3, s, 'borrow');
    assert.equal(sideOf(s), 'in-flight');
    s = nextBinState(3, s, 'return');
    assert.equal(s, 'borrowed');
    assert.equal(sideOf(s), 'old');
    assert.equal(nextBinState(3, s, 'background'), 'fetching');
  });

  it('an event the state does not allow names the bin, the state and what it allows', () => {
    assert.throws(() => nextBinState(7, 'remote', 'install'), /bin 7 is remote, which allows fetch or background, not install/);
    assert.throws(() => nextBinState(7, 'fetching', 'borrow'), /bin 7 is fetching/);
  });

  it('a key group at its new owner is empty, partially fetched or fetched', () => {
    assert.equal(keyGroupStatus(['remote', 'fetching']), 'empty');
    assert.equal(keyGroupStatus(['fetched', 'borrowed']), 'partial');
    assert.equal(keyGroupStatus(['fetched', 'fetched']), 'fetched');
  });
});

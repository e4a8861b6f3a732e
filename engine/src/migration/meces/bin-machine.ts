/**
 * Meces's state of one bin during a migration, as an explicit state machine (pure), and the state of a key
 * group at its new owner that follows from its bins' (the artifact's EMPTY / PARTIAL_FETCHED / FETCHED).
 *
 *   remote   --fetch | background-->  fetching  --install-->  fetched     (old owner -> new owner)
 *   fetched  --borrow-->              lending   --return-->   borrowed    (new owner -> old owner)
 *   borrowed --fetch | background-->  fetching                            (and back again)
 *
 * `fetch` is on demand (a record at the new owner needs the bin), `background` a round of the gradual fetch.
 * A bin is usable at the old owner in `remote` and `borrowed`, at the new owner in `fetched`, nowhere while
 * it is on its way. Imports errors.ts only.
 */
import { ProtocolError } from '../../errors.ts';

export type BinState = 'remote' | 'fetching' | 'fetched' | 'lending' | 'borrowed';
export type BinEvent = 'fetch' | 'background' | 'install' | 'borrow' | 'return';
/** Where a bin's state can be used now. */
export type BinSide = 'old' | 'new' | 'in-flight';

const TRANSITIONS: Readonly<Record<BinState, Partial<Record<BinEvent, BinState>>>> = {
  remote: { fetch: 'fetching', background: 'fetching' },
  fetching: { install: 'fetched' },
  fetched: { borrow: 'lending' },
  lending: { return: 'borrowed' },
  borrowed: { fetch: 'fetching', background: 'fetching' },
};

/** The state after `event`; an event the state does not allow is a protocol error naming the bin. */
export function nextBinState(bin: number, state: BinState, event: BinEvent): BinState {
  const to = TRANSITIONS[state][event];
  if (to === undefined) {
    const allowed = Object.keys(TRANSITIONS[state]).join(' or ');
    throw new ProtocolError(`meces: bin ${bin} is ${state}, which allows ${allowed}, not ${event}`);
  }
  return to;
}

export function sideOf(state: BinState): BinSide {
  if (state === 'remote' || state === 'borrowed') return 'old';
  return state === 'fetched' ? 'new' : 'in-flight';
}

export type KeyGroupStatus = 'empty' | 'partial' | 'fetched';

/** A key group at its new owner: none of its bins fetched yet, some, or all (as of now). */
export function keyGroupStatus(states: readonly BinState[]): KeyGroupStatus {
  const here = states.filter((s) => s === 'fetched').length;
  if (here === 0) return 'empty';
  return here === states.length ? 'fetched' : 'partial';
}

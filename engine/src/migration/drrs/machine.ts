/**
 * The life of one key group in a DRRS migration, as an explicit state machine with a transition table:
 *   planned -prepare-> triggered    its subscale was triggered (routers switch after its barrier)
 *   triggered -pull-> pulled        the new owner's pull came: the state is taken at the old owner, whose
 *                                   later records of it are re-routed to the new owner
 *   pulled -ship-> in-transit       copied, on the link
 *   in-transit -install-> merged    merged at the new owner: its buffered records may be processed
 *   merged -complete-> done         every channel confirmed, every buffered record processed
 * Illegal transitions throw; every transition can be observed (unit = key group). Imports errors only.
 */
import { IllegalTransitionError } from '../../errors.ts';
import type { TransitionObserver } from '../mechanism.ts';

export type DrrsPhase = 'planned' | 'triggered' | 'pulled' | 'in-transit' | 'merged' | 'done';
export type DrrsEvent = 'prepare' | 'pull' | 'ship' | 'install' | 'complete';

export const DRRS_TRANSITIONS: Readonly<Record<DrrsPhase, Readonly<Partial<Record<DrrsEvent, DrrsPhase>>>>> = {
  planned: { prepare: 'triggered' },
  triggered: { pull: 'pulled' },
  pulled: { ship: 'in-transit' },
  'in-transit': { install: 'merged' },
  merged: { complete: 'done' },
  done: {},
};

export class DrrsKeyGroupMachine {
  phase: DrrsPhase = 'planned';

  constructor(
    readonly keyGroup: number,
    private readonly observer?: TransitionObserver,
  ) {}

  apply(event: DrrsEvent): DrrsPhase {
    const next = DRRS_TRANSITIONS[this.phase][event];
    if (next === undefined) throw new IllegalTransitionError(`drrs key group ${this.keyGroup}`, this.phase, event);
    this.observer?.(this.keyGroup, this.phase, event, next);
    this.phase = next;
    return next;
  }
}

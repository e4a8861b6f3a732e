/**
 * The life of one key group in a migration, as an explicit state machine with a transition table:
 *   planned -prepare-> prepared -align-> aligned -encode-> encoding -ship-> in-transit -install-> installed
 *   aligned -replica-> in-transit (clean replicated key group: the destination restores its own replica)
 *   installed -drain-> drained
 * Illegal transitions throw; every transition can be observed (for logs and tests). Imports errors only.
 */
import { IllegalTransitionError } from '../../errors.ts';
import type { TransitionObserver } from '../mechanism.ts';

export type KeyGroupPhase = 'planned' | 'prepared' | 'aligned' | 'encoding' | 'in-transit' | 'installed' | 'drained';
export type KeyGroupEvent = 'prepare' | 'align' | 'encode' | 'ship' | 'replica' | 'install' | 'drain';

export const KEY_GROUP_TRANSITIONS: Readonly<Record<KeyGroupPhase, Readonly<Partial<Record<KeyGroupEvent, KeyGroupPhase>>>>> = {
  planned: { prepare: 'prepared' },
  prepared: { align: 'aligned' },
  aligned: { encode: 'encoding', replica: 'in-transit' },
  encoding: { ship: 'in-transit' },
  'in-transit': { install: 'installed' },
  installed: { drain: 'drained' },
  drained: {},
};

/** One key group's move from subtask `from` to subtask `to`. */
export class KeyGroupMachine {
  phase: KeyGroupPhase = 'planned';

  constructor(
    readonly keyGroup: number,
    readonly from: number,
    readonly to: number,
    private readonly observer?: TransitionObserver,
  ) {}

  apply(event: KeyGroupEvent): KeyGroupPhase {
    const next = KEY_GROUP_TRANSITIONS[this.phase][event];
    if (next === undefined) throw new IllegalTransitionError(`key group ${this.keyGroup}`, this.phase, event);
    this.observer?.(this.keyGroup, this.phase, event, next);
    this.phase = next;
    return next;
  }
}

// The key-group state machine: every transition in its table is taken and observed, every other (phase, event)
// pair throws IllegalTransitionError without changing the phase or telling the observer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IllegalTransitionError } from '../../errors.ts';
import { KEY_GROUP_TRANSITIONS, KeyGroupMachine, type KeyGroupEvent, type KeyGroupPhase } from './key-group-machine.ts';

const PHASES = Object.keys(KEY_GROUP_TRANSITIONS) as KeyGroupPhase[];
const EVENTS: KeyGroupEvent[] = ['prepare', 'align', 'encode', 'ship', 'replica', 'install', 'drain'];

/** A machine driven along `path` from 'planned'. */
function machineAt(path: readonly KeyGroupEvent[], observed: string[] = []): KeyGroupMachine {
  const m = new KeyGroupMachine(5, 0, 1, (kg, from, event, to) => observed.push(`${kg}:${from}-${event}->${to}`));
  for (const e of path) m.apply(e);
  return m;
}

/** An event path from 'planned' to each phase. */
const PATH_TO: Record<KeyGroupPhase, KeyGroupEvent[]> = {
  planned: [],
  prepared: ['prepare'],
  aligned: ['prepare', 'align'],
  encoding: ['prepare', 'align', 'encode'],
  'in-transit': ['prepare', 'align', 'encode', 'ship'],
  installed: ['prepare', 'align', 'encode', 'ship', 'install'],
  drained: ['prepare', 'align', 'encode', 'ship', 'install', 'drain'],
};

describe('migration > key-group machine', () => {
  it('follows the shipped path and the replica path, telling the observer each transition', () => {
    const observed: string[] = [];
    const m = machineAt(PATH_TO.drained, observed);
    assert.equal(m.phase, 'drained');
    assert.deepEqual(observed, [
      '5:planned-prepare->prepared',
      '5:prepared-align->aligned',
      '5:aligned-encode->encoding',
      '5:encoding-ship->in-transit',
      '5:in-transit-install->installed',
      '5:installed-drain->drained',
    ]);
    const replica = machineAt(['prepare', 'align', 'replica', 'install', 'drain']);
    assert.equal(replica.phase, 'drained');
  });

  it('every phase is reachable, and every (phase, event) pair outside the table throws IllegalTransitionError', () => {
    let illegal = 0;
    for (const phase of PHASES) {
      assert.equal(machineAt(PATH_TO[phase]).phase, phase);
      for (const event of EVENTS) {
        const observed: string[] = [];
        const m = machineAt(PATH_TO[phase], observed);
        const before = observed.length;
        const next = KEY_GROUP_TRANSITIONS[phase][event];
        if (next !== undefined) {
          assert.equal(m.apply(event), next);
          assert.equal(m.phase, next);
          continue;
        }
        illegal++;
        assert.throws(
          () => m.apply(event),
          (e: unknown) => e instanceof IllegalTransitionError && e.code === 'ILLEGAL_TRANSITION' && e.message === `key group 5: no transition from '${phase}' on '${event}'`,
          `${phase} on ${event}`,
        );
        assert.equal(m.phase, phase, 'an illegal event leaves the phase as it was');
        assert.equal(observed.length, before, 'and is not observed');
      }
    }
    assert.equal(illegal, PHASES.length * EVENTS.length - 7, 'seven legal transitions');
  });

  it('a key group cannot be installed twice, drained before its install, or shipped when restored from a replica', () => {
    assert.throws(() => machineAt([...PATH_TO.installed, 'install']), IllegalTransitionError);
    assert.throws(() => machineAt([...PATH_TO['in-transit'], 'drain']), IllegalTransitionError);
    assert.throws(() => machineAt(['prepare', 'align', 'replica', 'ship']), IllegalTransitionError);
    assert.throws(() => machineAt(['align']), /no transition from 'planned' on 'align'/);
  });
});

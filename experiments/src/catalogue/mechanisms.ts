/**
 * The migration mechanisms side by side (ours, no reference script): the micro-benchmark's fluid-study setting
 * (512 key groups shuffled over 8 tasks at 50 s of 100 s, 100 % state access, no checkpoints), one run per
 * mechanism of the registry (engine/src/migration/registry.ts) with its default options, Spacker as its
 * all-at-once (sync_keys 0) and fluid (sync_keys 1) points. A mechanism that replicates at every checkpoint
 * (Rhino) runs with the default checkpoint interval, as it would be deployed: without checkpoints it has no
 * replica. A mechanism added to the registry is a run here.
 */
import { MECHANISM_NAMES, MECHANISMS } from '../../../engine/src/index.ts';
import { CHECKPOINTS_OFF, INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec, SetValue } from './types.ts';

const JOB = 'micro-benchmark';
const BASE = { ...INIT, 'spector.replicate_keys_filter': 0, 'spacker.checkpoint.interval': CHECKPOINTS_OFF, 'spacker.workload.state_access_ratio': 100, 'spector.reconfig.affected_keys': 512 };

/** The runs for the mechanisms `names` (the registry's by default), at full scale. */
export function mechanismRunSpecs(names: readonly string[] = MECHANISM_NAMES): RunSpec[] {
  return names.flatMap((name): RunSpec[] => {
    const run = (runName: string, sets: Record<string, SetValue>): RunSpec => ({ name: runName, job: JOB, sets: { ...BASE, 'spacker.strategy': name, ...sets }, figureHints: { study: 'mechanisms', series: runName } });
    if (name === 'spacker') return [run('spacker-all-at-once', { 'spector.reconfig.sync_keys': 0 }), run('spacker-fluid', { 'spector.reconfig.sync_keys': 1 })];
    return [run(name, MECHANISMS.find((m) => m.name === name)?.replicatesAll === true ? { 'spacker.checkpoint.interval': INIT['spacker.checkpoint.interval'] } : {})];
  });
}

export const mechanisms: Experiment = {
  name: 'mechanisms',
  description: 'every registered migration mechanism on the same micro-benchmark shuffle (Spacker: all-at-once and fluid)',
  npmScript: 'exp:mechanisms',
  runs: ({ quick }) => scaled(mechanismRunSpecs(), quick),
};

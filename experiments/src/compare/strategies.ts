/**
 * The migration strategies `spacker compare` puts side by side, each as the configuration keys that select
 * it: Spacker's strategy points and the restart baseline, then every other mechanism of the registry
 * (engine/src/migration/registry.ts) with its default options; and, by name, Flink's two rescaling strategies
 * on the cluster. Every strategy migrates the same key groups at the same moment; only how differs.
 */
import { MECHANISMS } from '../../../engine/src/index.ts';
import { FLINK_RESCALE_RUNS } from '../catalogue/flink-rescale.ts';
import type { SetValue } from '../catalogue/types.ts';
import { FLINK_STRATEGIES } from '../config/keys-spacker.ts';

export interface CompareStrategy {
  readonly name: string;
  /** What the strategy does, in the words of the paper. */
  readonly doc: string;
  readonly sets: Readonly<Record<string, SetValue>>;
}

const LIVE = { 'spacker.strategy': 'spacker', 'spector.reconfig.order_function': 'default', 'spector.replicate_keys_filter': 0 } as const;

/** The strategy points of Spacker's planner and the restart baseline. */
export const SPACKER_STRATEGIES: readonly CompareStrategy[] = [
  { name: 'all-at-once', doc: 'every key group in one chunk (sync_keys 0)', sets: { ...LIVE, 'spector.reconfig.sync_keys': 0 } },
  { name: 'fluid', doc: 'one key group per source subtask per chunk (sync_keys 1)', sets: { ...LIVE, 'spector.reconfig.sync_keys': 1 } },
  { name: 'progressive', doc: 'chunks of 8 key groups per source subtask (sync_keys 8)', sets: { ...LIVE, 'spector.reconfig.sync_keys': 8 } },
  { name: 'hot-first', doc: 'chunks of 8, hottest key groups (measured rate) first', sets: { ...LIVE, 'spector.reconfig.sync_keys': 8, 'spector.reconfig.order_function': 'hot-first' } },
  { name: 'replication-50', doc: 'all at once, half of the key groups (kg % 2 == 0) replicated at every checkpoint beforehand', sets: { ...LIVE, 'spector.reconfig.sync_keys': 0, 'spector.replicate_keys_filter': 2 } },
  {
    name: 'spacker',
    doc: "Spacker's dynamic mix: chunks of 8, 50 % replicated, hottest first",
    sets: { ...LIVE, 'spector.reconfig.sync_keys': 8, 'spector.replicate_keys_filter': 2, 'spector.reconfig.order_function': 'hot-first' },
  },
  { name: 'restart', doc: 'stop the sources, drain, snapshot, redistribute, restore, resume (what Flink does)', sets: { 'spacker.strategy': 'restart' } },
];

/**
 * A strategy per registered mechanism that `existing` does not name already: `spacker.strategy` = its name,
 * its options at their defaults. A mechanism added to the registry is a strategy of `compare` with no edit here.
 */
export function mechanismStrategies(mechanisms: readonly { name: string; doc: string }[], existing: readonly CompareStrategy[]): CompareStrategy[] {
  const taken = new Set(existing.map((s) => s.name));
  return mechanisms.filter((m) => !taken.has(m.name)).map((m) => ({ name: m.name, doc: `the ${m.name} mechanism: ${m.doc}`, sets: { 'spacker.strategy': m.name } }));
}

/** The embedded engine's strategies (compare's default): Spacker's points and restart, then the registry's other mechanisms. */
export const STRATEGIES: readonly CompareStrategy[] = [...SPACKER_STRATEGIES, ...mechanismStrategies(MECHANISMS, SPACKER_STRATEGIES)];

/**
 * Flink 1.20's own rescaling on the session cluster (spacker.engine=flink, experiments/src/flink/): selected by
 * name only, for workloads whose job the Flink engine runs, under scenario rescale (plan.ts checks both).
 */
export const FLINK_COMPARE_STRATEGIES: readonly CompareStrategy[] = FLINK_STRATEGIES.map((name) => ({
  name,
  doc: name === 'flink-restart' ? 'on the Flink cluster: stop with a savepoint, resubmit at the new parallelism' : 'on the Flink cluster: the adaptive scheduler rescales in place from the latest checkpoint (PUT resource-requirements)',
  sets: FLINK_RESCALE_RUNS[name],
}));

/** Every strategy `--strategies` accepts: the embedded engine's, then Flink's. */
export const ACCEPTED_STRATEGIES: readonly CompareStrategy[] = [...STRATEGIES, ...FLINK_COMPARE_STRATEGIES];

export const isFlinkStrategy = (s: CompareStrategy): boolean => s.sets['spacker.engine'] === 'flink';

export function strategyNamed(name: string): CompareStrategy | undefined {
  return ACCEPTED_STRATEGIES.find((s) => s.name === name);
}

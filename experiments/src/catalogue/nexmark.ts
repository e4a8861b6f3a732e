/**
 * nexmark.sh (reference 5.2, `nexmark_overview`): per query, all-at-once (filter 0, sync 0), fluid (sync 1),
 * replication (filter 1, checkpoints 10 s) and Spacker (sync 8), plus the restart baseline; nexmark.sh's own
 * init (8 tasks, 32,768 key groups, 2,500 events/s per task = 20,000/s, half the key groups affected, all 8
 * tasks). The overview figures compare the static scenario's three migrations under each strategy with the
 * dynamic scenario ("Spacker", sync 8 then Spacker's switches), so the runs use those scenarios, from 10 s
 * (nexmark.sh: one shuffle at 50 s), and all runs checkpoint every 10 s so that they differ only in the strategy.
 * Q8 reads people and auctions 1 : 1 (the reference's two sources of 10,000/s each); the others the Beam mix.
 * Q7 (the DRRS paper's query) and Q8 use 10 s tumbling windows, as Flink's Nexmark.
 */
import { INIT } from './init.ts';
import { scaled } from './quick.ts';
import type { Experiment, RunSpec, SetValue } from './types.ts';

/** The queries of the family: nexmark.sh's list (1 2 5 8 11) with Q3's join in place of the stateless Q1/Q2, plus Q7. */
export const NEXMARK_FAMILY_QUERIES = ['q3', 'q5', 'q7', 'q8', 'q11'] as const;

/** Time factor of --quick: 90 s -> 2 s. */
const QUICK_TIME = 1 / 45;

export const NEXMARK_BASE: Readonly<Record<string, SetValue>> = {
  ...INIT,
  'spacker.runtime': 90,
  'spacker.rate.per_task': 2500,
  'spacker.parallelism': 8,
  'spacker.max_parallelism': 32768,
  'spacker.checkpoint.interval': 10000,
  'spector.reconfig.start': 10000,
  'spector.reconfig.affected_tasks': 8,
  'spector.reconfig.affected_keys': 16384,
  'spector.reconfig.workload.zipf_skew': 1,
};

export const NEXMARK_OPERATOR: Record<(typeof NEXMARK_FAMILY_QUERIES)[number], string> = { q3: 'join', q5: 'window', q7: 'window', q8: 'join', q11: 'window' };

export const NEXMARK_QUERY_SETS: Record<(typeof NEXMARK_FAMILY_QUERIES)[number], Record<string, SetValue>> = {
  q3: {},
  q5: {},
  q7: { 'spacker.nexmark.window_size_ms': 10000 },
  q8: { 'spacker.nexmark.person_proportion': 1, 'spacker.nexmark.auction_proportion': 1, 'spacker.nexmark.bid_proportion': 0, 'spacker.nexmark.window_size_ms': 10000 },
  q11: {},
};

const STRATEGIES: [string, string, Record<string, SetValue>][] = [
  ['spacker', 'Spacker', { 'spector.reconfig.scenario': 'dynamic', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 8 }],
  ['all-at-once', 'All-at-once', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 0 }],
  ['fluid', 'Progressive/Fluid', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 1 }],
  ['replication', 'Replication', { 'spector.reconfig.scenario': 'static', 'spector.replicate_keys_filter': 1, 'spector.reconfig.sync_keys': 0 }],
  ['restart', 'Restart', { 'spector.reconfig.scenario': 'static', 'spacker.strategy': 'restart' }],
];

export const nexmark: Experiment = {
  name: 'nexmark',
  description: 'Nexmark q3, q5, q7, q8, q11: Spacker (dynamic) vs all-at-once, fluid (sync 1), replication (filter 1), restart',
  npmScript: 'exp:nexmark',
  runs: ({ quick }) => {
    const runs: RunSpec[] = [];
    for (const query of NEXMARK_FAMILY_QUERIES) {
      for (const [name, series, sets] of STRATEGIES) {
        runs.push({
          name: `${query}-${name}`,
          job: 'nexmark',
          sets: { ...NEXMARK_BASE, 'spacker.nexmark.query': query, 'controller.target.operators': NEXMARK_OPERATOR[query], ...NEXMARK_QUERY_SETS[query], ...sets },
          figureHints: { study: 'overview', workload: `nexmark-${query}`, series },
        });
      }
    }
    return scaled(runs, quick, QUICK_TIME);
  },
};

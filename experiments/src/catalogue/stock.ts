/**
 * micro-bench-stock.sh (reference 5.2): the Stock overview. StockExchangeApp on 16 subtasks over 32,768 key
 * groups (2 KiB per account), checkpoints every second, scenario `stock` from 20 s (rescale 16 -> 4 -> 8 -> 6,
 * 10 s apart) under the script's four configurations, plus the restart baseline. The input is the seeded
 * generator (the SSE file is not public); `--set spacker.stock.file=FILE` replays a file instead. The script
 * waits 120 s per run; the migrations are over by about 45 s, so runs last 60 s.
 */
import { scaled } from './quick.ts';
import type { Experiment, RunSpec, SetValue } from './types.ts';

/** The script's own init() and the configFlink keys it substitutes. */
export const STOCK_BASE: Readonly<Record<string, SetValue>> = {
  'spacker.runtime': 60,
  'spacker.source_parallelism': 1,
  'spacker.parallelism': 16,
  'spacker.max_parallelism': 32768,
  'spacker.workload.per_key_size': 2048,
  'spacker.checkpoint.interval': 1000,
  'spacker.stock.rate': 500,
  'spacker.stock.accounts': 50_000,
  'spector.reconfig.scenario': 'stock',
  'spector.reconfig.start': 20000,
  'spector.reconfig.affected_tasks': 4,
  'spector.reconfig.order_function': 'default',
  'controller.target.operators': 'Splitter FlatMap',
  'snapshot.changelog.enabled': true,
  'policy.windowSize': 1000000000,
  'state.backend.async': false,
};

/** name, legend, replicate_keys_filter, sync_keys: the script's four runs, then restart. */
const VARIANTS: [string, string, number, number][] = [
  ['spacker', 'Spacker', 2, 512],
  ['all-at-once', 'All-at-once', 0, 0],
  ['fluid', 'Fluid', 0, 128],
  ['replication', 'Replication', 1, 0],
];

export const stock: Experiment = {
  name: 'stock',
  description: 'Stock overview: 60 s of orders, rescale 16 -> 4 -> 8 -> 6 from 20 s; Spacker (chunk 512, 50 % replicated), all-at-once, fluid (chunk 128), replication, restart',
  npmScript: 'exp:stock',
  runs: ({ quick }) => {
    const runs: RunSpec[] = VARIANTS.map(([name, series, filter, sync]) => ({
      name,
      job: 'stock',
      sets: { ...STOCK_BASE, 'spector.replicate_keys_filter': filter, 'spector.reconfig.sync_keys': sync },
      figureHints: { study: 'overview', series },
    }));
    runs.push({ name: 'restart', job: 'stock', sets: { ...STOCK_BASE, 'spector.replicate_keys_filter': 0, 'spector.reconfig.sync_keys': 0, 'spacker.strategy': 'restart' }, figureHints: { study: 'overview', series: 'Restart' } });
    return scaled(runs, quick);
  },
};

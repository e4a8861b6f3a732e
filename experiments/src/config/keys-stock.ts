/**
 * The Stock workload's `spacker.stock.*` keys: the order file to replay, or the generator's parameters (the
 * real Shanghai Stock Exchange file is not public), and whether orders are matched. Ranges are the
 * generator's (workloads/src/stock/generator.ts, GENERATOR_RANGES).
 */
import type { KeySpec } from './schema-types.ts';

export const STOCK_KEYS = {
  'spacker.stock.file': {
    kind: 'string',
    default: '',
    doc: 'stock: order file to replay (SSE format, `end` closes each 50 ms slot); empty = the seeded generator',
  },
  'spacker.stock.matching': {
    kind: 'bool',
    default: false,
    doc: 'stock: match buy and sell orders per security (MatchMaker FlatMap, price-time priority) before Splitter FlatMap',
  },
  'spacker.stock.rate': {
    kind: 'float',
    default: 500,
    min: 0.001,
    max: 100_000,
    unit: 'orders/s',
    doc: "stock generator: mean order rate over the trading day (the open runs at about 2.3x, bursts at 1.5-3x)",
  },
  'spacker.stock.securities': { kind: 'int', default: 2000, min: 1, max: 100_000, doc: 'stock generator: number of securities (zipf activity)' },
  'spacker.stock.accounts': { kind: 'int', default: 50_000, min: 1, max: 1_000_000, doc: 'stock generator: number of accounts (zipf activity)' },
  'spacker.stock.security_skew': { kind: 'float', default: 1, min: 0, max: 3, doc: 'stock generator: zipf skew of activity over securities' },
  'spacker.stock.account_skew': { kind: 'float', default: 0.8, min: 0, max: 3, doc: 'stock generator: zipf skew of activity over accounts' },
  'spacker.stock.cancel_ratio': { kind: 'float', default: 0.15, min: 0, max: 0.9, doc: 'stock generator: share of records that cancel (code D) an earlier order' },
} as const satisfies Record<string, KeySpec>;

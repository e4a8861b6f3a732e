/**
 * The Stock workload's matching on Flink (workloads/flink StockJob): the embedded job with
 * spacker.stock.matching=true up to `MatchMaker FlatMap` (Source -> keyBy(security) -> MatchMaker FlatMap;
 * the Flink job has no `Splitter FlatMap`). The same orders (generator or order file) and key groups; the
 * check compares the job's trades and books with the embedded order book on the same orders
 * (../stock-check.ts, which also says how replayed trades are counted).
 */
import { resolve } from 'node:path';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { DEFAULT_SOURCE } from '../../config/resolve.ts';
import { stockParams } from '../../jobs/stock.ts';
import { loadStockTape } from '../../../../workloads/src/stock/stock.ts';
import { describeReport } from '../../../../workloads/src/stock/order-file.ts';
import { MATCHER_OPERATOR } from '../../../../workloads/src/stock/operators.ts';
import { checkStockResults } from '../stock-check.ts';
import type { FlinkJobSpec } from './types.ts';

/** The harness keys the Flink job reads (workloads/flink StockParams.DEFAULTS); spacker.stock.file is passed when set. */
const JOB_KEYS = [
  'spacker.runtime', 'spacker.source_parallelism', 'spacker.max_parallelism', 'spacker.checkpoint.interval', 'spacker.seed',
  'spacker.stock.rate', 'spacker.stock.securities', 'spacker.stock.accounts', 'spacker.stock.security_skew',
  'spacker.stock.account_skew', 'spacker.stock.cancel_ratio',
] as const;

export const stockOnFlink: FlinkJobSpec = {
  name: 'stock',
  entryClass: 'spacker.flink.StockJob',
  operator: MATCHER_OPERATOR,
  validate(config: ResolvedConfig): void {
    if (!config.get('spacker.stock.matching')) {
      throw new InvalidConfigError('spacker.stock.matching', false, `true with spacker.engine=flink (the Flink stock job is the matching job: Source -> ${MATCHER_OPERATOR}, keyed by security)`);
    }
    const targets = config.get('controller.target.operators');
    if (config.sourceOf('controller.target.operators') !== DEFAULT_SOURCE && targets.trim() !== MATCHER_OPERATOR) {
      throw new InvalidConfigError('controller.target.operators', targets, `${MATCHER_OPERATOR} with spacker.engine=flink (the Flink stock job's only stateful operator)`);
    }
    if (config.get('spacker.source_parallelism') !== 1) {
      throw new InvalidConfigError('spacker.source_parallelism', config.get('spacker.source_parallelism'), `1 for the stock job on Flink: matching depends on each security's order arrival, which is the tape's order only from one source subtask`);
    }
    const p = stockParams(config); // the generator's ranges, naming their keys
    if (p.file !== '') {
      const { report } = loadStockTape(p);
      if (report !== undefined && report.malformedCount > 0) {
        throw new InvalidConfigError('spacker.stock.file', p.file, `an order file whose every line parses with spacker.engine=flink (the Flink job refuses malformed lines; the embedded one skips them):\n${describeReport(report)}`);
      }
    }
  },
  args(config: ResolvedConfig, parallelism: number): string[] {
    // spacker.stock.rate is the source's total rate: it does not change with the parallelism.
    const out: string[] = ['--spacker.parallelism', String(parallelism)];
    for (const key of JOB_KEYS) out.push(`--${key}`, String(config.get(key)));
    const file = config.get('spacker.stock.file');
    if (file !== '') out.push('--spacker.stock.file', resolve(file));
    return out;
  },
  check(runDir, config) {
    const { tape } = loadStockTape(stockParams(config));
    const c = checkStockResults(runDir, tape, config.get('spacker.max_parallelism'));
    return {
      expectedRecords: c.orders,
      errors: c.errors,
      report: { ...c },
      line: `matching: ${c.orders} orders, ${c.expectedTrades} trades expected, ${c.tradeLines} written (replayed ${c.replayedTrades}), missing ${c.missingTrades}, wrong ${c.wrongTrades}; books: ${c.securities} securities, missing ${c.missingBooks}, wrong ${c.wrongBooks}; savepoint dumps ${c.savepoints.length}, wrong books ${c.wrongSavepointBooks}`,
    };
  },
  params(config) {
    const p = stockParams(config);
    return { ...p, measured: MATCHER_OPERATOR, ...(p.file === '' ? {} : { file: resolve(p.file) }) };
  },
};

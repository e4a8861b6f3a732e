/**
 * The Stock job from configuration: the `spacker.stock.*` keys (file or generator, matching) plus the job
 * shape keys, mapped onto the workload's parameters. The order file is read here, before anything is
 * written: a missing file is an error naming the path; malformed lines are skipped and reported (BuiltJob.notes).
 */
import { InvalidConfigError } from '../../../engine/src/index.ts';
import { buildStock, loadStockTape, type StockParams } from '../../../workloads/src/stock/stock.ts';
import { describeReport } from '../../../workloads/src/stock/order-file.ts';
import { SESSION_S, checkGeneratorParams } from '../../../workloads/src/stock/generator.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { BuiltJob } from '../run/run-job.ts';

/** The configuration key of each generator parameter, for error messages. */
const GENERATOR_KEYS = {
  seed: 'spacker.seed',
  durationS: 'spacker.runtime',
  rate: 'spacker.stock.rate',
  securities: 'spacker.stock.securities',
  accounts: 'spacker.stock.accounts',
  securitySkew: 'spacker.stock.security_skew',
  accountSkew: 'spacker.stock.account_skew',
  cancelRatio: 'spacker.stock.cancel_ratio',
} as const;

export function stockParams(config: ResolvedConfig): StockParams {
  const targets = config.get('controller.target.operators').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const p: StockParams = {
    runtimeS: config.get('spacker.runtime'),
    parallelism: config.get('spacker.parallelism'),
    sourceParallelism: config.get('spacker.source_parallelism'),
    maxParallelism: config.get('spacker.max_parallelism'),
    perKeySize: config.get('spacker.workload.per_key_size'),
    busyWorkMs: config.get('spacker.workload.busy_work_ms'),
    matching: config.get('spacker.stock.matching'),
    file: config.get('spacker.stock.file'),
    generator: {
      seed: config.get('spacker.seed'),
      rate: config.get('spacker.stock.rate'),
      securities: config.get('spacker.stock.securities'),
      accounts: config.get('spacker.stock.accounts'),
      securitySkew: config.get('spacker.stock.security_skew'),
      accountSkew: config.get('spacker.stock.account_skew'),
      cancelRatio: config.get('spacker.stock.cancel_ratio'),
    },
    measured: targets.length === 1 ? targets[0] : undefined,
  };
  if (p.file === '') {
    if (p.runtimeS > SESSION_S) throw new InvalidConfigError('spacker.runtime', p.runtimeS, `at most ${SESSION_S} s (one trading session) with the stock generator; replay a file (spacker.stock.file) for longer runs`);
    checkGeneratorParams({ ...p.generator, durationS: p.runtimeS }, GENERATOR_KEYS);
  }
  return p;
}

export function buildStockJob(config: ResolvedConfig): BuiltJob {
  const params = stockParams(config);
  const loaded = loadStockTape(params);
  const report = loaded.report;
  const { graph, operator, totalRecords } = buildStock(params, loaded);
  const input =
    report === undefined
      ? { source: 'generator', records: totalRecords }
      : { source: 'file', path: report.path, records: report.records, slots: report.slots, skipped: report.skipped, malformed: report.malformedCount, malformedLines: report.malformed.map((m) => `${m.line}: ${m.reason}`) };
  const notes = report !== undefined && report.malformedCount > 0 ? [describeReport(report)] : [];
  return { graph, operator, totalRecords, workload: { name: 'stock', params: { ...params, input } }, notes };
}

/** A readable run name: where the orders come from and what the job does. */
export function stockRunName(p: StockParams): string {
  const source = p.file === '' ? `gen${p.generator.rate}` : 'file';
  return ['stock', source, `p${p.parallelism}`, `mp${p.maxParallelism}`, `size${p.perKeySize}`, p.matching ? 'matching' : 'latest'].join('-');
}

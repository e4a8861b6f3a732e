/**
 * `spacker stock-data --out FILE [--seed S] [--duration SEC] [--rate R] ...`: writes a generated order file
 * in the Shanghai Stock Exchange format the Stock workload replays (`spacker.stock.file`). Every parameter
 * is checked before anything is written; an error names the option and its allowed range.
 */
import type { CommandModule } from 'yargs';
import { GENERATOR_DEFAULTS, StockGenerator, checkGeneratorParams, type GeneratorParams } from '../../../../workloads/src/stock/generator.ts';
import { writeOrderFile } from '../../../../workloads/src/stock/order-file.ts';

interface StockDataArgs {
  out: string;
  seed: number;
  duration: number;
  rate: number;
  securities: number;
  accounts: number;
  'security-skew': number;
  'account-skew': number;
  'cancel-ratio': number;
}

/** The option of each generator parameter, for error messages. */
const OPTIONS: Record<keyof GeneratorParams, string> = {
  seed: '--seed',
  durationS: '--duration',
  rate: '--rate',
  securities: '--securities',
  accounts: '--accounts',
  securitySkew: '--security-skew',
  accountSkew: '--account-skew',
  cancelRatio: '--cancel-ratio',
};

export const stockDataCommand: CommandModule<object, StockDataArgs> = {
  command: 'stock-data',
  describe: 'write a generated order file (SSE format) for the stock job (spacker.stock.file)',
  builder: (y) =>
    y
      .option('out', { type: 'string', demandOption: true, describe: 'file to write' })
      .option('seed', { type: 'number', default: GENERATOR_DEFAULTS.seed, describe: 'seed; the same seed and parameters give the same file' })
      .option('duration', { type: 'number', default: GENERATOR_DEFAULTS.durationS, describe: 'seconds of trading from 09:30:00 (1..14400)' })
      .option('rate', { type: 'number', default: GENERATOR_DEFAULTS.rate, describe: 'mean orders per second over the trading day' })
      .option('securities', { type: 'number', default: GENERATOR_DEFAULTS.securities, describe: 'number of securities' })
      .option('accounts', { type: 'number', default: GENERATOR_DEFAULTS.accounts, describe: 'number of accounts' })
      .option('security-skew', { type: 'number', default: GENERATOR_DEFAULTS.securitySkew, describe: 'zipf skew of activity over securities' })
      .option('account-skew', { type: 'number', default: GENERATOR_DEFAULTS.accountSkew, describe: 'zipf skew of activity over accounts' })
      .option('cancel-ratio', { type: 'number', default: GENERATOR_DEFAULTS.cancelRatio, describe: 'share of records that cancel an earlier order' })
      .example('$0 stock-data --out sse-2min.txt --duration 120 --rate 500', ''),
  handler: (args) => {
    const params: GeneratorParams = {
      seed: args.seed,
      durationS: args.duration,
      rate: args.rate,
      securities: args.securities,
      accounts: args.accounts,
      securitySkew: args['security-skew'],
      accountSkew: args['account-skew'],
      cancelRatio: args['cancel-ratio'],
    };
    checkGeneratorParams(params, OPTIONS);
    const t0 = performance.now();
    const w = writeOrderFile(args.out, new StockGenerator(params));
    console.log(`${w.path}: ${w.lines} order lines in ${w.slots} slots of 50 ms, ${(w.bytes / 2 ** 20).toFixed(1)} MiB, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  },
};

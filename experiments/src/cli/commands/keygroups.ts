// `spacker keygroups --max-parallelism M --parallelism P KEY...`: prints, as CSV, the Flink key group of each
// key (hashed as a Java String) and the subtask that owns it under Flink's initial contiguous assignment.
import type { Argv, CommandModule } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { InvalidConfigError, keyGroupOf, operatorIndexOf } from '../../../../engine/src/index.ts';

/** Flink's upper bound for maxParallelism (`Short.MAX_VALUE + 1`). */
export const MAX_MAX_PARALLELISM = 32768;

interface KeygroupsArgs {
  keys: string[] | undefined;
  'max-parallelism': string;
  parallelism: string;
}

/** Parses a decimal integer option in `min..max`, or throws InvalidConfigError naming the option. */
function integerOption(name: string, raw: unknown, min: number, max: number, allowed: string): number {
  if (Array.isArray(raw)) throw new InvalidConfigError(`--${name}`, raw.map(String).join(' and '), `${allowed}, given once`);
  const text = String(raw).trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidConfigError(`--${name}`, raw, allowed);
  if (value < min || value > max) throw new InvalidConfigError(`--${name}`, value, allowed);
  return value;
}

export const keygroupsCommand: CommandModule<object, KeygroupsArgs> = {
  // Optional for yargs: keys given only after `--` are not counted as positionals (the handler checks there is one).
  command: 'keygroups [keys..]',
  describe: 'Print the Flink key group and initial subtask of each key (keys hash as Java strings), as CSV',
  builder: (yargs: Argv) =>
    yargs
      // Keys after `--` must stay exactly as typed (no "1e3" -> 1000); main.ts sets no parser options of its own.
      .parserConfiguration({ 'parse-positional-numbers': false })
      .positional('keys', { type: 'string', array: true, describe: "keys, hashed as Java strings; put keys starting with '-' after --" })
      .option('max-parallelism', {
        type: 'string',
        demandOption: true,
        describe: `number of key groups, integer 1..${MAX_MAX_PARALLELISM}`,
      })
      .option('parallelism', {
        type: 'string',
        demandOption: true,
        describe: 'number of subtasks, integer 1..max-parallelism',
      }),
  handler: (argv) => {
    const mp = integerOption('max-parallelism', argv['max-parallelism'], 1, MAX_MAX_PARALLELISM, `an integer in 1..${MAX_MAX_PARALLELISM}`);
    const p = integerOption('parallelism', argv.parallelism, 1, mp, `an integer in 1..${mp} (the max parallelism)`);
    // Keys after `--` (for keys that start with '-') land in `_`, after the command name.
    const keys = [...(argv.keys ?? []), ...argv._.slice(1)].map(String);
    if (keys.length === 0) throw new InvalidConfigError('KEY', '(none)', "at least one key (keys starting with '-' after --)");
    const rows = keys.map((key) => {
      const keyGroup = keyGroupOf(key, mp);
      return [key, keyGroup, operatorIndexOf(keyGroup, mp, p)];
    });
    console.log(stringify(rows, { header: true, columns: ['key', 'keyGroup', 'subtask'] }).replace(/\n$/, ''));
  },
};

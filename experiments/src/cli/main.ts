/**
 * The `spacker` command line (yargs). Each command lives in `commands/<name>.ts` and exports a yargs
 * CommandModule; this file only registers them and turns errors into one clear line and an exit code.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EngineError } from '../../../engine/src/index.ts';
import { commands } from './commands/index.ts';

export async function main(argv: string[]): Promise<number> {
  let cli = yargs(argv)
    .scriptName('spacker')
    .strict()
    .demandCommand(1, 'name a command; see --help')
    .recommendCommands()
    .help()
    .version(false)
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const command of commands) cli = cli.command(command);
  try {
    await cli.parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof EngineError || (err instanceof Error && err.name === 'YError')) {
      console.error(`spacker: ${err.message}`);
      return 2;
    }
    console.error(err);
    return 1;
  }
}

/** A command line that yargs rejected (unknown command or option, missing argument). */
class UsageError extends Error {}

const isEntry = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntry) {
  process.exitCode = await main(hideBin(process.argv));
}

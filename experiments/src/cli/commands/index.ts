/** The registry of CLI commands, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import { compareCommand } from './compare.ts';
import { generateCommand } from './generate.ts';
import { keygroupsCommand } from './keygroups.ts';
import { reconfigureCommand, statusCommand } from './control-plane.ts';
import { jobCommand } from './job.ts';
import { listCommand } from './list.ts';
import { runCommand } from './run.ts';
import { stockDataCommand } from './stock-data.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  runCommand,
  compareCommand,
  listCommand,
  jobCommand,
  keygroupsCommand,
  stockDataCommand,
  generateCommand,
  reconfigureCommand,
  statusCommand,
];

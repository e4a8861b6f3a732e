/**
 * `spacker run <experiment> [--profile P] [--set key=value ...] [--quick] [--repeat N] [--resume] [--out DIR]`:
 * runs one experiment family. Every run's configuration is resolved and validated before the first starts;
 * Ctrl-C marks the current run failed and stops the sweep. Ends with the family table (also table.csv/.json).
 */
import type { CommandModule } from 'yargs';
import { localKafka } from '../../io/local-services.ts';
import { EXPERIMENTS } from '../../catalogue/index.ts';
import { DEFAULT_PROFILE, listProfiles } from '../../config/profile.ts';
import { planSweep } from '../../sweep/plan.ts';
import { formatTable } from '../../sweep/table.ts';
import { finishSweep, runPlannedSweep } from '../sweep-command.ts';

interface RunArgs {
  experiment: string;
  profile: string;
  set: string[];
  quick: boolean;
  repeat: string;
  resume: boolean;
  out: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <experiment>',
  describe: 'run an experiment family (see `list`) and print its table',
  builder: (y) =>
    y
      .positional('experiment', { type: 'string', demandOption: true, describe: `experiment: ${EXPERIMENTS.map((e) => e.name).join(', ')}` })
      .option('profile', { type: 'string', default: DEFAULT_PROFILE, describe: `configuration profile under flink-conf/ (${listProfiles().join(', ')})` })
      .option('set', { type: 'string', array: true, default: [], describe: 'configuration override key=value for every run (repeatable; wins over the experiment)' })
      .option('quick', { type: 'boolean', default: false, describe: 'scaled down: time and rates x0.1, keys /8, state per key /16' })
      .option('repeat', { type: 'string', default: '1', describe: 'run each run N times (folders <run>-r1 ...); the table gives mean ± 95 % CI' })
      .option('resume', { type: 'boolean', default: false, describe: 'skip runs whose complete folder exists (failed ones run again)' })
      .option('out', { type: 'string', default: 'results', describe: 'results root; runs go to <out>/<experiment>/<run>' })
      .example('$0 run micro-bench --quick', '')
      .example('$0 run micro-bench-order --profile conf-local --set spacker.seed=7 --repeat 3', ''),
  handler: async (args) => {
    const plan = planSweep({ experiment: args.experiment, profile: args.profile, sets: args.set, quick: args.quick, repeat: args.repeat, resume: args.resume, out: args.out });
    // A family that needs Kafka finds its broker before the first run, or says how to start one.
    if (plan.experiment.requires?.includes('kafka')) for (const r of plan.runs) if (r.config.get('spacker.kafka.brokers') === '') localKafka('spacker.kafka.brokers');
    const result = await runPlannedSweep(plan);
    for (const run of result.abandoned) console.log(`marked failed (left by an earlier, killed process): ${run}`);
    console.log(formatTable(`${plan.experiment.name}${plan.quick ? ' (--quick)' : ''}: ${plan.dir}`, result.table));
    finishSweep(plan, result, '--resume runs them again');
  },
};

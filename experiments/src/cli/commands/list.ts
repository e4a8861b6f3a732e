/** `spacker list [--quick]`: the experiment families, their runs and their expected duration. */
import type { CommandModule } from 'yargs';
import { EXPERIMENTS } from '../../catalogue/index.ts';
import { planSweep, expectedSeconds } from '../../sweep/plan.ts';

interface ListArgs {
  quick: boolean;
  profile?: string;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'list the experiments, their runs and expected durations',
  builder: (y) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: 'durations of the --quick versions' })
      .option('profile', { type: 'string', describe: 'profile to resolve the runs with (default conf-server)' }),
  handler: (args) => {
    for (const e of EXPERIMENTS) {
      // resume: list must not refuse because results exist; the out folder is only checked, never written
      const plan = planSweep({ experiment: e.name, quick: args.quick, profile: args.profile, resume: true });
      const seconds = plan.runs.reduce((n, r) => n + expectedSeconds(r.config), 0);
      console.log(`${e.name}  (npm run ${e.npmScript}; ${plan.runs.length} runs, about ${formatDuration(seconds)}${args.quick ? ' with --quick' : ''})`);
      console.log(`  ${e.description}`);
      console.log(`  runs: ${plan.runs.map((r) => `${r.folder} (${r.config.get('spacker.runtime')} s)`).join(', ')}`);
    }
  },
};

function formatDuration(s: number): string {
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * `spacker compare [--workloads LIST] [--strategies LIST] [--scenario NAME] [--quick] [--repeat N] [--out DIR]`:
 * which migration strategy for which workload. Runs every workload x strategy cell (same migration for every
 * strategy of a workload) into `<out>/compare/<workload>--<strategy>/`, prints a strategy x workload table per
 * metric and the recommended strategy per workload and goal, writes matrix.csv / matrix.json, and draws the
 * heat-maps and trade-off scatter into `<out>/figures/compare-*`. Everything is checked before the first run.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { compareCells, recommend } from '../../../../analysis/src/compute/compare.ts';
import { readOurRun } from '../../../../analysis/src/read/run-folder.ts';
import { generateFigures } from '../../../../analysis/src/render/generate.ts';
import { compareExperiment, parseSelection } from '../../compare/plan.ts';
import { formatMatrix, formatRecommendations, writeMatrix } from '../../compare/matrix.ts';
import { FLINK_COMPARE_STRATEGIES, STRATEGIES } from '../../compare/strategies.ts';
import { COMPARE_WORKLOADS } from '../../compare/workloads.ts';
import { DEFAULT_PROFILE, listProfiles } from '../../config/profile.ts';
import { planSweep } from '../../sweep/plan.ts';
import { finishSweep, runPlannedSweep } from '../sweep-command.ts';

interface CompareArgs {
  workloads?: string;
  strategies?: string;
  scenario?: string;
  profile: string;
  set: string[];
  quick: boolean;
  repeat: string;
  resume: boolean;
  out: string;
  figures: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'run every strategy on every workload with the same migration; print the matrix per metric and the recommended strategy',
  builder: (y) =>
    y
      .option('workloads', { type: 'string', describe: `comma-separated, default all: ${COMPARE_WORKLOADS.map((w) => w.name).join(', ')}` })
      .option('strategies', { type: 'string', describe: `comma-separated, default all of: ${STRATEGIES.map((s) => s.name).join(', ')}; also, on the Flink cluster for the micro-benchmark under scenario rescale: ${FLINK_COMPARE_STRATEGIES.map((s) => s.name).join(', ')}` })
      .option('scenario', { type: 'string', describe: 'spector.reconfig.scenario for every workload (default: each workload\'s own)' })
      .option('profile', { type: 'string', default: DEFAULT_PROFILE, describe: `configuration profile under flink-conf/ (${listProfiles().join(', ')})` })
      .option('set', { type: 'string', array: true, default: [], describe: 'configuration override key=value for every run (repeatable)' })
      .option('quick', { type: 'boolean', default: false, describe: 'scaled down as the families\' --quick (time and rates x0.1, keys /8, state per key /16)' })
      .option('repeat', { type: 'string', default: '1', describe: 'run each cell N times; tables give mean ± 95 % CI' })
      .option('resume', { type: 'boolean', default: false, describe: 'skip cells whose complete run folder exists' })
      .option('out', { type: 'string', default: 'results', describe: 'results root: runs in <out>/compare/, figures in <out>/figures/' })
      .option('figures', { type: 'boolean', default: true, describe: 'draw the heat-maps and the trade-off scatter (--no-figures to skip)' })
      .example('$0 compare --quick', 'every workload and strategy, scaled down')
      .example('$0 compare --workloads micro-benchmark --strategies all-at-once,fluid,restart --repeat 3', '')
      .example('$0 compare --workloads micro-benchmark --strategies fluid,all-at-once,flink-restart,flink-rescale', 'the rescale on the Flink cluster next to the embedded engine'),
  handler: async (args) => {
    const selection = parseSelection({ workloads: args.workloads, strategies: args.strategies, scenario: args.scenario });
    const plan = planSweep({ experiment: compareExperiment(selection), profile: args.profile, sets: args.set, quick: args.quick, repeat: args.repeat, resume: args.resume, out: args.out });
    const result = await runPlannedSweep(plan);
    for (const run of result.abandoned) console.log(`marked failed (left by an earlier, killed process): ${run}`);
    const runs = plan.runs.map((r) => join(plan.dir, r.folder)).filter((dir) => existsSync(dir)).map((dir) => readOurRun(dir));
    const workloads = selection.workloads.map((w) => w.name);
    const strategies = selection.strategies.map((s) => s.name);
    const cells = compareCells(runs, { workloads, strategies });
    const recs = recommend(cells);
    writeMatrix(plan.dir, cells, recs);
    console.log(`compare${plan.quick ? ' (--quick)' : ''}: ${plan.dir}\n`);
    console.log(formatMatrix(cells, workloads, strategies));
    console.log(formatRecommendations(recs));
    console.log(`\nmatrix: ${join(plan.dir, 'matrix.csv')}, ${join(plan.dir, 'matrix.json')}`);
    if (args.figures && runs.length > 0) {
      const out = resolve(args.out, 'figures');
      const index = await generateFigures({
        results: resolve(args.out),
        out,
        only: (def) => def.family === 'compare',
        writeIndex: false,
        onProgress: (def, i, total, status) => console.error(`figures: ${i + 1}/${total} ${def.id}: ${status}`),
      });
      console.log(`figures: ${index.figures.map((f) => join(out, f.files.png)).join(', ')}`);
    }
    finishSweep(plan, result, '--resume runs them again');
  },
};

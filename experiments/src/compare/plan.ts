/**
 * A comparison as an experiment: one run per workload x strategy, every run of a workload with the same
 * configuration and migration but the strategy's keys. The selection (--workloads, --strategies, --scenario) is
 * checked here, before the sweep resolves and validates every run.
 */
import { InvalidConfigError } from '../../../engine/src/index.ts';
import { scaled } from '../catalogue/quick.ts';
import type { Experiment, RunSpec } from '../catalogue/types.ts';
import { COMPARE_WORKLOADS, compareWorkloadNamed, type CompareWorkload } from './workloads.ts';
import { ACCEPTED_STRATEGIES, STRATEGIES, isFlinkStrategy, strategyNamed, type CompareStrategy } from './strategies.ts';
import { flinkJobSpec } from '../flink/jobs/index.ts';

export const COMPARE_EXPERIMENT = 'compare';
/** Time factor of --quick (the families use 0.1): 20 s runs last 4 s, with the migration at 2 s. */
const QUICK_TIME = 0.2;

export interface CompareSelection {
  workloads: readonly CompareWorkload[];
  strategies: readonly CompareStrategy[];
  /** The scenario every workload migrates under; undefined = each workload's default. */
  scenario?: string;
}

/**
 * Splits a comma-separated list (absent: `defaults`); an empty list or item, an item not in `all`, or an item
 * listed twice, is an error naming the option.
 */
function parseList<T>(option: string, text: string | undefined, all: readonly T[], named: (n: string) => T | undefined, nameOf: (t: T) => string, defaults: readonly T[] = all): T[] {
  const allowed = `a comma-separated list of: ${all.map(nameOf).join(', ')}`;
  if (text === undefined) return [...defaults];
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new InvalidConfigError(option, text, `${allowed} (no empty items)`);
  const out: T[] = [];
  for (const item of items) {
    const t = named(item);
    if (t === undefined) throw new InvalidConfigError(option, item, allowed);
    if (out.includes(t)) throw new InvalidConfigError(option, text, `${allowed}, each at most once (${item} is listed twice)`);
    out.push(t);
  }
  return out;
}

/**
 * The selection from the command line: lists default to every workload / strategy.
 * @throws InvalidConfigError naming the option, the value and what is allowed.
 */
export function parseSelection(opts: { workloads?: string; strategies?: string; scenario?: string }): CompareSelection {
  const workloads = parseList('--workloads', opts.workloads, COMPARE_WORKLOADS, compareWorkloadNamed, (w) => w.name);
  const strategies = parseList('--strategies', opts.strategies, ACCEPTED_STRATEGIES, strategyNamed, (s) => s.name, STRATEGIES);
  let scenario = opts.scenario?.trim();
  const flink = strategies.filter(isFlinkStrategy).map((s) => s.name);
  if (flink.length > 0) {
    // Flink's strategies run the job on the cluster: only workloads whose job it runs, only a rescale.
    // Its job on Flink, and a rescale the embedded strategies of the same workload run too.
    const onFlink = (w: CompareWorkload): boolean => flinkJobSpec(w.job) !== undefined && w.scenarios.includes('rescale');
    const runnable = COMPARE_WORKLOADS.filter(onFlink).map((w) => w.name);
    const not = workloads.filter((w) => !onFlink(w)).map((w) => w.name);
    if (not.length > 0) {
      throw new InvalidConfigError('--strategies', flink.join(','), `strategies for the selected workloads: ${flink.join(' and ')} run on the Flink cluster, for workload(s) ${runnable.join(', ')} only, not ${not.join(', ')} (choose --workloads ${runnable.join(',')}, or leave ${flink.join(' and ')} out)`);
    }
    if (scenario !== undefined && scenario !== 'rescale') {
      throw new InvalidConfigError('--scenario', scenario, `rescale with ${flink.join(' and ')} (Flink rescales the whole key-group range; every strategy of a workload migrates alike)`);
    }
    scenario = 'rescale';
  }
  if (scenario !== undefined) {
    for (const w of workloads) {
      if (!w.scenarios.includes(scenario)) throw new InvalidConfigError('--scenario', scenario, `a scenario every selected workload can run; ${w.name} runs: ${w.scenarios.join(', ')}`);
    }
  }
  return { workloads, strategies, scenario };
}

/** Folder name of a cell's run: `<workload>--<strategy>`. */
export const cellRunName = (workload: string, strategy: string): string => `${workload}--${strategy}`;

/** The comparison as an experiment the sweep runs (runs ordered workload by workload). */
export function compareExperiment(sel: CompareSelection): Experiment {
  return {
    name: COMPARE_EXPERIMENT,
    description: `strategies ${sel.strategies.map((s) => s.name).join(', ')} on ${sel.workloads.map((w) => w.name).join(', ')}`,
    npmScript: 'compare',
    runs: ({ quick }) => {
      const runs: RunSpec[] = [];
      for (const w of sel.workloads) {
        const scenario = sel.scenario ?? w.scenarios[0];
        for (const s of sel.strategies) {
          runs.push({
            name: cellRunName(w.name, s.name),
            job: w.job,
            sets: { ...w.sets, ...w.scenarioSets?.[scenario], ...s.sets, 'spector.reconfig.scenario': scenario, 'spacker.compare.workload': w.name, 'spacker.compare.strategy': s.name },
            figureHints: { study: 'compare', series: s.name },
          });
        }
      }
      // --quick keeps a fifth of the time (not a tenth): a steady second before the migration is the baseline
      // of the throughput dip.
      return scaled(runs, quick, QUICK_TIME);
    },
  };
}

/**
 * The spacker.engine=flink runs of a sweep (issue 18): before the first run of the sweep, every Flink run's jar
 * and cluster are looked for and the cluster's free slots counted (too few is one error naming the runs and
 * what they need, before anything runs); then each runs through runFlinkJob like any run of the family.
 * Imports the Flink run modules; nothing below the sweep imports this.
 */
import { flinkPlan, type FlinkPlan } from '../flink/flink-plan.ts';
import { runFlinkJob, type FlinkRunSummary } from '../flink/flink-run.ts';
import { FlinkRest, FlinkRestError } from '../io/flink/rest-client.ts';
import type { JobProgress } from '../run/run-job.ts';
import type { PlannedRun } from './plan.ts';

/** Whether a planned run runs on the Flink cluster. */
export const isFlinkRun = (run: PlannedRun): boolean => run.config.get('spacker.engine') === 'flink';

/** Slots a Flink run takes at its widest: the stateful vertex before and after the rescale, or the sources. */
export function slotsNeeded(plan: Pick<FlinkPlan, 'parallelism' | 'sourceParallelism' | 'rescale'>): number {
  return Math.max(plan.parallelism, plan.rescale?.to ?? 0, plan.sourceParallelism);
}

/**
 * The Flink plans of `runs` (by run), after checking that the jar is there and that every cluster answers with
 * enough free slots for the widest of its runs (the runs go one after the other).
 * @throws IoError / InvalidConfigError (the jar, spacker.flink.rest) or FlinkRestError (down, too few slots).
 */
export async function prepareFlinkRuns(runs: readonly PlannedRun[]): Promise<Map<PlannedRun, FlinkPlan>> {
  const plans = new Map<PlannedRun, FlinkPlan>();
  for (const run of runs) if (isFlinkRun(run)) plans.set(run, flinkPlan(run.config, run.spec.job));
  const byCluster = new Map<string, [PlannedRun, FlinkPlan][]>();
  for (const [run, plan] of plans) byCluster.set(plan.restUrl, [...(byCluster.get(plan.restUrl) ?? []), [run, plan]]);
  for (const [url, list] of byCluster) {
    const overview = await new FlinkRest(url, { timeoutMs: 10_000 }).overview().catch((err: unknown) => {
      throw new FlinkRestError(`the Flink cluster at ${url} (spacker.flink.rest) does not answer (${(err as Error).message}); start one with 'npm run services -- flink up --task-managers 2 --slots 2'`, undefined, [], { cause: err });
    });
    const [widest, plan] = list.reduce((a, b) => (slotsNeeded(b[1]) > slotsNeeded(a[1]) ? b : a));
    const needed = slotsNeeded(plan);
    if (overview['slots-available'] < needed) {
      throw new FlinkRestError(
        `the Flink cluster at ${url} has ${overview['slots-available']} free slot(s) of ${overview['slots-total']}; run ${widest.folder} needs ${needed} ` +
          `(spacker.parallelism ${plan.parallelism}${plan.rescale === undefined ? '' : ` -> ${plan.rescale.to}`}, spacker.source_parallelism ${plan.sourceParallelism}); ` +
          `nothing ran: start a cluster with more slots ('npm run services -- flink up --task-managers 2 --slots 2' has 4) or stop the jobs holding them`,
      );
    }
  }
  return plans;
}

/** Runs one Flink run of a sweep into `<dir>/<run.folder>`; progress in the sweep's terms. */
export async function runFlinkRun(input: { dir: string; run: PlannedRun; plan: FlinkPlan; signal?: AbortSignal; onProgress?: (p: JobProgress) => void }): Promise<FlinkRunSummary> {
  const { run, plan } = input;
  const { summary } = await runFlinkJob({
    resultsParent: input.dir,
    runName: run.folder,
    config: run.config,
    plan,
    workload: { name: run.spec.job, params: plan.job.params(run.config) },
    signal: input.signal,
    onProgress: (p) => input.onProgress?.({ ...p, records: 0, totalRecords: 0, stateBytes: 0 }),
  });
  return summary;
}

/**
 * Runs a planned sweep, one run after another, each into `<out>/<experiment>/<folder>` through runJob (a
 * temporary folder renamed when complete, `.failed` otherwise). Temporary folders left by a killed sweep are
 * marked failed first. With `resume`, complete runs are skipped (their summaries still feed the table). A
 * failed run is recorded and the sweep goes on; an abort marks the current run failed and stops the sweep.
 * spacker.engine=flink runs go through runFlinkJob (flink-runs.ts); their jar and cluster are checked before
 * the first run, and one whose own check found errors (a key lost or reset) counts as failed (its folder stays).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FAILED_SUFFIX } from '../results/run-folder.ts';
import { runJob, type JobProgress } from '../run/run-job.ts';
import type { RunSummary } from '../run/summary.ts';
import type { PlannedRun, SweepPlan } from './plan.ts';
import { markAbandonedRuns } from './recover.ts';
import { prepareFlinkRuns, runFlinkRun } from './flink-runs.ts';
import { buildTable, writeTable, type RunResult, type TableRow } from './table.ts';

export interface SweepHooks {
  signal?: AbortSignal;
  /** A run starts (index in plan.runs). */
  onRunStart?: (run: PlannedRun, index: number) => void;
  onProgress?: (run: PlannedRun, p: JobProgress) => void;
  /** A note of the run's job about its input (BuiltJob.notes). */
  onNote?: (run: PlannedRun, note: string) => void;
  onRunEnd?: (run: PlannedRun, index: number, outcome: 'complete' | 'skipped' | 'failed', error?: unknown) => void;
}

export interface SweepResult {
  /** Runs found complete and skipped (--resume). */
  skipped: string[];
  completed: string[];
  failed: { folder: string; error: unknown }[];
  /** Set when the sweep was aborted; runs after the current one did not start. */
  interrupted: boolean;
  /** Runs marked failed because an earlier process died while writing them. */
  abandoned: string[];
  table: TableRow[];
}

export async function runSweep(plan: SweepPlan, hooks: SweepHooks = {}): Promise<SweepResult> {
  const flinkPlans = await prepareFlinkRuns(plan.runs.filter((r) => !(plan.resume && existsSync(join(plan.dir, r.folder)))));
  mkdirSync(plan.dir, { recursive: true });
  const result: SweepResult = { skipped: [], completed: [], failed: [], interrupted: false, abandoned: markAbandonedRuns(plan.dir), table: [] };
  const results: RunResult[] = [];
  for (const [index, run] of plan.runs.entries()) {
    if (hooks.signal?.aborted) {
      result.interrupted = true;
      break;
    }
    const finalDir = join(plan.dir, run.folder);
    if (plan.resume && existsSync(finalDir)) {
      const summary = readSummary(finalDir);
      if (summary !== undefined) results.push({ run: run.run, folder: run.folder, summary });
      result.skipped.push(run.folder);
      hooks.onRunEnd?.(run, index, 'skipped');
      continue;
    }
    hooks.onRunStart?.(run, index);
    try {
      const flink = flinkPlans.get(run);
      let summary: RunResult['summary'];
      let errors: readonly string[] = [];
      if (flink !== undefined) {
        const s = await runFlinkRun({ dir: plan.dir, run, plan: flink, signal: hooks.signal, onProgress: (p) => hooks.onProgress?.(run, p) });
        summary = s;
        errors = s.errors;
      } else {
        const job = run.job.build(run.config);
        for (const note of job.notes ?? []) hooks.onNote?.(run, note);
        ({ summary } = await runJob({
          resultsParent: plan.dir,
          runName: run.folder,
          config: run.config,
          job,
          rebuild: (config) => run.job.build(config),
          onProgress: (p) => hooks.onProgress?.(run, p),
          signal: hooks.signal,
        }));
      }
      rmSync(`${finalDir}${FAILED_SUFFIX}`, { recursive: true, force: true }); // an earlier failed attempt
      results.push({ run: run.run, folder: run.folder, summary });
      // A Flink run whose own check found a key lost or reset: complete, but its data cannot be trusted.
      if (errors.length > 0) throw new Error(`the Flink job's own check: ${errors.join('; ')} (${finalDir})`);
      result.completed.push(run.folder);
      hooks.onRunEnd?.(run, index, 'complete');
    } catch (error) {
      result.failed.push({ folder: run.folder, error });
      hooks.onRunEnd?.(run, index, 'failed', error);
      if (hooks.signal?.aborted) {
        result.interrupted = true;
        break;
      }
    }
  }
  result.table = buildTable(results);
  writeTable(plan.dir, result.table);
  return result;
}

function readSummary(dir: string): RunSummary | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
  } catch {
    return undefined;
  }
}

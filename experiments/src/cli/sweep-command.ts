/**
 * What `run` and `compare` share: running a planned sweep with progress bars and Ctrl-C handling (the current
 * run is marked failed, earlier runs stay complete), and turning its failures into one error at the end.
 */
import { EngineError } from '../../../engine/src/index.ts';
import type { SweepPlan } from '../sweep/plan.ts';
import { runSweep, type SweepResult } from '../sweep/run-sweep.ts';
import { sweepProgress } from './sweep-progress.ts';

export async function runPlannedSweep(plan: SweepPlan): Promise<SweepResult> {
  const progress = sweepProgress(plan.experiment.name, plan.runs.length);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await runSweep(plan, {
      signal: abort.signal,
      onRunStart: (run, i) => progress.runStart(run.folder, i),
      onProgress: (_, p) => progress.runProgress(p),
      onNote: (_, note) => progress.note(note),
      onRunEnd: (run, _, outcome) => progress.runEnd(run.folder, outcome),
    });
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSigint);
  }
}

/** Prints what was skipped or failed, then throws if the sweep was interrupted or a run failed. */
export function finishSweep(plan: SweepPlan, result: SweepResult, rerun: string): void {
  if (result.skipped.length > 0) console.log(`skipped (complete already): ${result.skipped.length}`);
  for (const f of result.failed) console.log(`failed: ${f.folder}: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
  if (result.interrupted) throw new EngineError('interrupted', `interrupted: ${plan.experiment.name} stopped; the current run is marked .failed, earlier runs are complete; ${rerun}`);
  if (result.failed.length > 0) throw new EngineError('run_failed', `${result.failed.length} run(s) failed (folders marked .failed); ${rerun}`);
}

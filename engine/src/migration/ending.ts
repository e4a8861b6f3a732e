/**
 * The end of a migration, as the mechanisms that hand ownership over at their end share it (Megaphone,
 * Meces, DRRS): the target assignment takes effect everywhere, then the report is closed and announced.
 * Imports routing/ and migration/ types only.
 */
import { ProtocolError } from '../errors.ts';
import type { Assignment } from '../core/assignment.ts';
import type { MigrationEndEvent } from '../events/index.ts';
import type { PlanCallback, PlanReport, Subtask } from './mechanism.ts';
import type { JobPort, TimerSink } from './ports.ts';

/**
 * After a bin-level migration: a key group that a subtask no longer owns must be empty there (all its keys
 * left) and is released; every target owner holds its key groups (empty ones adopted).
 */
export function settleKeyGroups(subtasks: readonly Subtask[], target: Assignment): void {
  for (const t of subtasks) {
    for (const kg of t.state.ownedKeyGroups()) {
      if (target.ownerOf(kg) === t.subtask) continue;
      if (t.state.bytes[kg] > 0) throw new ProtocolError(`${t.label}: key group ${kg} still holds ${t.state.bytes[kg]} bytes after all its bins left`);
      t.state.release(kg);
    }
  }
  for (let kg = 0; kg < target.maxParallelism; kg++) subtasks[target.ownerOf(kg)].state.adoptEmpty(kg);
}

/** Every router into `operator` routes by `target`, which becomes the job's assignment; no key group is migrating any more. */
export function switchTo(job: JobPort, operator: string, subtasks: readonly Subtask[], target: Assignment): void {
  const table = target.table();
  for (const router of job.routersInto(operator)) router.switchTable(table);
  job.setAssignment(operator, target);
  for (const t of subtasks) t.setMigrating(undefined);
}

/**
 * Closes `report` now (end, completion = end - start, the endToEnd timer of reconfiguration `reconfigId`),
 * resumes periodic checkpoints, emits `migration_end` (with a mechanism's `extra` fields) and calls `done`.
 */
export function reportEnd(job: JobPort, timers: TimerSink, reconfigId: number, report: PlanReport, done: PlanCallback, extra: Pick<MigrationEndEvent, 'onDemand' | 'borrowed'> = {}): void {
  const endMs = job.elapsedMs();
  report.endMs = endMs;
  report.completionMs = endMs - report.startMs;
  timers.timer(reconfigId, 0, 'endToEnd', report.startMs, report.completionMs);
  job.setCheckpointsPaused(false);
  job.emit(migrationEnd(report, extra));
  done(undefined, report);
}

/** The `migration_end` record of a closed report (every mechanism ends with one). */
export function migrationEnd(report: PlanReport, extra: Pick<MigrationEndEvent, 'onDemand' | 'borrowed'> = {}): MigrationEndEvent {
  return { event: 'migration_end', chunks: report.chunks, keyGroups: report.keyGroups, bytes: report.bytes, completionMs: report.completionMs, ...extra };
}

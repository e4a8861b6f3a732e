/**
 * The frame every live mechanism's step() shares (Spacker's executor, Megaphone, Meces, DRRS): nothing while
 * no migration runs; a migration begins only once no checkpoint is in flight (it waits for one started before
 * it to complete, so that no checkpoint straddles the change of ownership); an error ends the migration
 * through its callback, after the mechanism forgot it.
 */
import type { PlanCallback } from './mechanism.ts';
import type { JobPort } from './ports.ts';

/** What the frame reads and writes of a running migration. */
export interface SteppedMigration {
  waitingForCheckpoint: boolean;
  readonly done: PlanCallback;
}

/**
 * One step of `r` (undefined: none runs). `begin` runs once, in the first step with no checkpoint in flight;
 * it returns true when that step ends there. `work` does the step's work and returns whether it did any.
 * Returns whether the step did anything (began, worked, or ended the migration on an error).
 */
export function stepMigration<R extends SteppedMigration>(
  job: Pick<JobPort, 'checkpointInFlight'>,
  r: R | undefined,
  forget: () => void,
  begin: (r: R) => boolean,
  work: (r: R) => boolean,
): boolean {
  if (r === undefined) return false;
  try {
    let began = false;
    if (r.waitingForCheckpoint) {
      if (job.checkpointInFlight()) return false;
      r.waitingForCheckpoint = false;
      if (begin(r)) return true;
      began = true;
    }
    return work(r) || began;
  } catch (err) {
    forget();
    r.done(err, undefined);
    return true;
  }
}

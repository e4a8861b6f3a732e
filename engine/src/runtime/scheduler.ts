/**
 * Cooperative scheduling of all tasks of a job in one thread. A round gives every task one bounded step;
 * a slice runs rounds for a few milliseconds and then hands the event loop back, so timers and I/O are
 * served. `drive` is the wall-clock loop; tests call `runSlice` directly with a manual clock.
 */
import type { Clock } from '../core/clock.ts';
import type { Task } from './task.ts';

/** How long one slice may run before the event loop gets control back, in ms. */
export const SLICE_MS = 2;

export class Scheduler {
  private readonly list: Task[];

  constructor(
    tasks: readonly Task[],
    private readonly clock: Clock,
  ) {
    this.list = [...tasks];
  }

  get tasks(): readonly Task[] {
    return this.list;
  }

  /** Adds a task; it runs after the ones already there in each round. */
  add(task: Task): void {
    this.list.push(task);
  }

  /** One step of every task, in order (sources first, so records flow down within a round). */
  runRound(): boolean {
    let worked = false;
    for (const t of this.list) if (t.step()) worked = true;
    return worked;
  }

  /** Rounds until `sliceMs` elapsed or nothing is left to do now; returns whether anything ran. */
  runSlice(sliceMs: number = SLICE_MS): boolean {
    const start = this.clock.now();
    let any = false;
    while (this.runRound()) {
      any = true;
      if (this.clock.now() - start >= sliceMs) break;
    }
    return any;
  }

  /** Earliest time a task will have work of its own. */
  nextDueMs(): number {
    let due = Infinity;
    for (const t of this.tasks) {
      const d = t.nextDueMs();
      if (d < due) due = d;
    }
    return due;
  }

  get done(): boolean {
    for (const t of this.tasks) if (!t.done) return false;
    return true;
  }
}

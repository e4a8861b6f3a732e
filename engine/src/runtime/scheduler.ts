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

  /**
   * Rounds until `sliceMs` of real time elapsed; returns whether anything ran. When a round finds nothing to
   * do but a task is due before the slice ends (a source's next record, microseconds away at high rates), it
   * waits for that moment on the clock instead of polling every task or handing the event loop a new turn:
   * polling rounds by the hundred thousand per second allocate enough (timers, boxed clock readings) that
   * the garbage collections they cause show up as latency.
   */
  runSlice(sliceMs: number = SLICE_MS): boolean {
    const start = performance.now();
    let any = false;
    for (;;) {
      const worked = this.runRound();
      if (worked) any = true;
      const elapsed = performance.now() - start;
      if (elapsed >= sliceMs) break;
      if (worked) continue;
      const gap = this.nextDueMs() - this.clock.now();
      if (gap > sliceMs - elapsed) break;
      if (gap > 0) spin(gap);
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

/** Iterations of the empty loop between two clock readings in the last microseconds of a wait (about a microsecond). */
const SPIN_BATCH = 2000;
/** The last stretch of a wait, ms, read in `SPIN_BATCH` steps. */
const SPIN_FINE_MS = 0.003;
/** Empty-loop iterations per ms, measured while spinning (a first guess until then). */
let spinItersPerMs = 2_000_000;
let spinSink = 0;

/**
 * Waits `ms` (fractional) on the clock. Each clock reading allocates a boxed number, and a young-generation
 * collection is a pause every task feels, so the clock is read as rarely as the wait allows: empty-loop
 * stretches of half the time left (at the measured loop speed), then microsecond steps for the last few.
 */
function spin(ms: number): void {
  let now = performance.now();
  const until = now + ms;
  while (until - now > SPIN_FINE_MS) {
    const n = Math.max(SPIN_BATCH, ((until - now) * 0.5 * spinItersPerMs) | 0);
    for (let i = 0; i < n; i++) spinSink = (spinSink + i) | 0;
    const t = performance.now();
    // A stretch slowed by the thread being descheduled lowers the estimate (more readings, never a late wake-up);
    // the estimate grows at most 4x per stretch, so a wrong reading cannot make the next stretch overshoot much.
    if (t - now > 0.002) spinItersPerMs = Math.min(spinItersPerMs * 4, n / (t - now));
    now = t;
  }
  while (now < until) {
    for (let i = 0; i < SPIN_BATCH; i++) spinSink = (spinSink + i) | 0;
    now = performance.now();
  }
}

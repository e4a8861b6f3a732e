/**
 * Cooperative scheduling of all tasks of a job in one thread. A round gives every task one bounded step;
 * a slice runs rounds for a few milliseconds and then hands the event loop back, so timers and I/O are
 * served. Background tasks (the migration layer) get the gaps: in a slice they run when no other task has
 * work, until the next record is due, and are forced a step only when they had no gap for
 * BACKGROUND_STARVE_MS. Job.run drives slices on the wall clock; manual-clock tests call `runRound`.
 */
import type { Clock } from '../core/clock.ts';
import type { Task } from './task.ts';

/** How long one slice may run before the event loop gets control back, in ms. */
export const SLICE_MS = 2;
/** A background task that had no gap for this long, ms, gets a step anyway (a busy job still migrates). */
export const BACKGROUND_STARVE_MS = 1;
/** Shorter gaps, ms, are not offered to background tasks (not worth a call). */
const MIN_GAP_MS = 0.003;

export class Scheduler {
  private readonly list: Task[] = [];
  private readonly foreground: Task[] = [];
  private readonly background: Task[] = [];
  /** Clock time when background tasks last ran. */
  private backgroundRanMs = -Infinity;

  constructor(
    tasks: readonly Task[],
    private readonly clock: Clock,
  ) {
    for (const t of tasks) this.add(t);
  }

  get tasks(): readonly Task[] {
    return this.list;
  }

  /** Adds a task; it runs after the ones already there in each round. */
  add(task: Task): void {
    this.list.push(task);
    (task.background === true ? this.background : this.foreground).push(task);
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
    const clock = this.clock;
    const start = clock.now();
    const end = start + sliceMs;
    let any = false;
    for (;;) {
      let worked = false;
      const before = clock.recent();
      for (const t of this.foreground) if (t.step()) worked = true;
      // A round that processed records read the clock for each: the last of those readings (Clock.recent)
      // serves. Otherwise (an idle round, or work that read no clock) it is read here.
      let now = worked && clock.recent() !== before ? clock.recent() : clock.now();
      if (this.background.length > 0 && now - this.backgroundRanMs >= BACKGROUND_STARVE_MS) {
        if (this.runBackground(undefined)) worked = true;
        now = clock.recent(); // a forced step ends with a reading (backgroundRanMs)
      }
      if (worked) any = true;
      if (now >= end) break;
      if (worked) continue;
      // Nothing to do until the next record is due: the gap is the background tasks' (all of it when nothing
      // is due before the slice ends: no record can wait for them then).
      const gap = this.nextDueMs(this.foreground) - now;
      if (gap > MIN_GAP_MS && this.background.length > 0 && this.runBackground(gap >= end - now ? undefined : now + gap)) {
        any = true;
        continue;
      }
      if (gap > end - now) break;
      if (gap > 0) spin(clock, now, gap);
    }
    return any;
  }

  /** A step of every background task; `untilMs`: the end of the gap they may use (none: a forced step). */
  private runBackground(untilMs: number | undefined): boolean {
    let worked = false;
    for (const t of this.background) if (t.step(untilMs)) worked = true;
    // A gap too short for any piece does not count: the tasks still starve.
    if (worked || untilMs === undefined) this.backgroundRanMs = this.clock.now();
    return worked;
  }

  /** Earliest time a task (of `tasks`, by default all) will have work of its own. */
  nextDueMs(tasks: readonly Task[] = this.list): number {
    let due = Infinity;
    for (const t of tasks) {
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
/**
 * Share of the time left that one empty-loop stretch lasts, at the measured speed: on time if the loop runs
 * up to twice slower than measured. (0.75 read the clock less but woke late: the median latency went from
 * 2 to 7 us.)
 */
const SPIN_STRETCH = 0.5;
/** Empty-loop iterations per ms, measured while spinning (a first guess until then); a typed array, as storing a double in it allocates nothing. */
const spinItersPerMs = new Float64Array([2_000_000]);
let spinSink = 0;

/**
 * Waits `ms` (fractional) on the clock from `now`, its last reading. Each reading allocates a boxed number,
 * and a young-generation collection is a pause every task feels, so the clock is read as rarely as the wait
 * allows: empty-loop stretches of half the time left (at the measured loop speed), then microsecond steps
 * for the last few. The last reading is the one the tasks' `Clock.recent()` then sees: at or past `now + ms`.
 */
function spin(clock: Clock, now: number, ms: number): void {
  const until = now + ms;
  while (until - now > SPIN_FINE_MS) {
    const n = Math.max(SPIN_BATCH, ((until - now) * SPIN_STRETCH * spinItersPerMs[0]) | 0);
    for (let i = 0; i < n; i++) spinSink = (spinSink + i) | 0;
    const t = clock.now();
    // A stretch slowed by the thread being descheduled lowers the estimate (more readings, never a late wake-up);
    // the estimate grows at most 4x per stretch, so a wrong reading cannot make the next stretch overshoot much.
    if (t - now > 0.002) spinItersPerMs[0] = Math.min(spinItersPerMs[0] * 4, n / (t - now));
    now = t;
  }
  while (now < until) {
    for (let i = 0; i < SPIN_BATCH; i++) spinSink = (spinSink + i) | 0;
    now = clock.now();
  }
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, wallClock } from '../core/clock.ts';
import { BACKGROUND_STARVE_MS, Scheduler } from './scheduler.ts';
import type { Task } from './task.ts';

/** A foreground task with work every `periodMs` on the wall clock (a source at a fixed rate, say). */
class Periodic implements Task {
  readonly label = 'periodic';
  readonly done = false;
  private due: number;
  steps = 0;
  constructor(readonly periodMs: number) {
    this.due = performance.now() + periodMs;
  }
  step(): boolean {
    if (performance.now() < this.due) return false;
    this.due += this.periodMs;
    this.steps++;
    return true;
  }
  nextDueMs(): number {
    return this.due;
  }
}

/** A foreground task that always has work (a saturated job). */
class Busy implements Task {
  readonly label = 'busy';
  readonly done = false;
  step(): boolean {
    const until = performance.now() + 0.05;
    while (performance.now() < until);
    return true;
  }
  nextDueMs(): number {
    return -Infinity;
  }
}

/** A background task with endless work; it records what each step was given. */
class Background implements Task {
  readonly label = 'background';
  readonly done = false;
  readonly background = true;
  readonly calls: { untilMs: number | undefined; dueMs: number }[] = [];
  constructor(private readonly fg?: Periodic) {}
  step(untilMs?: number): boolean {
    this.calls.push({ untilMs, dueMs: this.fg?.nextDueMs() ?? Infinity });
    return true;
  }
  nextDueMs(): number {
    return Infinity;
  }
}

describe('runtime > scheduler > background tasks', () => {
  it('are given the gaps before the next foreground work is due, never past it', () => {
    const fg = new Periodic(0.2);
    const bg = new Background(fg);
    new Scheduler([fg, bg], wallClock).runSlice(20);
    const gaps = bg.calls.filter((c) => c.untilMs !== undefined);
    assert.ok(gaps.length > 0, 'some gap was offered');
    for (const c of gaps) assert.ok((c.untilMs as number) <= c.dueMs, `gap until ${c.untilMs} after the work due at ${c.dueMs}`);
    assert.ok(fg.steps >= 50, `the foreground task kept its pace (${fg.steps} steps in 20 ms)`);
  });

  it('are forced a step when a busy job leaves them no gap', () => {
    const bg = new Background();
    new Scheduler([new Busy(), bg], wallClock).runSlice(20);
    assert.ok(bg.calls.every((c) => c.untilMs === undefined), 'no gap was offered');
    // About one step per BACKGROUND_STARVE_MS; generous bounds for a loaded machine.
    assert.ok(bg.calls.length >= 3 && bg.calls.length <= 20 / BACKGROUND_STARVE_MS + 2, `${bg.calls.length} forced steps in 20 ms`);
  });

  it('run unbounded when nothing is due before the slice ends', () => {
    const bg = new Background();
    const idle: Task = { label: 'idle', done: false, step: () => false, nextDueMs: () => Infinity };
    new Scheduler([idle, bg], wallClock).runSlice(2);
    assert.ok(bg.calls.length > 10 && bg.calls.every((c) => c.untilMs === undefined), `${bg.calls.length} steps, none bounded by a gap`);
  });

  it('are stepped in every round on a manual clock, like any task', () => {
    const bg = new Background();
    const s = new Scheduler([{ label: 'idle', done: false, step: () => false, nextDueMs: () => Infinity }, bg], new ManualClock());
    for (let i = 0; i < 5; i++) s.runRound();
    assert.deepEqual(bg.calls.map((c) => c.untilMs), [undefined, undefined, undefined, undefined, undefined]);
  });
});

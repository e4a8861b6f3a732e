/**
 * Thread priorities and short sleeps for helper threads. Every task runs on the main thread; on a machine with
 * few cores any other ready thread can take its core for a scheduler time slice (milliseconds). Helper threads
 * therefore run at the lowest priority and sleep a moment often. Linux only (threads by /proc); elsewhere, or
 * where not allowed, the calls do nothing. Imports nothing of the engine.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of helper threads: the lowest priority there is (raising a nice value needs no privilege). */
export const HELPER_NICE = 19;
/** How long a short sleep asks for, ms (it lasts ~0.08 ms here: timer slack and wake-up). */
export const NAP_MS = 0.001;

/** The calling thread's kernel id (Linux), or undefined. */
function ownThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined; // not Linux
  }
}

/**
 * Puts the calling thread at {@link HELPER_NICE}; with `idle`, also under the idle policy (SCHED_IDLE, by
 * util-linux's chrt: Node has no call for it). A nice-19 thread still runs out its time slice before a waking
 * thread gets the core; one of the idle policy gives way at once. Without chrt the thread keeps nice 19.
 */
export function lowerThisThread(options: { idle?: boolean } = {}): void {
  const tid = ownThreadId();
  if (tid === undefined) return;
  try {
    setPriority(tid, HELPER_NICE);
    if (options.idle === true) execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // not allowed, or no chrt: the thread keeps what it got
  }
}

/**
 * Lowers every thread of this process but the main one to {@link HELPER_NICE} (V8's compiler and GC helpers
 * run at the main thread's priority and stalled it ~4 ms every ~40 ms during a migration); how many it changed.
 */
export function lowerHelperThreads(): number {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0; // not Linux
  }
  let changed = 0;
  for (const t of tids) {
    const tid = Number(t);
    if (tid === process.pid) continue;
    try {
      if (getPriority(tid) < HELPER_NICE) {
        setPriority(tid, HELPER_NICE);
        changed++;
      }
    } catch {
      // the thread ended meanwhile, or lowering is not allowed: it keeps its priority
    }
  }
  return changed;
}

/**
 * Short sleeps of a helper thread: one after every `everyMs` of work. The kernel still gives a lowest-priority
 * thread the main thread's core now and then for a whole tick (4 ms here, by perf sched); a thread that sleeps
 * every few hundred microseconds hands it back within them.
 */
export class Nap {
  /** When the thread last slept or was restarted (performance.now()). */
  private last = 0;
  private readonly own = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    /** Work time between two sleeps, ms. */
    readonly everyMs: number,
  ) {}

  /** Counts work time from `now` (e.g. a message arrived). */
  restart(now = performance.now()): void {
    this.last = now;
  }

  /** Whether `everyMs` of work passed since the last sleep or restart. */
  due(now = performance.now()): boolean {
    return now - this.last >= this.everyMs;
  }

  /**
   * Sleeps a moment now ({@link NAP_MS}); a change of `cell[index]` from `expected` ends it at once (by default a
   * cell of its own, never notified).
   */
  take(cell: Int32Array = this.own, index = 0, expected = 0): void {
    Atomics.wait(cell, index, expected, NAP_MS);
    this.last = performance.now();
  }

  /** Sleeps a moment if it is due. */
  breathe(): void {
    if (this.due()) this.take();
  }
}

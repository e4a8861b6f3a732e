/**
 * Every task of a job runs on the main thread, which spins between records; on a machine with few cores any
 * other thread of the process that is ready to run can take the main thread's core for a scheduler time
 * slice (milliseconds), and every record waits. V8's compiler and garbage-collector helpers run at the main
 * thread's priority; during a migration they were busy enough to stall the main thread for ~4 ms every
 * ~40 ms. This puts every thread of the process but the main one at the lowest priority (nice 19), so the
 * kernel places them beside the copy and latency-log threads instead. Linux only (threads by /proc); elsewhere,
 * or where not allowed, it does nothing. Raising a nice value needs no privilege.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of helper threads: the lowest priority there is. */
export const HELPER_NICE = 19;

/** Lowers every thread of this process but the main one to {@link HELPER_NICE}; returns how many it changed. */
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

/**
 * V8's memory reducer: when a process allocates little for a while after a full collection (a job in steady
 * state, whose state lives outside the JS heap), V8 runs up to three more full collections about 0.6 s apart to
 * hand memory back to the system. In a 20-s micro-benchmark run it ran seven, 2.9-11.3 ms each, paused on the
 * main thread where every task runs: a few hundred records late each time, in steady state as after a
 * migration. A measurement run keeps its memory instead: the reducer is switched off for the process (a V8
 * flag, read whenever V8 would schedule such a collection, so setting it at run time takes effect).
 */
import { setFlagsFromString } from 'node:v8';

let off = false;

/** Switches V8's memory reducer off for this process (once; later calls do nothing). */
export function disableMemoryReducer(): void {
  if (off) return;
  setFlagsFromString('--no-memory-reducer');
  off = true;
}

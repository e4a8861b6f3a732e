/**
 * V8's memory reducer: in a quiet process (state lives outside the JS heap) it runs up to three more full
 * collections ~0.6 s apart to hand memory back; in a 20-s run seven, 2.9-11.3 ms each, on the main thread. A
 * measurement run keeps its memory instead. Imports nothing of the engine.
 */
import { setFlagsFromString } from 'node:v8';

let off = false;

/** Switches V8's memory reducer off for this process (a flag V8 reads at each scheduling; later calls do nothing). */
export function disableMemoryReducer(): void {
  if (off) return;
  setFlagsFromString('--no-memory-reducer');
  off = true;
}

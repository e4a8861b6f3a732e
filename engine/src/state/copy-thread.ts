/**
 * The copy thread (started by copy-engine.ts): copies the ring's jobs in order between slabs and publishes the
 * last ticket done (protocol in copy-ring.ts). It yields to every other thread. Imports only copy-ring.ts and
 * platform/.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { lowerThisThread, Nap } from '../platform/threads.ts';
import { DONE, HEAD, PAUSE, PAUSES, SPIN_YIELD_MS, TAIL, TUPLE, YIELD_BYTES } from './copy-ring.ts';
import type { CopyMail, CopyThreadData } from './copy-ring.ts';

// Nice 19 and the idle policy: during a migration a nice-19 copy thread still cost the main thread 2-4 ms
// per wake-up (waiting on GC helpers or woken from a sleep); one of the idle policy gives way at once.
lowerThisThread({ idle: true });

// Waking a sleeping thread costs milliseconds on some virtual machines: after a job the thread keeps looking
// for the next one for SPIN_MS before it sleeps (an all-at-once migration of 509 MiB took ~30 % longer without).
const SPIN_MS = 50;
// The clock is read only every SPIN_CHECK polls: each reading allocates a number (young-generation GCs).
const SPIN_CHECK = 4096;
/** The long sleep when idle, ms (a new job ends it at once). */
const IDLE_MS = 20;

if (parentPort === null) throw new Error('copy-thread.ts must run in a worker thread');
const port = parentPort;
const data = workerData as CopyThreadData;
const ctrl = new Int32Array(data.ctrl);
const ring = new Float64Array(data.ring);
const mask = data.mask;
const slabs = new Map<number, Uint8Array>();
// Copying or looking, the thread sleeps a moment after every YIELD_BYTES copied and every SPIN_YIELD_MS looked.
const nap = new Nap(SPIN_YIELD_MS);

function mail(m: CopyMail): void {
  if ('slab' in m) slabs.set(m.id, new Uint8Array(m.slab));
  else for (const id of m.drop) slabs.delete(id);
}

function readMail(): void {
  let m: { message: unknown } | undefined;
  while ((m = receiveMessageOnPort(port)) !== undefined) mail(m.message as CopyMail);
}

/** A slab by id; one introduced after the job was written is still in the mailbox. */
function slab(id: number): Uint8Array {
  let s = slabs.get(id);
  while (s === undefined) {
    readMail();
    s = slabs.get(id);
  }
  return s;
}

let lastWork = 0;
let polls = 0;
let copied = 0;
for (;;) {
  const head = Atomics.load(ctrl, HEAD);
  const tail = Atomics.load(ctrl, TAIL);
  if (head === tail) {
    if (++polls < SPIN_CHECK) continue;
    polls = 0;
    const now = performance.now();
    if (now - lastWork < SPIN_MS) {
      if (nap.due(now)) nap.take(ctrl, TAIL, tail); // a new job ends the sleep at once
      continue;
    }
    readMail();
    Atomics.wait(ctrl, TAIL, tail, IDLE_MS);
    continue;
  }
  let h = head;
  while (h !== tail) {
    const i = (h & mask) * TUPLE;
    const len = ring[i + 4];
    if (len < 0) Atomics.store(ctrl, DONE, ring[i]);
    else {
      const src = slab(ring[i]);
      const dst = slab(ring[i + 2]);
      const so = ring[i + 1];
      const dof = ring[i + 3];
      // A value longer than what is left to YIELD_BYTES is copied in pieces, with the sleeps between them.
      for (let off = 0; off < len; ) {
        const n = Math.min(len - off, YIELD_BYTES - copied);
        dst.set(src.subarray(so + off, so + off + n), dof + off);
        off += n;
        copied += n;
        if (copied === YIELD_BYTES) {
          copied = 0;
          Atomics.add(ctrl, PAUSES, 1);
          nap.take(ctrl, PAUSE, 0);
        }
      }
    }
    h = (h + 1) | 0;
    Atomics.store(ctrl, HEAD, h);
  }
  lastWork = performance.now();
}

/**
 * Copies state bytes on a thread of their own. Every task runs on the main thread, so a copy made there
 * delays every record of every task; a migration copies hundreds of MiB. Large state values live in
 * SharedArrayBuffer slabs (byte-pool.ts); the copy thread reads and writes those slabs directly.
 *
 * Protocol: slabs are introduced to the thread once (a message each); a copy job is a run of tuples
 * `(srcSlab, srcOffset, dstSlab, dstOffset, length)` written into a shared ring, closed by a marker tuple
 * carrying the job's ticket; the thread copies in order and publishes the last ticket done. The main thread
 * only writes numbers and polls one integer: no message, no allocation per copy. Values outside slabs (small
 * or foreign buffers) are copied at once by the caller's thread. Imports nothing of the engine.
 */
import { Worker } from 'node:worker_threads';

/** Tuples in the ring (a power of two; 10 MiB): room for about 260,000 copies in flight. */
const RING_TUPLES = 1 << 18;
const TUPLE = 5;
/**
 * ctrl: [0] tuples written (tail), [1] tuples consumed (head), both wrapping int32; [2] last ticket done;
 * [3] always 0, never notified: the copy thread's short sleeps while copying wait on it; [4] those sleeps taken.
 */
const TAIL = 0;
const HEAD = 1;
const DONE = 2;
const PAUSE = 3;
const PAUSES = 4;
/** Bytes the copy thread copies between two short sleeps (0.2-0.8 ms of copying here). */
export const YIELD_BYTES = 512 * 1024;
/** Time the copy thread looks for work between two short sleeps, ms. */
const SPIN_YIELD_MS = 0.25;
/** How long each short sleep asks for, ms (it lasts ~0.08 ms here: timer slack and wake-up). */
const YIELD_MS = 0.001;

// The thread's code, plain JavaScript (evaluated, CommonJS): it must start without the TypeScript loader.
const THREAD = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
// This thread yields to every other: on two cores, a copy thread of equal priority would take the main
// thread's core for a scheduler time slice (milliseconds) whenever a third thread wants the other one. Nice 19,
// as every helper thread of a run, and then the idle policy (SCHED_IDLE, by util-linux's chrt: Node has no call
// for it): a nice-19 thread still runs out its time slice before a waking thread gets the core, and during a
// migration the main thread, waiting on the garbage collector's helpers or woken from a sleep, lost 2-4 ms that
// way; a thread of the idle policy gives way at once and the kernel counts its core as free. Linux only (a
// thread's own priority, by its id); elsewhere, or without chrt, the thread keeps what it got.
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 19);
  require('node:child_process').execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
} catch {}
const ctrl = new Int32Array(workerData.ctrl);
const ring = new Float64Array(workerData.ring);
const mask = workerData.mask;
const slabs = new Map();
function mail(m) {
  if (m.slab !== undefined) slabs.set(m.id, new Uint8Array(m.slab));
  else if (m.drop !== undefined) for (const id of m.drop) slabs.delete(id);
}
function readMail() {
  let m;
  while ((m = receiveMessageOnPort(parentPort)) !== undefined) mail(m.message);
}
/** A slab by id; one introduced after the job was written is still in the mailbox. */
function slab(id) {
  let s = slabs.get(id);
  while (s === undefined) {
    readMail();
    s = slabs.get(id);
  }
  return s;
}
// Waking a sleeping thread costs milliseconds on some virtual machines: after a job the thread keeps looking
// for the next one for SPIN_MS before it sleeps (a migration sends jobs every few ms; measured: an all-at-once
// migration of 509 MiB took ~30 % longer without). The clock is read only every SPIN_CHECK polls: each reading
// allocates a number, and a thread that allocates that fast collects its young generation every few ms.
// Copying or looking, the thread never holds a core for long: it sleeps a moment after every YIELD_BYTES it
// copied and after every SPIN_YIELD_MS it looked. On a machine with few cores the kernel still gives it the
// main thread's core now and then, idle policy or not, for up to a scheduler tick (4 ms here; measured with perf
// sched during migrations); a thread that sleeps every few hundred microseconds hands that core back within them.
const SPIN_MS = 50;
const SPIN_CHECK = 4096;
const SPIN_YIELD_MS = ${SPIN_YIELD_MS};
const YIELD_BYTES = ${YIELD_BYTES};
const YIELD_MS = ${YIELD_MS};
let lastWork = 0;
let lastYield = 0;
let polls = 0;
let copied = 0;
for (;;) {
  const head = Atomics.load(ctrl, ${HEAD});
  const tail = Atomics.load(ctrl, ${TAIL});
  if (head === tail) {
    if (++polls < SPIN_CHECK) continue;
    polls = 0;
    const now = performance.now();
    if (now - lastWork < SPIN_MS) {
      if (now - lastYield >= SPIN_YIELD_MS) {
        Atomics.wait(ctrl, ${TAIL}, tail, YIELD_MS); // a new job ends the sleep at once
        lastYield = performance.now();
      }
      continue;
    }
    readMail();
    Atomics.wait(ctrl, ${TAIL}, tail, 20);
    continue;
  }
  let h = head;
  while (h !== tail) {
    const i = (h & mask) * ${TUPLE};
    const len = ring[i + 4];
    if (len < 0) Atomics.store(ctrl, ${DONE}, ring[i]);
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
          Atomics.add(ctrl, ${PAUSES}, 1);
          Atomics.wait(ctrl, ${PAUSE}, 0, YIELD_MS);
          lastYield = performance.now();
        }
      }
    }
    h = (h + 1) | 0;
    Atomics.store(ctrl, ${HEAD}, h);
  }
  lastWork = performance.now();
}
`;

export class CopyEngine {
  private static instance: CopyEngine | undefined;
  private thread: Worker | undefined;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(20));
  private ringMemory: Float64Array | undefined;
  private readonly slabIds = new WeakMap<ArrayBufferLike, number>();
  private nextSlab = 1;
  private nextTicket = 1;
  /** Copies made by the copy thread / by the caller's thread (for tests and reports). */
  readonly stats = { threadBytes: 0, inlineBytes: 0 };

  /** The thread, started when the first slab is introduced (a process without slabs never starts it). */
  constructor(
    /** Tuples the ring holds (a power of two). */
    private readonly ringTuples = RING_TUPLES,
  ) {
    if (!(ringTuples > 1 && (ringTuples & (ringTuples - 1)) === 0)) throw new RangeError(`ring size must be a power of two, got ${ringTuples}`);
  }

  private get worker(): Worker {
    if (this.thread === undefined) {
      this.thread = new Worker(THREAD, { eval: true, workerData: { ctrl: this.ctrl.buffer, ring: this.ring.buffer, mask: this.ringTuples - 1 } });
      // The thread never ends by itself; it must not keep the process alive.
      this.thread.unref();
    }
    return this.thread;
  }

  /** The process's copy engine. */
  static shared(): CopyEngine {
    return (CopyEngine.instance ??= new CopyEngine());
  }

  /** Introduces a slab to the copy thread; its id. */
  addSlab(slab: SharedArrayBuffer): number {
    let id = this.slabIds.get(slab);
    if (id === undefined) {
      id = this.nextSlab++;
      this.slabIds.set(slab, id);
      this.worker.postMessage({ id, slab });
    }
    return id;
  }

  /** The copy thread forgets slabs (their owner is done with them), so that their memory can be freed. */
  dropSlabs(slabs: readonly SharedArrayBuffer[]): void {
    const ids = slabs.map((s) => this.slabIds.get(s)).filter((id): id is number => id !== undefined);
    for (const s of slabs) this.slabIds.delete(s);
    if (ids.length > 0) this.worker.postMessage({ drop: ids });
  }

  /**
   * Copies `src[i]` into `dst[i]` (equal lengths). Values in known slabs are copied by the copy thread, the
   * others here and now. Returns a ticket for {@link done}, or undefined when the ring has no room for the
   * job (nothing was copied; try again later).
   */
  submit(src: readonly Uint8Array[], dst: readonly Uint8Array[]): number | undefined {
    let tuples = 1;
    for (let i = 0; i < src.length; i++) if (this.onThread(src[i], dst[i])) tuples++;
    if (tuples === 1) {
      // Nothing for the copy thread: done here and now (ticket 0 is always done).
      for (let i = 0; i < src.length; i++) this.copyHere(src[i], dst[i]);
      return 0;
    }
    const tail = Atomics.load(this.ctrl, TAIL);
    const used = (tail - Atomics.load(this.ctrl, HEAD)) | 0;
    if (used + tuples > this.ringTuples) return undefined;
    const ring = this.ring;
    let t = tail;
    for (let i = 0; i < src.length; i++) {
      const s = src[i];
      const d = dst[i];
      if (!this.onThread(s, d)) {
        this.copyHere(s, d);
        continue;
      }
      if (s.byteLength !== d.byteLength) throw new RangeError(`copy of ${s.byteLength} bytes into ${d.byteLength}`);
      const j = (t & (this.ringTuples - 1)) * TUPLE;
      ring[j] = this.slabIds.get(s.buffer) as number;
      ring[j + 1] = s.byteOffset;
      ring[j + 2] = this.slabIds.get(d.buffer) as number;
      ring[j + 3] = d.byteOffset;
      ring[j + 4] = s.byteLength;
      this.stats.threadBytes += s.byteLength;
      t = (t + 1) | 0;
    }
    const ticket = this.nextTicket++;
    const j = (t & (this.ringTuples - 1)) * TUPLE;
    ring[j] = ticket;
    ring[j + 4] = -1;
    t = (t + 1) | 0;
    Atomics.store(this.ctrl, TAIL, t);
    Atomics.notify(this.ctrl, TAIL);
    return ticket;
  }

  /** Short sleeps the copy thread took while copying (one per YIELD_BYTES copied). */
  get pauses(): number {
    return Atomics.load(this.ctrl, PAUSES);
  }

  /** Whether the job of `ticket` is copied. */
  done(ticket: number): boolean {
    return Atomics.load(this.ctrl, DONE) >= ticket;
  }

  private get ring(): Float64Array {
    return (this.ringMemory ??= new Float64Array(new SharedArrayBuffer(this.ringTuples * TUPLE * 8)));
  }

  private copyHere(s: Uint8Array, d: Uint8Array): void {
    if (s.byteLength !== d.byteLength) throw new RangeError(`copy of ${s.byteLength} bytes into ${d.byteLength}`);
    d.set(s);
    this.stats.inlineBytes += s.byteLength;
  }

  private onThread(s: Uint8Array, d: Uint8Array): boolean {
    return this.slabIds.has(s.buffer) && this.slabIds.has(d.buffer);
  }
}

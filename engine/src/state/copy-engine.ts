/**
 * Copies state bytes on a thread of their own. Every task runs on the main thread, so a copy made there
 * delays every record of every task; a migration copies hundreds of MiB. Large state values live in
 * SharedArrayBuffer slabs (byte-pool.ts); the copy thread reads and writes those slabs directly.
 *
 * Protocol: slabs are introduced to the thread once (a message each); a copy job is a run of tuples
 * `(srcSlab, srcOffset, dstSlab, dstOffset, length)` written into a shared ring, closed by a marker tuple
 * carrying the job's ticket; the thread copies in order and publishes the last ticket done. The main thread
 * only writes numbers and polls one integer: no message, no allocation per copy. Values outside slabs (small
 * or foreign buffers) are copied at once by the caller's thread. Imports only state/ and platform/.
 */
import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../platform/workers.ts';
import { CTRL_BYTES, DONE, HEAD, PAUSES, TAIL, TUPLE } from './copy-ring.ts';
import type { CopyMail, CopyThreadData } from './copy-ring.ts';

export { YIELD_BYTES } from './copy-ring.ts';

/** Tuples in the ring (a power of two; 10 MiB): room for about 260,000 copies in flight. */
const RING_TUPLES = 1 << 18;
/** The thread's module (copy-thread.ts, or .js when built). */
const THREAD = siblingModule('./copy-thread', import.meta.url);

export class CopyEngine {
  private static instance: CopyEngine | undefined;
  private thread: Worker | undefined;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CTRL_BYTES));
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
      const workerData: CopyThreadData = { ctrl: this.ctrl.buffer as SharedArrayBuffer, ring: this.ring.buffer as SharedArrayBuffer, mask: this.ringTuples - 1 };
      this.thread = startWorker(THREAD, { workerData });
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
      this.worker.postMessage({ id, slab } satisfies CopyMail);
    }
    return id;
  }

  /** The copy thread forgets slabs (their owner is done with them), so that their memory can be freed. */
  dropSlabs(slabs: readonly SharedArrayBuffer[]): void {
    const ids = slabs.map((s) => this.slabIds.get(s)).filter((id): id is number => id !== undefined);
    for (const s of slabs) this.slabIds.delete(s);
    if (ids.length > 0) this.worker.postMessage({ drop: ids } satisfies CopyMail);
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

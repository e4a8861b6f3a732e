/**
 * Recycles byte buffers between the subtasks of one job. In one process, state that leaves a subtask and
 * state that arrives at another are the same amount of memory; without recycling, every migrated byte is a
 * new allocation, and V8 answers fast-growing external memory with full garbage collections that pause every
 * task for milliseconds. Buffers are kept by exact length (state values) or by 64 KiB class (snapshots).
 *
 * Values of SLAB_MIN_BYTES or more are carved out of SharedArrayBuffer slabs, which the copy thread
 * (copy-engine.ts) can read and write: a migration copies them off the main thread. Slab memory is only ever
 * recycled (never handed back to V8), so every slab buffer given back is kept; other buffers are kept up to a
 * bound. `close` lets the copy thread forget the slabs once the job is over.
 */
import { CopyEngine } from './copy-engine.ts';

/** Values at least this long live in slabs. */
export const SLAB_MIN_BYTES = 1024;
const SLAB_BYTES = 64 * 2 ** 20;

export class BytePool {
  private readonly free = new Map<number, Buffer[]>();
  private pooled = 0;
  private readonly slabs: SharedArrayBuffer[] = [];
  private slab: SharedArrayBuffer | undefined;
  private slabUsed = 0;
  /** Buffers handed out from the pool instead of allocated (for tests and reports). */
  reused = 0;

  constructor(
    /** Most bytes of non-slab buffers kept for reuse. */
    readonly maxPooledBytes = 512 * 2 ** 20,
    /** Whether large values go to slabs (false: plain buffers, copied by whoever copies them). */
    readonly useSlabs = true,
    /** The copy thread that knows this pool's slabs. */
    readonly copies: CopyEngine = CopyEngine.shared(),
  ) {}

  /** A buffer of exactly `size` bytes (contents undefined). */
  take(size: number): Buffer {
    const b = this.free.get(size)?.pop();
    if (b === undefined) return this.useSlabs && size >= SLAB_MIN_BYTES ? this.carve(size) : Buffer.allocUnsafeSlow(size);
    this.pooled -= size;
    this.reused++;
    return b;
  }

  /** Hands a buffer back; the caller must not use it any more. */
  give(b: Uint8Array): void {
    if (!Buffer.isBuffer(b)) return;
    const inSlab = b.buffer instanceof SharedArrayBuffer;
    if (!inSlab && this.pooled + b.byteLength > this.maxPooledBytes) return;
    let list = this.free.get(b.byteLength);
    if (list === undefined) this.free.set(b.byteLength, (list = []));
    list.push(b);
    this.pooled += b.byteLength;
  }

  /** Hands back every byte value found in a state value (nested maps and arrays included). */
  giveAll(v: unknown): void {
    if (v instanceof Uint8Array) this.give(v);
    else if (v instanceof Map) for (const x of v.values()) this.giveAll(x);
    else if (Array.isArray(v)) for (const x of v) this.giveAll(x);
  }

  get pooledBytes(): number {
    return this.pooled;
  }

  /** Bytes of slab memory reserved. */
  get slabBytes(): number {
    return this.slabs.reduce((n, s) => n + s.byteLength, 0);
  }

  /** The job is over: the copy thread may forget this pool's slabs. */
  close(): void {
    if (this.slabs.length > 0) this.copies.dropSlabs(this.slabs);
    this.slabs.length = 0;
    this.slab = undefined;
    this.free.clear();
    this.pooled = 0;
  }

  /** A new buffer of `size` bytes in the current slab (8-byte aligned), or in a slab of its own if large. */
  private carve(size: number): Buffer {
    if (size > SLAB_BYTES / 4) return Buffer.from(this.newSlab(size), 0, size);
    const aligned = (size + 7) & ~7;
    if (this.slab === undefined || this.slabUsed + aligned > this.slab.byteLength) {
      this.slab = this.newSlab(SLAB_BYTES);
      this.slabUsed = 0;
    }
    const b = Buffer.from(this.slab, this.slabUsed, size);
    this.slabUsed += aligned;
    return b;
  }

  private newSlab(bytes: number): SharedArrayBuffer {
    const s = new SharedArrayBuffer(bytes);
    this.slabs.push(s);
    this.copies.addSlab(s);
    return s;
  }
}

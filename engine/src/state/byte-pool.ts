/**
 * Recycles byte buffers between the subtasks of one job. In one process, state that leaves a subtask and
 * state that arrives at another are the same amount of memory; without recycling, every migrated byte is a
 * new allocation, and V8 answers fast-growing external memory with full garbage collections that pause every
 * task for milliseconds. Buffers are kept by exact length (state values) or by 64 KiB class (snapshots),
 * up to a bound. Imports nothing.
 */

const CLASS_BYTES = 64 * 1024;

export class BytePool {
  private readonly free = new Map<number, Buffer[]>();
  private pooled = 0;
  /** Buffers handed out from the pool instead of allocated (for tests and reports). */
  reused = 0;

  constructor(
    /** Most bytes kept for reuse. */
    readonly maxPooledBytes = 512 * 2 ** 20,
  ) {}

  /** A buffer of exactly `size` bytes (contents undefined). */
  take(size: number): Buffer {
    const b = this.free.get(size)?.pop();
    if (b === undefined) return Buffer.allocUnsafeSlow(size);
    this.pooled -= size;
    this.reused++;
    return b;
  }

  /** A buffer of at least `size` bytes, from a 64 KiB size class: for snapshots, whose sizes vary. */
  takeAtLeast(size: number): Buffer {
    return this.take(Math.max(CLASS_BYTES, Math.ceil(size / CLASS_BYTES) * CLASS_BYTES));
  }

  /** Hands a buffer back; the caller must not use it any more. */
  give(b: Uint8Array): void {
    if (this.pooled + b.byteLength > this.maxPooledBytes || !Buffer.isBuffer(b)) return;
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
}

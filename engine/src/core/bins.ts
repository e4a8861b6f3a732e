/**
 * Bins: a finer partition of the key space than key groups, for mechanisms that move less than a key group
 * at a time (Megaphone, Meces). A key's bin is `murmurHash(javaHashCode(key)) % 2^bits`; when the maximum
 * parallelism divides 2^bits (both powers of two), a bin lies inside one key group, `bin % maxParallelism`,
 * and every key group holds 2^bits / maxParallelism bins. Imports core/ only.
 */
import { javaHashCode, murmurHash, type Key, type KeyGroupId } from './key-group.ts';

/** Most bin bits a mechanism may ask for (2^20 bins). */
export const MAX_BIN_BITS = 20;

/** The bin layout of one operator: how many bins, and how they nest in its key groups. */
export class BinLayout {
  readonly bins: number;
  /** Bins per key group. */
  readonly perKeyGroup: number;
  private readonly mask: number;

  constructor(
    readonly bits: number,
    readonly maxParallelism: number,
  ) {
    const why = BinLayout.invalid(bits, maxParallelism);
    if (why !== undefined) throw new RangeError(why);
    this.bins = 2 ** bits;
    this.mask = this.bins - 1;
    this.perKeyGroup = this.bins / maxParallelism;
  }

  /** Why `bits` cannot nest in `maxParallelism` key groups, or undefined when it can. */
  static invalid(bits: number, maxParallelism: number): string | undefined {
    if (!Number.isInteger(bits) || bits < 0 || bits > MAX_BIN_BITS) return `bin bits must be a whole number from 0 to ${MAX_BIN_BITS}, got ${bits}`;
    const bins = 2 ** bits;
    if (bins < maxParallelism || bins % maxParallelism !== 0) {
      return `2^${bits} = ${bins} bins do not divide into ${maxParallelism} key groups (the maximum parallelism must be a power of two <= ${bins})`;
    }
    return undefined;
  }

  binOf(key: Key): number {
    return murmurHash(javaHashCode(key)) & this.mask;
  }

  keyGroupOfBin(bin: number): KeyGroupId {
    return bin % this.maxParallelism;
  }

  /** The bins of key group `kg`, ascending. */
  binsOf(kg: KeyGroupId): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.perKeyGroup; i++) out.push(kg + i * this.maxParallelism);
    return out;
  }
}

/**
 * `java.util.Random`'s 48-bit linear congruential generator, bit for bit, in double arithmetic (no BigInt on
 * the hot path): the reference's workloads draw from it, so the same seed gives the same stream here.
 */

const TWO_24 = 0x1000000;
const MULT_HI = 0x5de; // 0x5DEECE66D split into 24-bit halves
const MULT_LO = 0xece66d;
const ADDEND = 0xb;

export class JavaRandom {
  private hi = 0;
  private lo = 0;

  constructor(seed: number) {
    this.setSeed(seed);
  }

  /** Java's `setSeed`: `(seed ^ 0x5DEECE66D) & (2^48 - 1)`. */
  setSeed(seed: number): void {
    const s = BigInt.asUintN(48, BigInt(Math.trunc(seed)) ^ 0x5deece66dn);
    this.hi = Number(s >> 24n);
    this.lo = Number(s & 0xffffffn);
  }

  /** Java's `next(bits)`, 1 <= bits <= 32, as a signed 32-bit integer like Java's `int`. */
  next(bits: number): number {
    const p0 = this.lo * MULT_LO + ADDEND;
    const carry = Math.floor(p0 / TWO_24);
    const lo = p0 - carry * TWO_24;
    const hi = (this.hi * MULT_LO + this.lo * MULT_HI + carry) % TWO_24;
    this.hi = hi;
    this.lo = lo;
    const top = Math.floor((hi * TWO_24 + lo) / 2 ** (48 - bits));
    return top | 0;
  }

  /** Java's `nextDouble()`: 53 random bits in [0, 1). */
  nextDouble(): number {
    const a = this.next(26) >>> 0;
    const b = this.next(27) >>> 0;
    return (a * 0x8000000 + b) / 2 ** 53;
  }

  /** Java's `nextInt(bound)`, uniform in [0, bound). */
  nextInt(bound: number): number {
    if (!(bound > 0) || !Number.isInteger(bound)) throw new RangeError(`nextInt: bound must be a positive integer, got ${bound}`);
    if ((bound & -bound) === bound) {
      // (bound * next(31)) >> 31, exact in doubles while bound < 2^22; BigInt beyond.
      const bits = this.next(31);
      return bound < 0x400000 ? Math.floor((bound * bits) / 0x80000000) : Number((BigInt(bound) * BigInt(bits)) >> 31n);
    }
    let bits: number;
    let val: number;
    do {
      bits = this.next(31);
      val = bits % bound;
    } while (bits - val + (bound - 1) > 0x7fffffff);
    return val;
  }
}

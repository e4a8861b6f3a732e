/**
 * The reference's `FastZipfGenerator`: weights `1/i^skew` for ranks 1..size, normalized into a cumulative
 * table; `next()` returns the first rank whose cumulative probability reaches a uniform draw, minus one plus
 * `offset`. Skew 0 is uniform. Rank 1 (value `offset`) is the hottest.
 */
import { JavaRandom } from './java-random.ts';

export class FastZipf {
  /** Cumulative probability of ranks 1..i at index i-1; the last entry is 1. */
  readonly cumulative: Float64Array;
  private readonly random: JavaRandom;

  constructor(
    readonly size: number,
    readonly skew: number,
    readonly offset: number,
    seed: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`FastZipf: size must be a positive integer, got ${size}`);
    if (!(skew >= 0)) throw new RangeError(`FastZipf: skew must be >= 0, got ${skew}`);
    this.cumulative = zipfCumulative(size, skew);
    this.random = new JavaRandom(seed);
  }

  /** Probability of value `offset + r` (rank r+1). */
  probability(r: number): number {
    return r === 0 ? this.cumulative[0] : this.cumulative[r] - this.cumulative[r - 1];
  }

  next(): number {
    return this.offset + ceilingIndex(this.cumulative, this.random.nextDouble());
  }
}

/** Normalized cumulative zipf weights of ranks 1..size. */
export function zipfCumulative(size: number, skew: number): Float64Array {
  const c = new Float64Array(size);
  let sum = 0;
  for (let i = 1; i <= size; i++) sum += 1 / Math.pow(i, skew);
  let acc = 0;
  for (let i = 1; i <= size; i++) {
    acc += 1 / Math.pow(i, skew) / sum;
    c[i - 1] = acc;
  }
  c[size - 1] = 1;
  return c;
}

/** Smallest index whose value is >= x (x in [0, 1)). */
function ceilingIndex(c: Float64Array, x: number): number {
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

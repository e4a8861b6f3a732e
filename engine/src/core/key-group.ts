/**
 * Key groups exactly as Flink computes them: `murmurHash(javaHashCode(key)) % maxParallelism`, and Flink's
 * contiguous initial assignment of key groups to subtasks. Imports nothing.
 */

/** A key as the engine sees it: strings hash like Java's `String`, numbers like Java's `Long`. */
export type Key = string | number;

/** Index of a key group, `0 <= kg < maxParallelism`. */
export type KeyGroupId = number;

/** Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's `Long.hashCode` for an integral number (`(int)(v ^ (v >>> 32))`), exact for |v| < 2^53. */
export function javaLongHashCode(v: number): number {
  // Fast path without BigInt: the high word is 0 (v in [0, 2^32)) or all ones (v in [-2^31, 0)).
  if (Number.isInteger(v) && v >= -0x80000000 && v < 0x100000000) return v >= 0 ? v | 0 : ~v;
  const big = BigInt.asUintN(64, BigInt(Math.trunc(v)));
  return Number(BigInt.asIntN(32, (big ^ (big >> 32n)) & 0xffffffffn));
}

/** The Java `hashCode` Flink would see for this key. */
export function javaHashCode(key: Key): number {
  return typeof key === 'string' ? javaStringHashCode(key) : javaLongHashCode(key);
}

/** Flink's `MathUtils.murmurHash(int)`: one murmur3 round plus finalizer, made non-negative. */
export function murmurHash(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  if (h !== -0x80000000) return -h;
  return 0;
}

/** The key group of a key: `murmurHash(javaHashCode(key)) % maxParallelism`. */
export function keyGroupOf(key: Key, maxParallelism: number): KeyGroupId {
  return murmurHash(javaHashCode(key)) % maxParallelism;
}

/** Flink's initial owner of a key group: `kg * parallelism / maxParallelism` (integer division). */
export function operatorIndexOf(keyGroup: KeyGroupId, maxParallelism: number, parallelism: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** Flink's contiguous key-group range of one subtask, inclusive bounds. */
export function keyGroupRangeOf(
  operatorIndex: number,
  maxParallelism: number,
  parallelism: number,
): { start: KeyGroupId; end: KeyGroupId } {
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return { start, end };
}

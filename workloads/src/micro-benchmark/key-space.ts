/**
 * The micro-benchmark's key space: keys `A0 .. A{n-1}`, grouped by their Flink key group, as the reference's
 * source pre-groups them.
 */
import { keyGroupOf } from '../../../engine/src/index.ts';

export interface KeySpace {
  /** Key groups that hold at least one key, ascending; zipf rank 1 is the first. */
  readonly keyGroups: Int32Array;
  /** Keys of each key group in `keyGroups` order, ascending key index. */
  readonly keys: readonly (readonly string[])[];
}

export function groupKeysByKeyGroup(nKeys: number, maxParallelism: number): KeySpace {
  const byGroup: string[][] = Array.from({ length: maxParallelism }, () => []);
  for (let i = 0; i < nKeys; i++) {
    const key = `A${i}`;
    byGroup[keyGroupOf(key, maxParallelism)].push(key);
  }
  const nonEmpty: number[] = [];
  for (let kg = 0; kg < maxParallelism; kg++) if (byGroup[kg].length > 0) nonEmpty.push(kg);
  return { keyGroups: Int32Array.from(nonEmpty), keys: nonEmpty.map((kg) => byGroup[kg]) };
}

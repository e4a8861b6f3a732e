/**
 * Replication, reference 1.5: which key groups are kept replicated on standby tasks. The reference's modular
 * filter (`kg % filter == 0`) plus a hottest-fraction option; the set only ever grows. Pure; imports only
 * core/, control/ and errors.
 */
import type { KeyGroupId } from '../core/key-group.ts';
import type { KeyGroupStats } from '../control/plan.ts';
import { InvalidConfigError, InvalidParameterError, InvalidPlanError } from '../errors.ts';

/** Tolerance when turning `hotRatio * maxParallelism` into a count, so 0.3 * 10 is 3, not 4. */
const COUNT_EPSILON = 1e-9;

/**
 * The `count` hottest key groups of 0..maxParallelism-1 by measured rate, ties by ascending id.
 *
 * @throws InvalidPlanError if the statistics do not cover every key group.
 */
export function hottestKeyGroups(stats: KeyGroupStats, maxParallelism: number, count: number): KeyGroupId[] {
  if (stats.rate.length < maxParallelism) {
    throw new InvalidPlanError(`replication: measured rates cover ${stats.rate.length} key groups; expected ${maxParallelism}`);
  }
  const rate = stats.rate;
  const ids = Array.from({ length: maxParallelism }, (_, kg) => kg);
  ids.sort((a, b) => rate[b] - rate[a] || a - b);
  return ids.slice(0, count);
}

/**
 * The replicated key groups after a (re)configuration, ascending:
 * `previous` ∪ {kg : filter > 0 && kg % filter === 0} ∪ the ceil(hotRatio × maxParallelism) hottest key groups
 * (by `stats.rate`, ties by ascending id). Filter 1 replicates everything, 2 half, 4 a quarter, 0 nothing.
 *
 * @throws InvalidParameterError (field `replicateFilter`) if `filter` is negative or not an integer;
 *   InvalidConfigError if `hotRatio` is outside [0, 1].
 * @throws InvalidPlanError if `hotRatio` > 0 without statistics, or `previous` holds a key group out of range.
 */
export function replicatedSet(
  maxParallelism: number,
  filter: number,
  hotRatio: number,
  stats: KeyGroupStats | undefined,
  previous: readonly KeyGroupId[],
): KeyGroupId[] {
  if (!Number.isInteger(filter) || filter < 0) {
    throw new InvalidParameterError('replicateFilter', filter, 'an integer >= 0 (0 = no replication)');
  }
  if (!(hotRatio >= 0 && hotRatio <= 1)) throw new InvalidConfigError('hotRatio', hotRatio, 'a number in [0, 1]');
  const set = new Set<KeyGroupId>();
  for (const kg of previous) {
    if (!Number.isInteger(kg) || kg < 0 || kg >= maxParallelism) {
      throw new InvalidPlanError(`replication: previously replicated key group ${kg} is not in 0..${maxParallelism - 1}`);
    }
    set.add(kg);
  }
  if (filter > 0) {
    for (let kg = 0; kg < maxParallelism; kg += filter) set.add(kg);
  }
  const hotCount = Math.ceil(hotRatio * maxParallelism - COUNT_EPSILON);
  if (hotCount > 0) {
    if (!stats) throw new InvalidPlanError(`replication: hotRatio ${hotRatio} needs measured key-group statistics (stats.rate), but none were given`);
    for (const kg of hottestKeyGroups(stats, maxParallelism, hotCount)) set.add(kg);
  }
  return [...set].sort((a, b) => a - b);
}

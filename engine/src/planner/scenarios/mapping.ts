/**
 * The reference's list-shaped executor mapping (subtask → its key groups, in list order; inside the planner
 * only, the API exchanges Assignments), its check, and Flink's contiguous rescale. Pure; imports only core/
 * and errors.
 */
import { Assignment } from '../../core/assignment.ts';
import { keyGroupRangeOf, type KeyGroupId } from '../../core/key-group.ts';
import { InvalidConfigError, InvalidPlanError } from '../../errors.ts';

/**
 * `mapping[subtask]` lists the key groups of that subtask (an Assignment's `lists()`). List order matters:
 * equiShuffle gives away a subtask's first key groups, and moved key groups are appended at the end of the
 * receiver's list.
 */
export type Mapping = readonly (readonly KeyGroupId[])[];

/**
 * Checks that `mapping` assigns every key group of 0..maxParallelism-1 exactly once to a subtask of
 * 0..parallelism-1, and returns the owner table.
 *
 * @param where names the input in messages (a file name, or 'mapping').
 * @throws InvalidPlanError naming `where` for a subtask that does not exist, a non-integer entry, a key group
 *   out of range, repeated or missing.
 */
export function checkMapping(mapping: Mapping, maxParallelism: number, parallelism: number, where: string): number[] {
  if (mapping.length > parallelism) {
    throw new InvalidPlanError(`${where}: subtask ${mapping.length - 1} does not exist; subtasks are 0..${parallelism - 1}`);
  }
  const owner: number[] = new Array<number>(maxParallelism).fill(-1);
  mapping.forEach((list, subtask) => {
    list.forEach((kg, i) => {
      if (!Number.isInteger(kg)) {
        throw new InvalidPlanError(`${where}: subtask ${subtask}: entry ${i} is ${JSON.stringify(kg)}, not an integer key group`);
      }
      if (kg < 0 || kg >= maxParallelism) {
        throw new InvalidPlanError(`${where}: subtask ${subtask}: key group ${kg} is not in 0..${maxParallelism - 1}`);
      }
      if (owner[kg] !== -1) {
        const first = owner[kg] === subtask ? 'twice to subtask' : `to subtasks ${owner[kg]} and`;
        throw new InvalidPlanError(`${where}: key group ${kg} is assigned ${first} ${subtask}`);
      }
      owner[kg] = subtask;
    });
  });
  const missing = owner.flatMap((o, kg) => (o === -1 ? [kg] : []));
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ', ...' : '');
    throw new InvalidPlanError(`${where}: ${missing.length} key group(s) not assigned to any subtask: ${shown}`);
  }
  return owner;
}

/**
 * Flink's contiguous assignment of 0..maxParallelism-1 over subtasks 0..p-1; subtasks p..physical-1 get empty
 * lists (deployed but idle). The reference emulates scale in/out this way (the stock scenario).
 *
 * @throws InvalidConfigError unless p is an integer in 1..physicalParallelism.
 */
export function rescale(maxParallelism: number, physicalParallelism: number, p: number): Assignment {
  if (!Number.isInteger(p) || p < 1 || p > physicalParallelism) {
    throw new InvalidConfigError('rescale parallelism', p, `an integer in 1..${physicalParallelism} (the physical parallelism)`);
  }
  const lists = Array.from({ length: physicalParallelism }, (_, subtask) => {
    if (subtask >= p) return [];
    const { start, end } = keyGroupRangeOf(subtask, maxParallelism, p);
    return Array.from({ length: end - start + 1 }, (_, i) => start + i);
  });
  return Assignment.fromMap(lists, maxParallelism, physicalParallelism);
}

/**
 * Reading a user-supplied target assignment (already parsed JSON; the caller does the file I/O) into a
 * checked Assignment. Every error names the file. Imports only core/, errors and the planner.
 */
import { Assignment } from '../../core/assignment.ts';
import type { KeyGroupId } from '../../core/key-group.ts';
import { InvalidPlanError } from '../../errors.ts';
import { checkMapping } from './mapping.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value) ?? String(value);
}

/** One subtask's list: an array of numbers (integrality and range are checked by checkMapping). */
function keyGroupList(value: unknown, subtask: string, source: string): KeyGroupId[] {
  if (!Array.isArray(value)) {
    throw new InvalidPlanError(`${source}: subtask ${subtask}: expected an array of key groups, got ${describe(value)}`);
  }
  return value.map((kg: unknown, i) => {
    if (typeof kg !== 'number' || !Number.isInteger(kg)) {
      throw new InvalidPlanError(`${source}: subtask ${subtask}: entry ${i} is ${describe(kg)}, not an integer key group`);
    }
    return kg;
  });
}

/** Subtask index of an object key, or InvalidPlanError if it is not one of 0..parallelism-1. */
function subtaskOf(key: string, parallelism: number, source: string): number {
  const subtask = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : NaN;
  if (!(subtask < parallelism)) {
    throw new InvalidPlanError(`${source}: subtask ${JSON.stringify(key)} does not exist; subtasks are 0..${parallelism - 1}`);
  }
  return subtask;
}

/**
 * Reads a target assignment in one of two shapes:
 * - `{ "assignment": { "0": [kg, ...], "1": [...], ... } }` (subtasks left out hold nothing), or
 * - `[[kg, ...], [kg, ...], ...]` (entry i is subtask i; missing trailing subtasks hold nothing).
 * Returns the assignment, its lists in the file's order.
 *
 * @param source names the file in error messages.
 * @throws InvalidPlanError naming `source` for a wrong shape, a subtask that does not exist, a non-integer
 *   entry, or a key group out of 0..maxParallelism-1, repeated or missing.
 */
export function parseTargetAssignment(json: unknown, maxParallelism: number, parallelism: number, source: string): Assignment {
  const mapping: KeyGroupId[][] = Array.from({ length: parallelism }, () => []);
  if (Array.isArray(json)) {
    json.forEach((value: unknown, i) => {
      const subtask = subtaskOf(String(i), parallelism, source);
      mapping[subtask] = keyGroupList(value, String(i), source);
    });
  } else if (json !== null && typeof json === 'object' && 'assignment' in json) {
    const assignment: unknown = json.assignment;
    if (assignment === null || typeof assignment !== 'object' || Array.isArray(assignment)) {
      throw new InvalidPlanError(`${source}: "assignment" must be an object from subtask to key groups, got ${describe(assignment)}`);
    }
    for (const [key, value] of Object.entries(assignment)) {
      mapping[subtaskOf(key, parallelism, source)] = keyGroupList(value, key, source);
    }
  } else {
    throw new InvalidPlanError(
      `${source}: a target assignment must be {"assignment": {"<subtask>": [key groups]}} or an array of key-group arrays, got ${describe(json)}`,
    );
  }
  checkMapping(mapping, maxParallelism, parallelism, source);
  return Assignment.fromMap(mapping, maxParallelism, parallelism);
}

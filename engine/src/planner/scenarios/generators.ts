/**
 * Target-assignment generators of the reference's DummyController (reference 1.8): which tasks take part,
 * the equiShuffle ring shift and the two load-balance examples. Pure functions from an Assignment to a new
 * one, working on its lists (list order matters); imports only core/, control/, errors and the planner.
 */
import { Assignment } from '../../core/assignment.ts';
import { zipfCumulative } from '../../core/fast-zipf.ts';
import type { KeyGroupId } from '../../core/key-group.ts';
import { InvalidConfigError, InvalidParameterError, InvalidPlanError } from '../../errors.ts';
import { javaShuffle } from '../order.ts';

/** The reference's fixed seed for choosing affected tasks and for the zipf distribution. */
export const REFERENCE_SEED = 12345678;

/** `field` names the ScenarioContext field the count comes from. */
function checkCount(field: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidParameterError(field, n, 'an integer >= 0');
}

/**
 * The tasks taking part in a scenario: Java's `Collections.shuffle` of [0..parallelism-1] with
 * `new Random(seed)`, the first min(n, parallelism), returned in ascending order.
 *
 * @throws InvalidParameterError (field `affectedTasks`) for a negative or non-integer `n`.
 */
export function selectAffectedTasks(n: number, parallelism: number, seed: number = REFERENCE_SEED): number[] {
  checkCount('affectedTasks', n);
  const all = Array.from({ length: parallelism }, (_, i) => i);
  return javaShuffle(all, seed)
    .slice(0, Math.min(n, parallelism))
    .sort((a, b) => a - b);
}

/** Size of share i when n key groups are split over p givers: indices ceil(i·n/p) .. floor(((i+1)·n−1)/p). */
export function shareSize(i: number, n: number, p: number): number {
  return Math.floor(((i + 1) * n - 1) / p) - Math.ceil((i * n) / p) + 1;
}

/**
 * Ring shift of n key groups among the `selected` tasks (taken in ascending order): for i = 0..P-1 in turn,
 * selected task i gives the first shareSize(i, n, P) key groups of its current list (capped by the list's
 * size) to selected task (i+1) mod P, which appends them at the end of its list. Exactly n key groups move
 * when the lists are large enough. Returns a new assignment.
 *
 * @throws InvalidParameterError (field `affectedKeys`) for a negative n; InvalidConfigError for a selected task that does not exist or repeats.
 */
export function equiShuffle(assignment: Assignment, n: number, selected: readonly number[]): Assignment {
  checkCount('affectedKeys', n);
  const tasks = selected.slice().sort((a, b) => a - b);
  tasks.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= assignment.parallelism || t === tasks[i - 1]) {
      throw new InvalidConfigError('selected tasks', selected.join(','), `distinct subtasks in 0..${assignment.parallelism - 1}`);
    }
  });
  const out = assignment.lists();
  const p = tasks.length;
  for (let i = 0; i < p && n > 0; i++) {
    const from = out[tasks[i]];
    const given = from.splice(0, Math.min(shareSize(i, n, p), from.length));
    out[tasks[(i + 1) % p]].push(...given);
  }
  return Assignment.fromMap(out, assignment.maxParallelism, assignment.parallelism);
}

/**
 * Load balancing under the zipf workload: key group kg has the probability of zipf rank kg+1 (key group 0
 * hottest). x = mass of task 0's key groups, y = mass of the last task's, target = (x+y)/2. Task 0 keeps
 * the prefix of its key groups sorted by probability descending (ties by ascending id) whose cumulative
 * probability is closest to the target (at least one; the shortest on a tie), in its original list order,
 * and the rest are appended to the last task's list in that sorted order. Returns a new assignment.
 *
 * @throws InvalidParameterError (field `zipfSkew`) for a negative skew.
 */
export function loadBalanceZipf(assignment: Assignment, skew: number): Assignment {
  if (!(skew >= 0)) throw new InvalidParameterError('zipfSkew', skew, 'a number >= 0');
  const out = assignment.lists();
  const last = out.length - 1;
  if (last < 1 || out[0].length === 0) return assignment;
  const cumulative = zipfCumulative(assignment.maxParallelism, skew);
  const prob = (kg: KeyGroupId): number => (kg === 0 ? cumulative[0] : cumulative[kg] - cumulative[kg - 1]);
  const mass = (list: readonly KeyGroupId[]): number => list.reduce((sum, kg) => sum + prob(kg), 0);
  const target = (mass(out[0]) + mass(out[last])) / 2;
  const sorted = out[0].slice().sort((a, b) => prob(b) - prob(a) || a - b);
  let keep = 1;
  let best = Infinity;
  let sum = 0;
  sorted.forEach((kg, i) => {
    sum += prob(kg);
    const distance = Math.abs(sum - target);
    if (distance < best) {
      best = distance;
      keep = i + 1;
    }
  });
  const moving = sorted.slice(keep);
  const leaving = new Set(moving);
  out[0] = out[0].filter((kg) => !leaving.has(kg));
  out[last].push(...moving);
  return Assignment.fromMap(out, assignment.maxParallelism, assignment.parallelism);
}

/**
 * The reference's fixed load-balance test: with 2 tasks and 16 key groups, key groups 2..7 go to task 1
 * (those on task 0 are removed from its list and appended, in id order, to task 1's). Returns a new assignment.
 *
 * @throws InvalidPlanError unless the assignment has 2 subtasks holding 16 key groups.
 */
export function loadBalance(assignment: Assignment): Assignment {
  const keyGroups = assignment.maxParallelism;
  if (assignment.parallelism !== 2 || keyGroups !== 16) {
    throw new InvalidPlanError(
      `scenario load_balance is the reference's fixed example and needs parallelism 2 and maxParallelism 16; got parallelism ${assignment.parallelism} and ${keyGroups} key groups`,
    );
  }
  const mapping = assignment.lists();
  const moving = [2, 3, 4, 5, 6, 7].filter((kg) => !mapping[1].includes(kg));
  const out = mapping.map((list) => list.filter((kg) => !moving.includes(kg)));
  out[1].push(...moving);
  return Assignment.fromMap(out, assignment.maxParallelism, assignment.parallelism);
}

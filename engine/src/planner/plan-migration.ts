/**
 * Plan generation, reference 1.6: from the current and target assignments and a strategy to a MigrationPlan
 * (affected key groups per source subtask → order → batch → merge → chunks, plus the replicated set).
 * Pure: no clock, randomness or I/O. Imports only core/, control/, errors and this folder.
 */
import type { Assignment } from '../core/assignment.ts';
import type { KeyGroupId } from '../core/key-group.ts';
import { validatePlan, type Chunk, type KeyGroupStats, type MigrationPlan, type Strategy } from '../control/plan.ts';
import { InvalidPlanError } from '../errors.ts';
import { batch, merge } from './batching.ts';
import { orderFunctionNamed } from './order.ts';
import { replicatedSet } from './replication.ts';

/** Everything a plan is made from. */
export interface PlanInput {
  /** The keyed operator whose key groups move. */
  readonly operator: string;
  /** Who holds each key group now. */
  readonly current: Assignment;
  /** Who should hold each key group afterwards: the same key groups and (physical) subtasks as `current`. */
  readonly target: Assignment;
  readonly strategy: Strategy;
  /** Measured per-key-group statistics (needed by rate-aware orders and hotRatio > 0). */
  readonly stats?: KeyGroupStats;
  /** Key groups replicated before this plan; the new set contains them all. */
  readonly previousReplicated?: readonly KeyGroupId[];
}

/**
 * The key groups whose owner changes, grouped by source subtask: entry s lists (ascending) the key groups
 * leaving subtask s. The array has one entry per subtask of `current`.
 *
 * @throws InvalidPlanError if the assignments differ in key groups or subtasks.
 */
export function affectedKeyGroups(current: Assignment, target: Assignment): KeyGroupId[][] {
  if (current.maxParallelism !== target.maxParallelism) {
    throw new InvalidPlanError(`target assignment covers ${target.maxParallelism} key groups; the current one covers ${current.maxParallelism}`);
  }
  if (current.parallelism !== target.parallelism) {
    throw new InvalidPlanError(`target assignment has ${target.parallelism} subtasks; the current one has ${current.parallelism}`);
  }
  const from = current.table();
  const to = target.table();
  const bySource: KeyGroupId[][] = Array.from({ length: current.parallelism }, () => []);
  for (let kg = 0; kg < from.length; kg++) if (from[kg] !== to[kg]) bySource[from[kg]].push(kg);
  return bySource;
}

/**
 * Makes the plan that moves every key group from its `current` owner to its `target` owner: each source
 * subtask's leaving key groups (sources in ascending order) are ordered by `strategy.order` (with `stats`
 * and `strategy.seed`), cut into batches of `strategy.syncKeys`, and batch i of every source forms chunk i
 * (seq 0..n-1). The replicated set is `previousReplicated` grown by `strategy.replicateFilter` and
 * `strategy.hotRatio`. Equal assignments give a plan without chunks. The result is checked with validatePlan.
 *
 * @throws InvalidConfigError for an unknown order, negative syncKeys, filter or a hotRatio outside [0, 1].
 * @throws InvalidPlanError for inconsistent assignments or a rate-aware order / hotRatio without stats.
 */
export function planMigration(input: PlanInput): MigrationPlan {
  const { operator, current, target, strategy, stats } = input;
  const order = orderFunctionNamed(strategy.order);
  const perSource: KeyGroupId[][][] = [];
  const leavingBySource = affectedKeyGroups(current, target);
  const from = current.table();
  const to = target.table();
  leavingBySource.forEach((leaving, sourceSubtask) => {
    if (leaving.length === 0) return;
    const ordered = order(leaving, { sourceSubtask, stats, seed: strategy.seed });
    perSource.push(batch(ordered, strategy.syncKeys));
  });
  const chunks: Chunk[] = merge(perSource).map((keyGroups, seq) => ({
    seq,
    moves: keyGroups.map((keyGroup) => ({ keyGroup, from: from[keyGroup], to: to[keyGroup] })),
  }));
  const replicated = replicatedSet(
    current.maxParallelism,
    strategy.replicateFilter,
    strategy.hotRatio,
    stats,
    input.previousReplicated ?? [],
  );
  const plan: MigrationPlan = { operator, strategy: { ...strategy }, replicated, chunks };
  validatePlan(plan, current);
  return plan;
}

/**
 * Plan generation, reference 1.6: from the current and target owner tables and a strategy to a MigrationPlan
 * (affected key groups per source subtask → order → batch → merge → chunks, plus the replicated set).
 * Pure: no clock, randomness or I/O. Imports only core/, control/, errors and this folder.
 */
import type { KeyGroupId } from '../core/key-group.ts';
import {
  validatePlan,
  type Chunk,
  type KeyGroupStats,
  type MigrationPlan,
  type OwnerTable,
  type Strategy,
} from '../control/plan.ts';
import { InvalidPlanError } from '../errors.ts';
import { batch, merge } from './batching.ts';
import { orderFunctionNamed } from './order.ts';
import { replicatedSet } from './replication.ts';

/** Everything a plan is made from. */
export interface PlanInput {
  /** The keyed operator whose key groups move. */
  readonly operator: string;
  /** `current[kg]`: the subtask holding key group kg now; its length is the max parallelism. */
  readonly current: OwnerTable;
  /** `target[kg]`: the subtask that should hold kg afterwards; same length as `current`. */
  readonly target: OwnerTable;
  /** Number of (physical) subtasks; owners are in 0..parallelism-1. */
  readonly parallelism: number;
  readonly strategy: Strategy;
  /** Measured per-key-group statistics (needed by rate-aware orders and hotRatio > 0). */
  readonly stats?: KeyGroupStats;
  /** Key groups replicated before this plan; the new set contains them all. */
  readonly previousReplicated?: readonly KeyGroupId[];
}

/**
 * The key groups whose owner changes, grouped by source subtask: entry s lists (ascending) the key groups
 * leaving subtask s. The array has `parallelism` entries.
 *
 * @throws InvalidPlanError if the tables differ in length or hold an owner outside 0..parallelism-1.
 */
export function affectedKeyGroups(current: OwnerTable, target: OwnerTable, parallelism: number): KeyGroupId[][] {
  if (current.length !== target.length) {
    throw new InvalidPlanError(`target assignment covers ${target.length} key groups; the current one covers ${current.length}`);
  }
  const bySource: KeyGroupId[][] = Array.from({ length: parallelism }, () => []);
  for (let kg = 0; kg < current.length; kg++) {
    checkOwner('current', kg, current[kg], parallelism);
    checkOwner('target', kg, target[kg], parallelism);
    if (current[kg] !== target[kg]) bySource[current[kg]].push(kg);
  }
  return bySource;
}

function checkOwner(table: string, kg: KeyGroupId, owner: number, parallelism: number): void {
  if (!Number.isInteger(owner) || owner < 0 || owner >= parallelism) {
    throw new InvalidPlanError(`${table} assignment: key group ${kg} is owned by subtask ${owner}; subtasks are 0..${parallelism - 1}`);
  }
}

/**
 * Makes the plan that moves every key group from its `current` owner to its `target` owner: each source
 * subtask's leaving key groups (sources in ascending order) are ordered by `strategy.order` (with `stats`
 * and `strategy.seed`), cut into batches of `strategy.syncKeys`, and batch i of every source forms chunk i
 * (seq 0..n-1). The replicated set is `previousReplicated` grown by `strategy.replicateFilter` and
 * `strategy.hotRatio`. Equal tables give a plan without chunks. The result is checked with validatePlan.
 *
 * @throws InvalidConfigError for an unknown order, negative syncKeys, filter or a hotRatio outside [0, 1].
 * @throws InvalidPlanError for inconsistent tables or a rate-aware order / hotRatio without stats.
 */
export function planMigration(input: PlanInput): MigrationPlan {
  const { operator, current, target, parallelism, strategy, stats } = input;
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new InvalidPlanError(`parallelism must be a positive integer, got ${parallelism}`);
  }
  const order = orderFunctionNamed(strategy.order);
  const perSource: KeyGroupId[][][] = [];
  affectedKeyGroups(current, target, parallelism).forEach((leaving, sourceSubtask) => {
    if (leaving.length === 0) return;
    const ordered = order(leaving, { sourceSubtask, stats, seed: strategy.seed });
    perSource.push(batch(ordered, strategy.syncKeys));
  });
  const chunks: Chunk[] = merge(perSource).map((keyGroups, seq) => ({
    seq,
    moves: keyGroups.map((keyGroup) => ({ keyGroup, from: current[keyGroup], to: target[keyGroup] })),
  }));
  const replicated = replicatedSet(
    current.length,
    strategy.replicateFilter,
    strategy.hotRatio,
    stats,
    input.previousReplicated ?? [],
  );
  const plan: MigrationPlan = { operator, strategy: { ...strategy }, replicated, chunks };
  validatePlan(plan, current, parallelism);
  return plan;
}

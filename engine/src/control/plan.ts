/**
 * A migration plan as data: JSON-serialisable, so the harness can log, diff and replay it. Grammar:
 *   MigrationPlan := { operator, strategy, replicated: kg*, chunks: Chunk* }
 *   Chunk         := { seq (0, 1, 2 ...), moves: Move+ }
 *   Move          := { keyGroup, from, to }           from != to
 * Every key group appears in at most one move of a plan. Imports only core/ and errors.
 */
import type { Assignment } from '../core/assignment.ts';
import type { KeyGroupId } from '../core/key-group.ts';
import { InvalidPlanError } from '../errors.ts';

/** Names of the order functions (reference 1.3, plus rate-aware ones). */
export const ORDER_FUNCTIONS = ['default', 'reverse', 'random', 'hot-first', 'cold-first'] as const;
export type OrderFunction = (typeof ORDER_FUNCTIONS)[number];

/** How a plan is made: the three planning dimensions (reference section 1). */
export interface Strategy {
  /** Order of key groups within each source subtask. */
  readonly order: OrderFunction;
  /** Key groups per source subtask per chunk; 0 = all at once. */
  readonly syncKeys: number;
  /** Replicate key groups with `kg % filter === 0`; 0 = none. */
  readonly replicateFilter: number;
  /** Also replicate this fraction (0..1) of the hottest key groups. */
  readonly hotRatio: number;
  /** Seed of the `random` order (reference: 12345678, one generator per source subtask). */
  readonly seed: number;
}

/** One key group changing owner. */
export interface Move {
  readonly keyGroup: KeyGroupId;
  readonly from: number;
  readonly to: number;
}

/** A set of moves executed together behind one reconfiguration barrier. */
export interface Chunk {
  /** Position in the plan, from 0. */
  readonly seq: number;
  readonly moves: readonly Move[];
}

export interface MigrationPlan {
  /** The keyed operator whose key groups move. */
  readonly operator: string;
  readonly strategy: Strategy;
  /** Key groups kept replicated (ascending); only ever grows from one plan to the next. */
  readonly replicated: readonly KeyGroupId[];
  readonly chunks: readonly Chunk[];
}

/** Measured statistics per key group, indexed by key group. */
export interface KeyGroupStats {
  /** Records per second recently processed (hotness). */
  readonly rate: ArrayLike<number>;
  /** Bytes of state held. */
  readonly bytes: ArrayLike<number>;
}

/** Owner table: `owner[kg]` is the subtask that holds key group `kg` (inside a layer; the API takes Assignments). */
export type OwnerTable = ArrayLike<number>;

/**
 * Checks that `plan` can run from `assignment`: chunk sequence numbers are 0, 1, ..; each move's `from` is
 * the key group's owner at that point; no key group moves twice; subtasks and key groups are in range.
 */
export function validatePlan(plan: MigrationPlan, assignment: Assignment): void {
  const current = assignment.table();
  const parallelism = assignment.parallelism;
  const seen = new Set<KeyGroupId>();
  plan.chunks.forEach((chunk, i) => {
    if (chunk.seq !== i) throw new InvalidPlanError(`chunk ${i} has sequence number ${chunk.seq}; expected ${i}`);
    if (chunk.moves.length === 0) throw new InvalidPlanError(`chunk ${i} has no moves`);
    for (const m of chunk.moves) {
      if (!Number.isInteger(m.keyGroup) || m.keyGroup < 0 || m.keyGroup >= current.length) throw new InvalidPlanError(`chunk ${i}: key group ${m.keyGroup} is not in 0..${current.length - 1}`);
      if (seen.has(m.keyGroup)) throw new InvalidPlanError(`chunk ${i}: key group ${m.keyGroup} moves twice in one plan`);
      seen.add(m.keyGroup);
      if (current[m.keyGroup] !== m.from) throw new InvalidPlanError(`chunk ${i}: key group ${m.keyGroup} moves from subtask ${m.from} but is held by ${current[m.keyGroup]}`);
      if (!Number.isInteger(m.to) || m.to < 0 || m.to >= parallelism) throw new InvalidPlanError(`chunk ${i}: key group ${m.keyGroup} moves to subtask ${m.to}; subtasks are 0..${parallelism - 1}`);
      if (m.to === m.from) throw new InvalidPlanError(`chunk ${i}: key group ${m.keyGroup} moves from subtask ${m.from} to itself`);
    }
  });
}

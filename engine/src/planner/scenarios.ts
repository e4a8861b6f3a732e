/**
 * The reference's scenarios (reference 1.8) as data: timed phases, each computing a target assignment from
 * the previous one, optionally changing the strategy from that phase on. Re-exports the generators, rescale
 * and the target-file reader of scenarios/. Pure; imports only core/, control/, errors and the planner.
 */
import type { Assignment } from '../core/assignment.ts';
import type { Strategy } from '../control/plan.ts';
import { InvalidParameterError } from '../errors.ts';
import { equiShuffle, loadBalance, loadBalanceZipf, selectAffectedTasks } from './scenarios/generators.ts';
import { rescale } from './scenarios/mapping.ts';

export { REFERENCE_SEED, equiShuffle, loadBalance, loadBalanceZipf, selectAffectedTasks, shareSize } from './scenarios/generators.ts';
export { rescale } from './scenarios/mapping.ts';
export { parseTargetAssignment } from './scenarios/target-file.ts';

/** What a phase may use to compute its target. */
export interface ScenarioContext {
  readonly maxParallelism: number;
  /** Physical parallelism: the number of deployed subtasks (= the assignment's parallelism). */
  readonly parallelism: number;
  /** Key groups a shuffle moves. */
  readonly affectedKeys: number;
  /** Tasks taking part in a shuffle. */
  readonly affectedTasks: number;
  /** Skew of the zipf workload, for load_balance_zipf. */
  readonly zipfSkew: number;
  /** Seed for choosing the affected tasks (reference: 12345678). */
  readonly seed: number;
}

/** One reconfiguration of a scenario. */
export interface ScenarioPhase {
  /** Start of the phase, in ms after the scenario starts. */
  readonly atMs: number;
  /** Strategy fields changed from this phase on (the reference's `changePlan`); absent = unchanged. */
  readonly strategy?: Partial<Strategy>;
  /** The target, computed from the previous phase's target (the job's assignment for phase 0), lists in order. */
  readonly target: (assignment: Assignment, ctx: ScenarioContext) => Assignment;
}

/** Scenario names (the reference's spelling). */
export const SCENARIO_NAMES = ['shuffle', 'load_balance', 'load_balance_zipf', 'static', 'dynamic', 'stock'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const shuffle = (fraction: number) => (assignment: Assignment, ctx: ScenarioContext) =>
  equiShuffle(assignment, Math.floor(ctx.affectedKeys / fraction), selectAffectedTasks(ctx.affectedTasks, assignment.parallelism, ctx.seed));
const zipf = (assignment: Assignment, ctx: ScenarioContext) => loadBalanceZipf(assignment, ctx.zipfSkew);
const scaleTo = (p: number) => (assignment: Assignment, ctx: ScenarioContext) => rescale(ctx.maxParallelism, assignment.parallelism, p);

/** Phase programs by name. The 30 s / 10 s spacing is measured from the scenario's start. */
export const SCENARIOS: Readonly<Record<ScenarioName, readonly ScenarioPhase[]>> = Object.freeze({
  /** equiShuffle(affected_keys) over affected_tasks, once. */
  shuffle: [{ atMs: 0, target: shuffle(1) }],
  /** The fixed 2-task, 16-key-group example: key groups 2..7 to task 1. */
  load_balance: [{ atMs: 0, target: (assignment: Assignment) => loadBalance(assignment) }],
  /** Move task 0's colder key groups to the last task to even out zipf load. */
  load_balance_zipf: [{ atMs: 0, target: zipf }],
  /** equiShuffle(affected_keys/4), then equiShuffle(affected_keys) on top, then loadBalanceZipf. */
  static: [
    { atMs: 0, target: shuffle(4) },
    { atMs: 30_000, target: shuffle(1) },
    { atMs: 60_000, target: zipf },
  ],
  /** As `static`, with the strategy switched before phases 2 and 3 (the overview figures' "Spacker"). */
  dynamic: [
    { atMs: 0, target: shuffle(4) },
    { atMs: 30_000, strategy: { syncKeys: 8, replicateFilter: 2, order: 'random' }, target: shuffle(1) },
    { atMs: 60_000, strategy: { syncKeys: 8, replicateFilter: 2, order: 'default' }, target: zipf },
  ],
  /** Scale in 16→4, out 4→8, in 8→6 over a fixed set of physical subtasks. */
  stock: [
    { atMs: 0, target: scaleTo(4) },
    { atMs: 10_000, target: scaleTo(8) },
    { atMs: 20_000, target: scaleTo(6) },
  ],
});

/** The phases of scenario `name`; InvalidParameterError (field `scenario`) listing the allowed names if there is none. */
export function scenarioNamed(name: string): readonly ScenarioPhase[] {
  if (!(SCENARIO_NAMES as readonly string[]).includes(name)) {
    throw new InvalidParameterError('scenario', name, SCENARIO_NAMES.join(', '));
  }
  return SCENARIOS[name as ScenarioName];
}

/** The strategy in force during phase `index`: `base` with the changes of phases 0..index applied in turn. */
export function strategyAt(base: Strategy, phases: readonly ScenarioPhase[], index: number): Strategy {
  let strategy = base;
  for (let i = 0; i <= index && i < phases.length; i++) strategy = { ...strategy, ...phases[i].strategy };
  return strategy;
}

/**
 * The target of every phase, each computed from the previous target (with its list order, as the
 * reference's DummyController keeps its own mapping), starting from `initial`.
 */
export function scenarioTargets(phases: readonly ScenarioPhase[], initial: Assignment, ctx: ScenarioContext): Assignment[] {
  const targets: Assignment[] = [];
  let assignment = initial;
  for (const phase of phases) {
    assignment = phase.target(assignment, ctx);
    targets.push(assignment);
  }
  return targets;
}

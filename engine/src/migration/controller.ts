/**
 * The controller drives a scenario (reference 1.8, DummyController): at `start` ms after the job began it
 * runs the scenario's phases in turn — each phase computes its target from the previous one, is planned
 * with the strategy in force (phases may change it) and the measured key-group rates, and executed by the
 * run's migration mechanism through the layer's `prepare` / `start`. A phase starts at its offset from the scenario's start, but
 * never before the previous phase finished. With an interval the whole scenario repeats.
 *
 * A phase is planned up to PLAN_AHEAD_MS before it is due (with the rates measured then): planning a
 * thousand key groups takes milliseconds of the one thread every task shares, and spent at the due time it
 * would show as latency of every record in the migration's first second.
 */
import type { KeyGroupStats, Strategy } from '../control/plan.ts';
import { replicatedSet } from '../planner/replication.ts';
import { strategyAt, type ScenarioContext, type ScenarioPhase } from '../planner/scenarios.ts';
import { Assignment } from '../core/assignment.ts';
import type { MigrationRequest, PlanCallback, PlanReport, PreparedMigration } from './mechanism.ts';
import type { JobPort } from './ports.ts';
import type { Replication } from './replication.ts';

/** The layer's way in, as the controller uses it. */
export interface MigrationEntry {
  prepare(request: MigrationRequest, mechanism?: string): PreparedMigration;
  start(request: MigrationRequest | PreparedMigration, done: PlanCallback, mechanism?: string): void;
  measuredStats(): KeyGroupStats;
}

/** How long before a phase is due it may be planned, ms. */
export const PLAN_AHEAD_MS = 500;

/** A phase computed ahead of its start: its target and, for a live migration, its plan. */
interface PreparedPhase {
  readonly round: number;
  readonly phase: number;
  readonly target: Assignment;
  readonly strategy: Strategy;
  readonly prepared: PreparedMigration;
}

export interface ControllerOptions {
  readonly operator: string;
  readonly phases: readonly ScenarioPhase[];
  readonly context: ScenarioContext;
  /** Base strategy (phases may change fields of it). */
  readonly strategy: Strategy;
  /** The mechanism every phase runs with (a registry name). */
  readonly mechanism: string;
  /** Elapsed ms after which the scenario starts. */
  readonly startMs: number;
  /** Ms between the end of one run of the scenario and the start of the next; Infinity = once. */
  readonly intervalMs: number;
}

/** What one executed phase reports. */
export interface PhaseReport extends PlanReport {
  readonly round: number;
  readonly phase: number;
  readonly mechanism: string;
  readonly strategy: Strategy;
}

export class MigrationController {
  readonly reports: PhaseReport[] = [];
  private round = 0;
  private phase = 0;
  private roundStartMs: number;
  private busy = false;
  private failure: unknown;
  /** The assignment the next phase computes its target from, lists in order (the scenario's own, as the reference). */
  private mapping: Assignment | undefined;
  private previousReplicated: readonly number[] = [];
  private prepared: PreparedPhase | undefined;

  constructor(
    private readonly job: JobPort,
    private readonly entry: MigrationEntry,
    private readonly replication: Replication,
    readonly options: ControllerOptions,
  ) {
    this.roundStartMs = options.startMs;
    this.prepareReplication();
  }

  /** Starts the next phase when it is due; `ratesSampled`: the layer took a rate sample this step. */
  step(ratesSampled = false): boolean {
    if (this.failure !== undefined) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
    // Steps come in every gap between records: the clock's last reading serves (phases are due to the ms).
    const now = this.job.recentElapsedMs();
    if (ratesSampled && !this.busy && !this.finished) this.prepareReplication();
    if (this.busy || this.finished) return false;
    if (this.job.sourcesDone()) {
      // No input left to migrate under: the scenario ends here.
      this.round = Infinity;
      return false;
    }
    if (this.phase >= this.options.phases.length) return false;
    const dueMs = this.roundStartMs + this.options.phases[this.phase].atMs;
    if (now < dueMs - PLAN_AHEAD_MS) return false;
    if (this.prepared === undefined) {
      this.prepared = this.preparePhase();
      if (now < dueMs) return true;
    }
    if (now < dueMs) return false;
    this.startPhase(this.prepared);
    this.prepared = undefined;
    return true;
  }

  /** True once every phase of every round that can still start has run. */
  get finished(): boolean {
    return this.round === Infinity || (this.phase >= this.options.phases.length && !Number.isFinite(this.options.intervalMs));
  }

  nextDueMs(): number {
    if (this.busy || this.finished || this.phase >= this.options.phases.length) return Infinity;
    const lead = this.prepared === undefined ? PLAN_AHEAD_MS : 0;
    return this.job.clock.now() + (this.roundStartMs + this.options.phases[this.phase].atMs - lead - this.job.elapsedMs());
  }

  /** The next phase's target (from the previous phase's) and its plan, from the assignment and rates now. */
  private preparePhase(): PreparedPhase {
    const o = this.options;
    const index = this.phase;
    const current = this.job.assignment(o.operator);
    // Phase 0 starts from the job's assignment with its lists ascending (the reference's initial mapping).
    const base = this.mapping ?? Assignment.fromMap(current.toMap(), current.maxParallelism, current.parallelism);
    const target = o.phases[index].target(base, o.context);
    const strategy = strategyAt(o.strategy, o.phases, index);
    const request: MigrationRequest = {
      target,
      strategy,
      stats: this.entry.measuredStats(),
      previousReplicated: this.previousReplicated,
    };
    return { round: this.round, phase: index, target, strategy, prepared: this.entry.prepare(request, o.mechanism) };
  }

  private startPhase(p: PreparedPhase): void {
    const o = this.options;
    const index = p.phase;
    const strategy = p.strategy;
    this.mapping = p.target;
    this.job.emit({ event: 'phase_start', round: this.round, phase: index, mode: o.mechanism, order: strategy.order, syncKeys: strategy.syncKeys, replicateFilter: strategy.replicateFilter });
    this.busy = true;
    const done = (err: unknown, report: PlanReport | undefined): void => {
      this.busy = false;
      if (err !== undefined || report === undefined) {
        this.failure = err ?? new Error('plan ended without a report');
        return;
      }
      this.reports.push({ ...report, round: this.round, phase: index, mechanism: o.mechanism, strategy });
      this.advance();
    };
    if (p.prepared.replicated !== undefined) this.previousReplicated = p.prepared.replicated;
    this.entry.start(p.prepared, done);
  }

  /**
   * Grows the replicated set for the strategy of the next phase, as soon as it is known (the reference's
   * changePlan updates its backup key groups right after the previous migration), so that checkpoints can
   * build the replicas before the migration needs them.
   */
  private prepareReplication(): void {
    const o = this.options;
    const next = strategyAt(o.strategy, o.phases, Math.min(this.phase, o.phases.length - 1));
    if (next.replicateFilter === 0 && next.hotRatio === 0) return;
    const mp = this.job.assignment(o.operator).maxParallelism;
    const set = replicatedSet(mp, next.replicateFilter, next.hotRatio, this.entry.measuredStats(), this.replication.replicatedList());
    this.replication.grow(set);
    this.previousReplicated = this.replication.replicatedList();
  }

  private advance(): void {
    this.phase++;
    if (this.phase < this.options.phases.length) return;
    if (!Number.isFinite(this.options.intervalMs)) return;
    this.round++;
    this.phase = 0;
    this.roundStartMs = this.job.elapsedMs() + this.options.intervalMs;
  }
}

/**
 * The controller drives a scenario (reference 1.8, DummyController): at `start` ms after the job began it
 * runs the scenario's phases in turn — each phase computes its target from the previous one, is planned
 * with the strategy in force (phases may change it) and the measured key-group rates, and executed by the
 * Spacker executor or the restart baseline. A phase starts at its offset from the scenario's start, but
 * never before the previous phase finished. With an interval the whole scenario repeats.
 */
import type { Strategy } from '../control/plan.ts';
import { planMigration } from '../planner/plan-migration.ts';
import { replicatedSet } from '../planner/replication.ts';
import { fromOwnerTable, toOwnerTable, type Mapping } from '../planner/scenarios.ts';
import { strategyAt, type ScenarioContext, type ScenarioPhase } from '../planner/scenarios.ts';
import { Assignment } from '../routing/assignment.ts';
import type { MigrationExecutor, PlanReport } from './executor.ts';
import type { JobPort } from './ports.ts';
import type { Replication } from './replication.ts';
import type { RestartExecutor } from './restart.ts';
import { RateMeter } from './rate-meter.ts';

export type MigrationMode = 'spacker' | 'restart';

export interface ControllerOptions {
  readonly operator: string;
  readonly phases: readonly ScenarioPhase[];
  readonly context: ScenarioContext;
  /** Base strategy (phases may change fields of it). */
  readonly strategy: Strategy;
  readonly mode: MigrationMode;
  /** Elapsed ms after which the scenario starts. */
  readonly startMs: number;
  /** Ms between the end of one run of the scenario and the start of the next; Infinity = once. */
  readonly intervalMs: number;
}

/** What one executed phase reports. */
export interface PhaseReport extends PlanReport {
  readonly round: number;
  readonly phase: number;
  readonly mode: MigrationMode;
  readonly strategy: Strategy;
}

export class MigrationController {
  readonly reports: PhaseReport[] = [];
  private round = 0;
  private phase = 0;
  private roundStartMs: number;
  private busy = false;
  private failure: unknown;
  /** The mapping the next phase computes its target from (the scenario's own copy, as the reference). */
  private mapping: Mapping | undefined;
  private previousReplicated: readonly number[] = [];
  private readonly rates: RateMeter;

  constructor(
    private readonly job: JobPort,
    private readonly executor: MigrationExecutor,
    private readonly restart: RestartExecutor,
    private readonly replication: Replication,
    readonly options: ControllerOptions,
  ) {
    this.roundStartMs = options.startMs;
    this.rates = new RateMeter(job.subtasks(options.operator));
    this.prepareReplication();
  }

  /** Starts the next phase when it is due; returns whether it did anything. */
  step(): boolean {
    if (this.failure !== undefined) {
      const f = this.failure;
      this.failure = undefined;
      throw f;
    }
    const now = this.job.elapsedMs();
    if (this.rates.sample(now) && !this.busy && !this.finished) this.prepareReplication();
    if (this.busy || this.finished) return false;
    if (this.job.sourcesDone()) {
      // No input left to migrate under: the scenario ends here.
      this.round = Infinity;
      return false;
    }
    if (this.phase >= this.options.phases.length || now < this.roundStartMs + this.options.phases[this.phase].atMs) return false;
    this.startPhase();
    return true;
  }

  /** True once every phase of every round that can still start has run. */
  get finished(): boolean {
    return this.round === Infinity || (this.phase >= this.options.phases.length && !Number.isFinite(this.options.intervalMs));
  }

  nextDueMs(): number {
    if (this.busy || this.finished || this.phase >= this.options.phases.length) return Infinity;
    return this.job.clock.now() + (this.roundStartMs + this.options.phases[this.phase].atMs - this.job.elapsedMs());
  }

  private startPhase(): void {
    const o = this.options;
    const index = this.phase;
    const current = this.job.assignment(o.operator);
    const base = this.mapping ?? fromOwnerTable(current.table(), current.parallelism);
    const target = o.phases[index].target(base, o.context);
    this.mapping = target;
    const strategy = strategyAt(o.strategy, o.phases, index);
    this.job.emit('phase_start', `round=${this.round};phase=${index};mode=${o.mode};order=${strategy.order};sync_keys=${strategy.syncKeys};replicate_filter=${strategy.replicateFilter}`);
    this.busy = true;
    const done = (err: unknown, report: PlanReport | undefined): void => {
      this.busy = false;
      if (err !== undefined || report === undefined) {
        this.failure = err ?? new Error('plan ended without a report');
        return;
      }
      this.reports.push({ ...report, round: this.round, phase: index, mode: o.mode, strategy });
      this.advance();
    };
    if (o.mode === 'restart') {
      this.restart.start(Assignment.fromMap(target, current.maxParallelism, current.parallelism), done);
    } else {
      const plan = planMigration({
        operator: o.operator,
        current: current.table(),
        target: toOwnerTable(target, current.maxParallelism),
        parallelism: current.parallelism,
        strategy,
        stats: { rate: this.rates.rates(), bytes: this.bytesPerKeyGroup() },
        previousReplicated: this.previousReplicated,
      });
      this.previousReplicated = plan.replicated;
      this.executor.start(plan, done);
    }
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
    const stats = { rate: this.rates.rates(), bytes: this.bytesPerKeyGroup() };
    const set = replicatedSet(mp, next.replicateFilter, next.hotRatio, stats, this.replication.replicatedList());
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

  private bytesPerKeyGroup(): Float64Array {
    const mp = this.job.assignment(this.options.operator).maxParallelism;
    const bytes = new Float64Array(mp);
    for (const s of this.job.subtasks(this.options.operator)) for (let kg = 0; kg < mp; kg++) bytes[kg] += s.state.bytes[kg];
    return bytes;
  }
}

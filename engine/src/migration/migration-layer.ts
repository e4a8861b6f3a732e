/**
 * The Spacker migration layer of one keyed operator, assembled: replication (a checkpoint participant), the
 * chunk executor, the restart baseline, the links between TaskManagers and, optionally, a scenario
 * controller. Its work runs as one cooperative task beside the job's own; the runtime routes barrier
 * alignments, drained key groups and checkpoints to it.
 */
import type { ReconfigBarrier } from '../core/control-event.ts';
import type { MigrationPlan } from '../control/plan.ts';
import type { Assignment } from '../routing/assignment.ts';
import { MigrationController, type ControllerOptions } from './controller.ts';
import { MigrationExecutor, type PlanReport } from './executor.ts';
import type { TransitionObserver } from './key-group-machine.ts';
import { Network } from './network.ts';
import type { CheckpointParticipant, JobPort, StepTask, SubtaskPort, TimerSink } from './ports.ts';
import { Replication } from './replication.ts';
import { decodeKeyGroup, encodeKeyGroup } from '../state/snapshot-codec.ts';
import { planMigration } from '../planner/plan-migration.ts';
import { replicatedSet } from '../planner/replication.ts';
import { RestartExecutor } from './restart.ts';

export interface MigrationLayerOptions {
  readonly operator: string;
  readonly timers: TimerSink;
  /** Links between TaskManagers: MB/s (0 = memory speed) and one-way latency in ms. */
  readonly link?: { bandwidthMBps: number; latencyMs: number };
  /** Replicate `kg % filter == 0` from the start (0 = none); a controller grows the set per its phases. */
  readonly replicateFilter?: number;
  /** A scenario to drive; without one, plans run only when `runPlan` / `runRestart` is called. */
  readonly controller?: Omit<ControllerOptions, 'operator'>;
  readonly observer?: TransitionObserver;
}

type Subtask = SubtaskPort & { readonly name: string };

/**
 * Runs the snapshot codec and the planner once on tiny inputs, so that their first real use during a
 * migration does not pay for compiling them (several milliseconds that every record would wait for).
 */
function warmUp(): void {
  const tables = new Map([['warm-up', new Map<string | number, unknown>([['k', Buffer.alloc(64)], [1, { n: 1 }], ['m', new Map([['x', [1, 2]]])]])]]);
  decodeKeyGroup(encodeKeyGroup(tables), (n) => Buffer.allocUnsafe(n));
  const strategy = { order: 'default', syncKeys: 1, replicateFilter: 2, hotRatio: 0, seed: 1 } as const;
  planMigration({ operator: 'warm-up', current: [0, 0, 1, 1], target: [1, 0, 0, 1], parallelism: 2, strategy });
}

export class MigrationLayer implements CheckpointParticipant, StepTask {
  readonly label: string;
  readonly network: Network;
  readonly replication: Replication;
  readonly executor: MigrationExecutor;
  readonly restart: RestartExecutor;
  readonly controller: MigrationController | undefined;
  private reconfigIds = 1;

  constructor(
    private readonly job: JobPort,
    readonly options: MigrationLayerOptions,
  ) {
    const op = options.operator;
    this.label = `migration-${op}`;
    this.network = new Network(job.clock, options.link?.bandwidthMBps ?? 0, options.link?.latencyMs ?? 0);
    const mp = job.assignment(op).maxParallelism;
    this.replication = new Replication(job, op, mp);
    const filter = options.replicateFilter ?? 0;
    this.replication.grow(replicatedSet(mp, filter, 0, undefined, []));
    this.executor = new MigrationExecutor(job, op, this.network, this.replication, options.timers, options.observer);
    this.restart = new RestartExecutor(job, op, options.timers, () => this.reconfigIds++);
    this.controller = options.controller === undefined ? undefined : new MigrationController(job, this.executor, this.restart, this.replication, { ...options.controller, operator: op });
    warmUp();
  }

  runPlan(plan: MigrationPlan): Promise<PlanReport> {
    return this.executor.run(plan);
  }

  runRestart(target: Assignment): Promise<PlanReport> {
    return this.restart.run(target);
  }

  onCheckpoint(subtask: Subtask, checkpointId: number): void {
    this.replication.onCheckpoint(subtask, checkpointId);
  }

  onReconfigAligned(task: Subtask, barrier: ReconfigBarrier): void {
    this.executor.onReconfigAligned(task, barrier.id);
  }

  onKeyGroupDrained(task: Subtask, kg: number): void {
    this.executor.onKeyGroupDrained(task, kg);
  }

  /** The layer's work waits for the gaps between records (see runtime/scheduler.ts). */
  readonly background = true;

  /** `untilMs`: the end of the gap this step may use (performance.now() time); none when the scheduler forces a step. */
  step(untilMs?: number): boolean {
    let worked = this.controller?.step() ?? false;
    if (this.replication.step(untilMs)) worked = true;
    if (this.executor.step(untilMs)) worked = true;
    if (this.restart.step()) worked = true;
    return worked;
  }

  nextDueMs(): number {
    return Math.min(this.controller?.nextDueMs() ?? Infinity, this.executor.nextDueMs());
  }

  /** Done when no scenario is left to run and no plan, restart or replication is in progress. */
  get done(): boolean {
    return (this.controller?.finished ?? this.job.sourcesDone()) && !this.executor.busy && !this.restart.busy && this.replication.pending === 0;
  }
}

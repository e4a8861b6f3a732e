/**
 * The migration layer of one keyed operator: the shared services (links between TaskManagers, the state
 * transfer, replication at checkpoints, rate statistics), the registered mechanisms it creates on first use,
 * and optionally a scenario controller. `request` and `status` are the only way in (the controller, the
 * ZooKeeper control plane and the run all use them); one migration runs at a time. The layer is the gate of
 * the operator's subtasks and hands each record of a watched key group to the mechanism in progress. Its
 * work runs as one cooperative task beside the job's own.
 */
import type { ReconfigBarrier } from '../core/control-event.ts';
import type { Key } from '../core/key-group.ts';
import type { KeyGroupStats } from '../control/plan.ts';
import { ProtocolError } from '../errors.ts';
import { MigrationController, type ControllerOptions, type PhaseReport } from './controller.ts';
import { promised, type MechanismProgress, type MigrationMechanism, type MigrationRequest, type PlanCallback, type PlanReport, type PreparedMigration, type Subtask, type TransitionObserver } from './mechanism.ts';
import { Network } from './network.ts';
import type { CheckpointParticipant, JobPort, RecordGate, StepTask, SubtaskPort, TimerSink } from './ports.ts';
import { lazyStats, RateMeter } from './rate-meter.ts';
import { mechanismNamed, resolveOptions } from './registry.ts';
import { Replication } from './replication.ts';
import { StateTransfer } from './state-transfer.ts';
import { decodeKeyGroup, encodeKeyGroup } from '../state/snapshot-codec.ts';
import { planMigration } from '../planner/plan-migration.ts';
import { replicatedSet } from '../planner/replication.ts';
import type { MigrationPlan } from '../control/plan.ts';
import { Assignment } from '../core/assignment.ts';

export interface MigrationLayerOptions {
  readonly operator: string;
  readonly timers: TimerSink;
  /** The mechanism requests use unless they name one (default 'spacker'). */
  readonly mechanism?: string;
  /** Options per mechanism name (checked against its spec; defaults for the rest). */
  readonly mechanismOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Links between TaskManagers: MB/s (0 = memory speed) and one-way latency in ms. */
  readonly link?: { bandwidthMBps: number; latencyMs: number };
  /** Replicate `kg % filter == 0` from the start (0 = none); a controller grows the set per its phases. */
  readonly replicateFilter?: number;
  /** A scenario to drive; without one, migrations run only when `request` is called. */
  readonly controller?: Omit<ControllerOptions, 'operator'>;
  readonly observer?: TransitionObserver;
}

/** What the layer is doing: what `run-job`, the control plane and tests read. */
export interface MigrationStatus {
  readonly state: 'idle' | 'migrating';
  /** The mechanism of the migration in progress. */
  readonly mechanism?: string;
  readonly progress?: MechanismProgress;
  /** Migrations finished so far (scenario phases and requests). */
  readonly finished: number;
  /** Whether a scenario is still to run (requests from outside are refused until it has). */
  readonly scenarioRunning: boolean;
}

/**
 * Runs the snapshot codec and the planner once on tiny inputs, so that their first real use during a
 * migration does not pay for compiling them (several milliseconds that every record would wait for).
 */
function warmUp(): void {
  const tables = new Map([['warm-up', new Map<string | number, unknown>([['k', Buffer.alloc(64)], [1, { n: 1 }], ['m', new Map([['x', [1, 2]]])]])]]);
  decodeKeyGroup(encodeKeyGroup(tables), (n) => Buffer.allocUnsafe(n));
  const strategy = { order: 'default', syncKeys: 1, replicateFilter: 2, hotRatio: 0, seed: 1 } as const;
  planMigration({ operator: 'warm-up', current: Assignment.initial(4, 2), target: Assignment.fromMap([[1, 2], [0, 3]], 4, 2), strategy });
}

export class MigrationLayer implements CheckpointParticipant, StepTask, RecordGate {
  readonly label: string;
  readonly network: Network;
  readonly transfer: StateTransfer;
  readonly replication: Replication;
  readonly controller: MigrationController | undefined;
  readonly defaultMechanism: string;
  private readonly mechanisms = new Map<string, MigrationMechanism>();
  private readonly subtaskList: readonly Subtask[];
  private readonly rates: RateMeter;
  private active: MigrationMechanism | undefined;
  private finishedCount = 0;
  private reconfigIds = 1;

  constructor(
    private readonly job: JobPort,
    readonly options: MigrationLayerOptions,
  ) {
    const op = options.operator;
    this.label = `migration-${op}`;
    this.network = new Network(job.clock, options.link?.bandwidthMBps ?? 0, options.link?.latencyMs ?? 0);
    this.transfer = new StateTransfer(job, this.network);
    const a = job.assignment(op);
    const mp = a.maxParallelism;
    this.subtaskList = job.subtasks(op) as readonly Subtask[];
    this.replication = new Replication(job, op, mp);
    this.rates = new RateMeter(this.subtaskList);
    this.defaultMechanism = options.mechanism ?? 'spacker';
    const spec = mechanismNamed(this.defaultMechanism);
    // Options are checked up front, against the job, before anything runs.
    for (const [name, given] of Object.entries(options.mechanismOptions ?? {})) resolveOptions(mechanismNamed(name), given, a);
    const filter = spec.replicatesAll === true ? 1 : (options.replicateFilter ?? 0);
    this.replication.grow(replicatedSet(mp, filter, 0, undefined, []));
    this.mechanism(this.defaultMechanism);
    this.controller = options.controller === undefined ? undefined : new MigrationController(job, this, this.replication, { ...options.controller, operator: op });
    for (const s of this.subtaskList) s.gate = this;
    warmUp();
  }

  /** The mechanism called `name`, created with its options on first use. */
  mechanism(name: string): MigrationMechanism {
    let m = this.mechanisms.get(name);
    if (m === undefined) {
      const spec = mechanismNamed(name);
      const options = resolveOptions(spec, this.options.mechanismOptions?.[name] ?? {}, this.job.assignment(this.options.operator));
      m = spec.create({
        job: this.job,
        operator: this.options.operator,
        subtasks: this.subtaskList,
        network: this.network,
        transfer: this.transfer,
        replication: this.replication,
        timers: this.options.timers,
        observer: this.options.observer,
        options,
        nextReconfigId: () => this.reconfigIds++,
      });
      this.mechanisms.set(name, m);
    }
    return m;
  }

  /** Works out a request ahead of its start (the controller does, PLAN_AHEAD_MS before a phase is due). */
  prepare(request: MigrationRequest, mechanism = this.defaultMechanism): PreparedMigration {
    const stats = request.stats ?? this.measuredStats();
    const previousReplicated = request.previousReplicated ?? this.replication.replicatedList();
    return this.mechanism(mechanism).prepare({ ...request, stats, previousReplicated });
  }

  /** Starts a migration (prepared or not); `done` is called from the step that ends it. One at a time. */
  start(request: MigrationRequest | PreparedMigration, done: PlanCallback, mechanism?: string): void {
    if (this.active !== undefined) {
      const p = this.active.progress();
      throw new ProtocolError(`a migration is already in progress (${this.active.name}${p === undefined ? '' : `, ${p.unit} ${p.done + 1} of ${p.total}`}); one at a time`);
    }
    const prepared = 'mechanism' in request && 'keyGroups' in request ? request : this.prepare(request, mechanism);
    const m = this.mechanism(prepared.mechanism);
    this.active = m;
    try {
      m.start(prepared, (err, report) => {
        this.active = undefined;
        if (err === undefined) this.finishedCount++;
        done(err, report);
      });
    } catch (err) {
      this.active = undefined;
      throw err;
    }
  }

  /** Runs a migration to `request.target`; resolves with its report. */
  request(request: MigrationRequest | PreparedMigration, mechanism?: string): Promise<PlanReport> {
    return promised((done) => this.start(request, done, mechanism));
  }

  /** Runs a plan made elsewhere with Spacker's executor (tests of the executor use hand-made plans). */
  runPlan(plan: MigrationPlan): Promise<PlanReport> {
    const ex = this.mechanism('spacker') as MigrationMechanism & { preparePlan(p: MigrationPlan): PreparedMigration };
    return this.request(ex.preparePlan(plan));
  }

  status(): MigrationStatus {
    const m = this.active;
    const scenarioRunning = this.controller !== undefined && !this.controller.finished;
    if (m === undefined) return { state: 'idle', finished: this.finishedCount, scenarioRunning };
    return { state: 'migrating', mechanism: m.name, progress: m.progress(), finished: this.finishedCount, scenarioRunning };
  }

  /** The reports of the scenario's phases so far. */
  get reports(): readonly PhaseReport[] {
    return this.controller?.reports ?? [];
  }

  /** Measured per-key-group rates and sizes, each computed when first read. */
  measuredStats(): KeyGroupStats {
    return lazyStats(() => this.rates.rates(), () => this.bytesPerKeyGroup());
  }

  private bytesPerKeyGroup(): Float64Array {
    const mp = this.job.assignment(this.options.operator).maxParallelism;
    const bytes = new Float64Array(mp);
    for (const s of this.subtaskList) for (let kg = 0; kg < mp; kg++) bytes[kg] += s.state.bytes[kg];
    return bytes;
  }

  // ---- what the runtime calls -------------------------------------------------------------------------

  onCheckpoint(subtask: Subtask, checkpointId: number): void {
    this.replication.onCheckpoint(subtask, checkpointId);
  }

  onReconfigAligned(task: Subtask, barrier: ReconfigBarrier): void {
    if (task.name !== this.options.operator) return;
    const m = this.active;
    if (m?.onReconfigAligned === undefined) throw new ProtocolError(`${task.label}: aligned on reconfiguration ${barrier.id}, which is not in flight`);
    m.onReconfigAligned(task, barrier.id);
  }

  judge(task: SubtaskPort, key: Key, kg: number, value: unknown, scheduledMs: number, seq: number, input: number, channel: number): number {
    const gate = this.active?.gate;
    if (gate === undefined) throw new ProtocolError(`${task.label}: a record of watched key group ${kg} but no migration is in progress`);
    return gate.judge(task, key, kg, value, scheduledMs, seq, input, channel);
  }

  /** A reconfiguration barrier on one input channel: for a mechanism that acts per channel (RecordGate.reconfigArrived). */
  reconfigArrived(task: SubtaskPort, reconfigId: number, channel: number): void {
    this.active?.gate?.reconfigArrived?.(task, reconfigId, channel);
  }

  slotDrained(task: SubtaskPort, slot: number): void {
    const gate = this.active?.gate;
    if (gate === undefined) throw new ProtocolError(`${task.label}: hold slot ${slot} drained but no migration is in progress`);
    gate.slotDrained(task, slot);
  }

  /** The layer's work waits for the gaps between records (see runtime/scheduler.ts). */
  readonly background = true;

  /** `untilMs`: the end of the gap this step may use (job-clock time); none when the scheduler forces a step. */
  step(untilMs?: number): boolean {
    const sampled = this.rates.sample(this.job.recentElapsedMs());
    let worked = this.controller?.step(sampled) ?? false;
    if (this.replication.step(untilMs)) worked = true;
    if (this.active?.step(untilMs) === true) worked = true;
    return worked;
  }

  nextDueMs(): number {
    return Math.min(this.controller?.nextDueMs() ?? Infinity, this.active?.nextDueMs() ?? Infinity);
  }

  /** Done when no scenario is left to run and no migration or replication is in progress. */
  get done(): boolean {
    return (this.controller?.finished ?? this.job.sourcesDone()) && this.active === undefined && this.replication.pending === 0;
  }
}

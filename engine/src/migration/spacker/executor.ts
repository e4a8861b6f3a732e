/**
 * Executes migration plans, one chunk at a time (reference section 3):
 *   A) prepare: destinations hold the chunk's key groups; upstream routers arm the new table;
 *   B) a reconfiguration barrier leaves every source; each upstream router switches right after forwarding it;
 *   C) destinations keep processing everything else while the chunk's records are held;
 *   D) a source subtask aligned on the barrier hands its outgoing key groups over one at a time, skipping
 *      replicated key groups that are clean (the destination has them): the copy thread copies the key
 *      group's byte values into memory of the destination, the state's bytes cross the emulated link;
 *   E) the destination installs (replica or shipped bytes), the source drops its copy, the held records
 *      drain; the chunk completes when every key group has drained.
 * Periodic checkpoints pause for the whole plan. The destination's gate holds a moving key group's records
 * (slot = key group) from the prepare until its state is installed. Imports control/, planner/, routing/,
 * state/ and migration/ only.
 */
import { stepMigration } from '../step-frame.ts';
import type { Chunk, MigrationPlan, Strategy } from '../../control/plan.ts';
import type { Assignment } from '../../core/assignment.ts';
import { ProtocolError } from '../../errors.ts';
import type { Key } from '../../core/key-group.ts';
import { planMigration } from '../../planner/plan-migration.ts';
import { ChunkExecution } from './chunk-execution.ts';
import type { KeyGroupMachine } from './key-group-machine.ts';
import type { MechanismContext, MechanismProgress, MigrationMechanism, MigrationRequest, PlanCallback, PlanReport, PreparedMigration, Subtask, TransitionObserver } from '../mechanism.ts';
import type { JobPort, RecordGate, SubtaskPort, TimerSink } from '../ports.ts';
import type { Replication } from '../replication.ts';
import { migrationEnd } from '../ending.ts';
import type { Parcel, Shipment, StateTransfer } from '../state-transfer.ts';
import { PieceClock } from '../pacing.ts';
import { SPACKER_HANDOVER, type Handover, type HandoverMove, type Taken } from './handover.ts';

/** A mechanism that runs on this executor: Spacker itself, or one that plans and hands over its own way (Rhino). */
export interface ExecutorVariant {
  readonly name: string;
  /** The strategy it plans with, given the one requested. */
  strategy?(requested: Strategy): Strategy;
  readonly handover: Handover;
}

export const SPACKER_VARIANT: ExecutorVariant = { name: 'spacker', handover: SPACKER_HANDOVER };

/** What {@link MigrationExecutor.prepare} works out ahead for a plan. */
interface PreparedPlan extends PreparedMigration {
  readonly plan: MigrationPlan;
  /** Indexed by key group: 1 for the key groups the plan moves. */
  readonly moving: Uint8Array;
  /** The first chunk's machines and the assignment after it, worked out from assignment `from`. */
  readonly first: FirstChunk | undefined;
}

interface FirstChunk {
  readonly from: Assignment;
  readonly next: Assignment;
  readonly machines: Map<number, KeyGroupMachine>;
}

interface RunningPlan {
  readonly plan: MigrationPlan;
  /** The first chunk as prepared ahead, used if the assignment is still the one it was worked out from. */
  readonly first: FirstChunk | undefined;
  next: number;
  chunk: ChunkExecution | undefined;
  waitingForCheckpoint: boolean;
  readonly report: PlanReport;
  readonly done: PlanCallback;
}

export class MigrationExecutor implements MigrationMechanism, RecordGate {
  readonly name: string;
  private running: RunningPlan | undefined;
  private readonly job: JobPort;
  readonly operator: string;
  private readonly transfer: StateTransfer;
  private readonly replication: Replication;
  private readonly timers: TimerSink;
  private readonly observer: TransitionObserver | undefined;
  private readonly subtasks: readonly SubtaskPort[];
  private readonly pieces: PieceClock;
  private readonly nextReconfigId: () => number;

  constructor(
    ctx: MechanismContext,
    private readonly variant: ExecutorVariant = SPACKER_VARIANT,
  ) {
    this.pieces = new PieceClock(ctx.job.clock);
    this.name = variant.name;
    this.job = ctx.job;
    this.operator = ctx.operator;
    this.transfer = ctx.transfer;
    this.replication = ctx.replication;
    this.timers = ctx.timers;
    this.observer = ctx.observer;
    this.subtasks = ctx.subtasks;
    this.nextReconfigId = ctx.nextReconfigId;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get gate(): RecordGate {
    return this;
  }

  /** The chunk in flight (0-based) and the plan's number of chunks, while a plan runs. */
  progress(): MechanismProgress | undefined {
    const r = this.running;
    return r === undefined ? undefined : { done: Math.max(0, r.next - 1), total: r.plan.chunks.length, unit: 'chunk' };
  }

  /**
   * Plans the request (with the rates it carries) and builds ahead of time the many small objects that
   * starting the plan needs (the controller prepares a phase ahead), because the steps that start a plan and
   * its first chunk hold every record up (about 0.5 ms for a 512-key-group shuffle done at the start).
   */
  prepare(request: MigrationRequest): PreparedPlan {
    const from = this.job.assignment(this.operator);
    const plan = planMigration({
      operator: this.operator,
      current: from,
      target: request.target,
      strategy: this.variant.strategy?.(request.strategy) ?? request.strategy,
      stats: request.stats,
      previousReplicated: request.previousReplicated ?? [],
    });
    return this.preparePlan(plan, request);
  }

  /** The same for a plan made elsewhere (tests drive the executor with hand-made plans). */
  preparePlan(plan: MigrationPlan, request?: MigrationRequest): PreparedPlan {
    const chunk = plan.chunks[0];
    const from = this.job.assignment(this.operator);
    const first = chunk === undefined ? undefined : { from, next: nextAssignment(from, chunk), machines: ChunkExecution.machinesOf(chunk, this.observer) };
    const req = request ?? { target: from.withMoves(plan.chunks.flatMap((c) => c.moves.map((m) => ({ keyGroup: m.keyGroup, to: m.to })))), strategy: plan.strategy };
    return { mechanism: this.name, request: req, keyGroups: countMoves(plan), replicated: plan.replicated, plan, moving: this.movingKeyGroups(plan), first };
  }

  /** Indexed by key group: 1 for the key groups `plan` moves. */
  private movingKeyGroups(plan: MigrationPlan): Uint8Array {
    const moving = new Uint8Array(this.subtasks[0]?.state.maxParallelism ?? 0);
    for (const c of plan.chunks) for (const m of c.moves) moving[m.keyGroup] = 1;
    return moving;
  }

  /**
   * Starts a prepared plan; `done` is called synchronously from the step that finishes it (so that a driver
   * without an event loop, e.g. a test on a manual clock, sees the end at once).
   */
  start(p: PreparedMigration, done: PlanCallback): void {
    if (this.running !== undefined) throw new ProtocolError('a migration plan is already running');
    const prepared = p as PreparedPlan;
    const plan = prepared.plan;
    if (plan.operator !== this.operator) throw new ProtocolError(`plan for '${plan.operator}' given to the executor of '${this.operator}'`);
    const startMs = this.job.elapsedMs();
    this.running = {
      plan,
      first: prepared.first,
      next: 0,
      chunk: undefined,
      waitingForCheckpoint: true,
      report: { chunks: plan.chunks.length, keyGroups: 0, bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    this.replication.grow(plan.replicated);
    for (const s of this.subtasks) s.setMigrating(prepared.moving);
    this.job.setCheckpointsPaused(true);
    this.job.emit({ event: 'migration_start', operator: plan.operator, mechanism: this.name, chunks: plan.chunks.length, keyGroups: countMoves(plan), order: plan.strategy.order, syncKeys: plan.strategy.syncKeys, replicateFilter: plan.strategy.replicateFilter });
  }

  /**
   * Does pieces of migration work; returns whether it did any. With `untilMs` (job-clock time, a gap
   * before the next record is due) only pieces expected to end by then; without, a slice of
   * FORCED_SLICE_MS (pacing.ts) with at least one piece.
   */
  step(untilMs?: number): boolean {
    return stepMigration(this.job, this.running, () => (this.running = undefined), (r) => {
      this.startNextChunk(r);
      return true;
    }, (r) => {
      // Gaps end on the job's clock; each piece is charged its wall-clock time (pacing.ts).
      const aligned = r.chunk?.barrierless === true && this.alignEndedSubtasks(r.chunk);
      return this.pieces.run(untilMs, () => this.piece()) > 0 || aligned;
    });
  }

  /** One piece of work: a delivery on a link, a copied key group shipped, or a key group handed to the copy thread. */
  private piece(): boolean {
    return this.transfer.piece();
  }

  nextDueMs(): number {
    return this.running === undefined ? Infinity : this.transfer.nextDueMs();
  }

  /** A subtask aligned on a reconfiguration barrier (any operator; only the target's count). */
  onReconfigAligned(task: Subtask, reconfigId: number): void {
    const c = this.running?.chunk;
    if (task.name !== this.operator) return;
    if (c === undefined || c.reconfigId !== reconfigId) throw new ProtocolError(`${task.label}: aligned on reconfiguration ${reconfigId}, which is not in flight`);
    if (c.aligned.has(task.subtask)) throw new ProtocolError(`${task.label}: aligned twice on reconfiguration ${reconfigId}`);
    this.align(c, task.subtask);
  }

  /** Subtask `s` has everything routed to it by the old table: its outgoing key groups can be snapshot. */
  private align(c: ChunkExecution, s: number): void {
    c.aligned.add(s);
    for (const m of c.outgoing(s)) {
      m.apply('align');
      this.transfer.submit(this.shipment(c, m));
    }
    if (c.aligned.size === this.subtasks.length) {
      c.alignedMs = this.job.elapsedMs();
      c.apply('aligned');
      this.maybeCompleteChunk(c);
    }
  }

  /** The gate: a moving key group's records wait at its destination (slot = key group) until it drained. */
  judge(_task: SubtaskPort, _key: Key, kg: number): number {
    return kg;
  }

  /** A destination processed every record held for `kg`. */
  slotDrained(task: SubtaskPort, kg: number): void {
    const c = this.running?.chunk;
    const m = c?.machines.get(kg);
    if (c === undefined || m === undefined || m.to !== task.subtask) throw new ProtocolError(`${task.label}: drained key group ${kg}, which it was not receiving`);
    task.unwatch(kg);
    this.drained(c, m);
  }

  private drained(c: ChunkExecution, m: KeyGroupMachine): void {
    m.apply('drain');
    c.remaining--;
    this.maybeCompleteChunk(c);
  }

  /**
   * For a chunk without a barrier: a subtask is aligned once end of stream arrived on all its inputs (every
   * record routed to it by the old table has been processed). Returns whether one aligned.
   */
  private alignEndedSubtasks(c: ChunkExecution): boolean {
    let any = false;
    for (const s of this.subtasks) {
      if (c.phase !== 'synchronizing') break;
      if (c.aligned.has(s.subtask) || !s.inputsEnded) continue;
      this.align(c, s.subtask);
      any = true;
    }
    return any;
  }

  private startNextChunk(r: RunningPlan): void {
    if (r.next >= r.plan.chunks.length) {
      this.finishPlan(r);
      return;
    }
    const current = this.job.assignment(this.operator);
    const ahead = r.next === 0 && r.first?.from === current ? r.first : undefined;
    const chunk = r.plan.chunks[r.next++];
    const c = new ChunkExecution(this.nextReconfigId(), chunk, ahead?.next ?? nextAssignment(current, chunk), ahead?.machines ?? ChunkExecution.machinesOf(chunk, this.observer));
    r.chunk = c;
    c.prepareMs = this.job.elapsedMs();
    // Once every source has ended no barrier can flow, and no record will be routed by the new table again:
    // the chunk then goes without one (see ChunkExecution.barrierless).
    c.barrierless = this.job.sourcesDone();
    // A) prepare: destinations hold, routers arm the switch.
    for (const m of chunk.moves) {
      if (current.ownerOf(m.keyGroup) !== m.from) throw new ProtocolError(`chunk ${chunk.seq}: key group ${m.keyGroup} is held by ${current.ownerOf(m.keyGroup)}, not ${m.from}`);
      if (!c.barrierless) this.subtasks[m.to].watch(m.keyGroup);
      c.machines.get(m.keyGroup)?.apply('prepare');
    }
    const table = c.next.table();
    if (!c.barrierless) for (const router of this.job.routersInto(this.operator)) router.scheduleSwitch(c.reconfigId, table);
    // B) the barrier leaves every source.
    c.injectMs = this.job.elapsedMs();
    c.apply('inject');
    this.job.emit({ event: 'chunk_start', reconfigId: c.reconfigId, chunk: chunk.seq, moves: chunk.moves.length });
    if (c.barrierless) this.alignEndedSubtasks(c);
    else this.job.injectBarrier({ kind: 'reconfig', id: c.reconfigId });
  }

  /**
   * D) handing key group `m` over, as the variant's handover says: what it takes at the source is copied
   * and crosses the link; a replica restore ships nothing (the destination restores its local replica).
   */
  private shipment(c: ChunkExecution, m: KeyGroupMachine): Shipment {
    const kg = m.keyGroup;
    const src = this.subtasks[m.from];
    const dst = this.subtasks[m.to];
    let move: HandoverMove | undefined;
    let taken: Taken | undefined;
    return {
      src,
      dst,
      estimate: () => src.state.bytes[kg],
      take: (): Parcel | undefined => {
        const dstTm = this.job.taskManagerOf(dst.label);
        const replicated = this.replication.replicated[kg] === 1;
        move = { kg, src: src.state, dst: dst.state, replicated, replica: replicated ? this.replication.stores[dstTm].get(this.operator, kg) : undefined };
        taken = this.variant.handover.take(move);
        if (taken.kind === 'replica') {
          m.apply('replica');
          c.replicaRestores++;
          return undefined;
        }
        m.apply('encode');
        return taken.parcel;
      },
      shipped: (parcel) => {
        m.apply('ship');
        c.bytes += parcel.bytes;
      },
      install: (_parcel, copies) => {
        this.variant.handover.install(move as HandoverMove, taken as Taken, copies);
        this.installed(c, kg, dst);
      },
    };
  }

  /** E) the key group is installed at the destination and gone from the source: the held records start draining. */
  private installed(c: ChunkExecution, kg: number, dst: SubtaskPort): void {
    const m = c.machines.get(kg) as KeyGroupMachine;
    m.apply('install');
    // Without a barrier nothing was held: the key group is done at once.
    if (c.barrierless) this.drained(c, m);
    else dst.releaseSlot(kg);
  }

  private maybeCompleteChunk(c: ChunkExecution): void {
    if (c.phase !== 'transferring' || c.remaining > 0) return;
    c.doneMs = this.job.elapsedMs();
    c.apply('drained');
    this.job.setAssignment(this.operator, c.next);
    // The routers saw no barrier to switch after; nothing flows through them any more.
    if (c.barrierless) for (const router of this.job.routersInto(this.operator)) router.switchTable(c.next.table());
    const sync = c.alignedMs - c.injectMs;
    const update = c.doneMs - c.alignedMs;
    this.timers.timer(c.reconfigId, c.chunk.seq, 'sync', c.injectMs, sync);
    this.timers.timer(c.reconfigId, c.chunk.seq, 'update', c.alignedMs, update);
    this.timers.timer(c.reconfigId, c.chunk.seq, 'endToEnd', c.prepareMs, c.doneMs - c.prepareMs);
    this.job.emit({ event: 'chunk_end', reconfigId: c.reconfigId, chunk: c.chunk.seq, bytes: c.bytes, replicaRestores: c.replicaRestores });
    const r = this.running as RunningPlan;
    r.report.completionMs += sync + update;
    r.report.bytes += c.bytes;
    r.report.replicaRestores += c.replicaRestores;
    r.report.keyGroups += c.chunk.moves.length;
    this.startNextChunk(r);
  }

  private finishPlan(r: RunningPlan): void {
    this.running = undefined;
    r.report.endMs = this.job.elapsedMs();
    for (const s of this.subtasks) s.setMigrating(undefined);
    this.job.setCheckpointsPaused(false);
    this.job.emit(migrationEnd(r.report));
    r.done(undefined, r.report);
  }
}

/** The assignment once `chunk`'s moves are made on `current`. */
function nextAssignment(current: Assignment, chunk: Chunk): Assignment {
  return current.withMoves(chunk.moves.map((m) => ({ keyGroup: m.keyGroup, to: m.to })));
}

function countMoves(plan: MigrationPlan): number {
  return plan.chunks.reduce((n, c) => n + c.moves.length, 0);
}

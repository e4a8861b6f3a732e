/**
 * Megaphone (Hoffmann et al., VLDB 2019) on this engine: keys hash into 2^bits bins inside the key groups;
 * a migration is a sequence of steps, each a set of bin moves issued at its own logical time, which here is
 * its own reconfiguration barrier. Every router switches the step's bins right after forwarding the step's
 * barrier (records before it go to the old owner, records after it to the new one); the new owner holds the
 * records of a bin in flight (slot = bin) until the bin's state has arrived; the old owner extracts the bin's
 * keys and pending timers once it has seen the step's barrier on every input (its frontier passed the step's
 * time) and ships them through the dataflow's links. Steps are pipelined: one is issued per epoch, without
 * waiting for earlier steps to finish. Periodic checkpoints pause for the migration. Imports core/,
 * routing/, state/ and migration/ only.
 */
import { stepMigration } from '../step-frame.ts';
import { BinLayout } from '../../core/bins.ts';
import type { Key } from '../../core/key-group.ts';
import { ProtocolError } from '../../errors.ts';
import type { Assignment } from '../../core/assignment.ts';
import type { StateParcel } from '../../state/keyed-state-backend.ts';
import type { MechanismContext, MechanismProgress, MigrationMechanism, MigrationRequest, PlanCallback, PlanReport, PreparedMigration, Subtask, TransitionObserver } from '../mechanism.ts';
import { reportEnd, settleKeyGroups, switchTo } from '../ending.ts';
import { PieceClock } from '../pacing.ts';
import { ADMIT, type JobPort, type RecordGate, type SubtaskPort, type TimerSink } from '../ports.ts';
import type { Shipment, StateTransfer } from '../state-transfer.ts';
import { batchedSteps, binMoves, fluidSteps, type BinMove } from './steps.ts';

export type MegaphonePattern = 'fluid' | 'batched';

interface PreparedSteps extends PreparedMigration {
  readonly steps: readonly BinMove[][];
}

interface StepRun {
  readonly seq: number;
  readonly reconfigId: number;
  readonly moves: readonly BinMove[];
  /** No barrier could flow (every source had ended): old owners align once their inputs ended. */
  readonly barrierless: boolean;
  readonly aligned: Set<number>;
  remaining: number;
}

interface Running {
  readonly target: Assignment;
  readonly steps: readonly BinMove[][];
  readonly from: Int32Array;
  next: number;
  nextIssueMs: number;
  waitingForCheckpoint: boolean;
  readonly inFlight: Map<number, StepRun>;
  /** The step of each bin whose new owner holds its records (until they drained). */
  readonly stepOfBin: Map<number, StepRun>;
  /** Routing as of the last step issued: key groups split by bin, and each bin's owner. */
  readonly split: Uint8Array;
  readonly owners: Int32Array;
  readonly report: PlanReport;
  readonly done: PlanCallback;
}

export class MegaphoneMechanism implements MigrationMechanism, RecordGate {
  readonly name: string;
  private readonly job: JobPort;
  private readonly operator: string;
  private readonly subtasks: readonly Subtask[];
  private readonly transfer: StateTransfer;
  private readonly timers: TimerSink;
  private readonly observer: TransitionObserver | undefined;
  private readonly nextReconfigId: () => number;
  private readonly layout: BinLayout;
  private readonly epochMs: number;
  private readonly pieces: PieceClock;
  private running: Running | undefined;
  /** Per subtask: bins it receives whose held records have not drained yet. */
  private readonly incoming: Set<number>[];
  /** Per subtask and key group: how many of its incoming bins are not drained (watched while > 0). */
  private readonly incomingPerKg: Map<number, number>[];

  constructor(
    ctx: MechanismContext,
    private readonly pattern: MegaphonePattern,
  ) {
    this.pieces = new PieceClock(ctx.job.clock);
    this.name = `megaphone-${pattern}`;
    this.job = ctx.job;
    this.operator = ctx.operator;
    this.subtasks = ctx.subtasks;
    this.transfer = ctx.transfer;
    this.timers = ctx.timers;
    this.observer = ctx.observer;
    this.nextReconfigId = ctx.nextReconfigId;
    this.layout = new BinLayout(ctx.options.bins as number, ctx.job.assignment(ctx.operator).maxParallelism);
    this.epochMs = ctx.options.epoch_ms as number;
    this.incoming = this.subtasks.map(() => new Set());
    this.incomingPerKg = this.subtasks.map(() => new Map());
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get gate(): RecordGate {
    return this;
  }

  prepare(request: MigrationRequest): PreparedSteps {
    const moves = binMoves(this.job.assignment(this.operator), request.target, this.layout);
    const steps = this.pattern === 'fluid' ? fluidSteps(moves) : batchedSteps(moves);
    return { mechanism: this.name, request, keyGroups: new Set(moves.map((m) => m.keyGroup)).size, steps };
  }

  progress(): MechanismProgress | undefined {
    const r = this.running;
    return r === undefined ? undefined : { done: r.next - r.inFlight.size, total: r.steps.length, unit: 'step' };
  }

  start(p: PreparedMigration, done: PlanCallback): void {
    if (this.running !== undefined) throw new ProtocolError(`a ${this.name} migration is already running`);
    const { steps, request } = p as PreparedSteps;
    const current = this.job.assignment(this.operator);
    for (const s of steps) for (const m of s) {
      if (current.ownerOf(m.keyGroup) !== m.from) throw new ProtocolError(`${this.name}: bin ${m.bin} is held by ${current.ownerOf(m.keyGroup)}, not ${m.from} (prepared for another assignment)`);
    }
    const startMs = this.job.elapsedMs();
    const moving = new Uint8Array(current.maxParallelism);
    for (const s of steps) for (const m of s) moving[m.keyGroup] = 1;
    const owners = new Int32Array(this.layout.bins);
    for (let b = 0; b < owners.length; b++) owners[b] = current.ownerOf(this.layout.keyGroupOfBin(b));
    this.running = {
      target: request.target,
      steps,
      from: current.table(),
      next: 0,
      nextIssueMs: 0,
      waitingForCheckpoint: true,
      inFlight: new Map(),
      stepOfBin: new Map(),
      split: new Uint8Array(current.maxParallelism),
      owners,
      report: { chunks: steps.length, keyGroups: moving.reduce((n, x) => n + x, 0), bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    for (const s of this.subtasks) s.setMigrating(moving);
    this.job.setCheckpointsPaused(true);
    this.job.emit({ event: 'migration_start', operator: this.operator, mechanism: this.name, chunks: steps.length, keyGroups: this.running.report.keyGroups, bins: this.layout.bins });
  }

  step(untilMs?: number): boolean {
    const begin = (r: Running): boolean => {
      r.nextIssueMs = this.job.clock.now();
      return false;
    };
    return stepMigration(this.job, this.running, () => (this.running = undefined), begin, (r) => {
      let worked = false;
      if (r.next < r.steps.length && this.job.clock.recent() >= r.nextIssueMs) {
        this.issue(r);
        r.nextIssueMs = this.job.clock.recent() + this.epochMs;
        worked = true;
      }
      for (const s of r.inFlight.values()) if (s.barrierless && this.alignEnded(s)) worked = true;
      if (this.pieces.run(untilMs, () => this.transfer.piece()) > 0) worked = true;
      if (r.next === r.steps.length && r.inFlight.size === 0) {
        this.finish(r);
        worked = true;
      }
      return worked;
    });
  }

  nextDueMs(): number {
    const r = this.running;
    if (r === undefined) return Infinity;
    const issue = !r.waitingForCheckpoint && r.next < r.steps.length ? r.nextIssueMs : Infinity;
    return Math.min(issue, this.transfer.nextDueMs());
  }

  /** Issues the next step: its bins' new owners hold them, routers switch after its barrier. */
  private issue(r: Running): void {
    const seq = r.next++;
    const moves = r.steps[seq];
    const barrierless = this.job.sourcesDone();
    const s: StepRun = { seq, reconfigId: this.nextReconfigId(), moves, barrierless, aligned: new Set(), remaining: moves.length };
    r.inFlight.set(s.reconfigId, s);
    for (const m of moves) {
      r.owners[m.bin] = m.to;
      r.split[m.keyGroup] = 1;
      this.observer?.(m.bin, 'owned', 'prepare', 'incoming');
      if (barrierless) continue;
      r.stepOfBin.set(m.bin, s);
      this.incoming[m.to].add(m.bin);
      const perKg = this.incomingPerKg[m.to];
      perKg.set(m.keyGroup, (perKg.get(m.keyGroup) ?? 0) + 1);
      this.subtasks[m.to].watch(m.keyGroup);
    }
    if (barrierless) {
      this.alignEnded(s);
      return;
    }
    const bins = { split: r.split.slice(), owners: r.owners.slice() };
    for (const router of this.job.routersInto(this.operator)) router.scheduleSwitch(s.reconfigId, r.from, bins);
    this.job.injectBarrier({ kind: 'reconfig', id: s.reconfigId });
  }

  onReconfigAligned(task: Subtask, reconfigId: number): void {
    if (task.name !== this.operator) return;
    const s = this.running?.inFlight.get(reconfigId);
    if (s === undefined) throw new ProtocolError(`${task.label}: aligned on reconfiguration ${reconfigId}, which is not in flight`);
    this.align(s, task.subtask);
  }

  /** Subtask `sub` has processed everything before the step: its outgoing bins of the step can leave. */
  private align(s: StepRun, sub: number): void {
    if (s.aligned.has(sub)) throw new ProtocolError(`${this.subtasks[sub].label}: aligned twice on reconfiguration ${s.reconfigId}`);
    s.aligned.add(sub);
    for (const m of s.moves) if (m.from === sub) this.transfer.submit(this.shipment(s, m));
    this.maybeComplete(s);
  }

  private alignEnded(s: StepRun): boolean {
    let any = false;
    for (const t of this.subtasks) {
      if (s.aligned.has(t.subtask) || !t.inputsEnded) continue;
      this.align(s, t.subtask);
      any = true;
    }
    return any;
  }

  private shipment(s: StepRun, m: BinMove): Shipment {
    const src = this.subtasks[m.from];
    const dst = this.subtasks[m.to];
    return {
      src,
      dst,
      estimate: () => src.state.bytes[m.keyGroup] / this.layout.perKeyGroup,
      take: (): StateParcel => {
        if (!src.state.owns(m.keyGroup)) return { tables: new Map(), values: [], bytes: 0 };
        return src.state.extractKeys(m.keyGroup, (key: Key) => this.layout.binOf(key) === m.bin);
      },
      shipped: (parcel) => {
        (this.running as Running).report.bytes += parcel.bytes;
      },
      install: (parcel, copies) => {
        if (parcel !== undefined) {
          dst.state.mergeKeys(m.keyGroup, parcel, copies);
          src.state.giveBack(parcel.values);
        }
        this.observer?.(m.bin, 'incoming', 'install', 'installed');
        if (s.barrierless || !this.incoming[m.to].has(m.bin)) this.binDone(s);
        else dst.releaseSlot(m.bin);
      },
    };
  }

  /** The gate: a record of a bin on its way here waits (slot = bin) until the bin's state arrived and its held records drained. */
  judge(task: SubtaskPort, key: Key): number {
    const bin = this.layout.binOf(key);
    return this.incoming[task.subtask].has(bin) ? bin : ADMIT;
  }

  slotDrained(task: SubtaskPort, bin: number): void {
    const r = this.running;
    if (r === undefined || !this.incoming[task.subtask].delete(bin)) throw new ProtocolError(`${task.label}: drained bin ${bin}, which it was not receiving`);
    const kg = this.layout.keyGroupOfBin(bin);
    const perKg = this.incomingPerKg[task.subtask];
    const left = (perKg.get(kg) ?? 1) - 1;
    if (left === 0) {
      perKg.delete(kg);
      task.unwatch(kg);
    } else perKg.set(kg, left);
    const s = r.stepOfBin.get(bin);
    if (s === undefined) throw new ProtocolError(`${task.label}: bin ${bin} drained outside the steps in flight`);
    r.stepOfBin.delete(bin);
    this.binDone(s);
  }

  private binDone(s: StepRun): void {
    s.remaining--;
    this.maybeComplete(s);
  }

  /** A step is complete once its bins drained and every subtask saw its barrier (none is left in flight). */
  private maybeComplete(s: StepRun): void {
    if (s.remaining > 0 || s.aligned.size < this.subtasks.length) return;
    (this.running as Running).inFlight.delete(s.reconfigId);
  }

  private finish(r: Running): void {
    settleKeyGroups(this.subtasks, r.target);
    switchTo(this.job, this.operator, this.subtasks, r.target);
    this.running = undefined;
    reportEnd(this.job, this.timers, 0, r.report, r.done);
  }
}

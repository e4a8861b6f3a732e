/**
 * DRRS (decoupled, re-routing, subscale rescaling; the DRRS paper and its artifact floudk/DRRS on Flink 1.17)
 * on this engine, at key-group level.
 *
 * The moves are cut into subscales (subscales.ts), per (source, target) pair; a subscale is triggered when
 * neither of its subtasks takes part in `max_concurrent_subscales` subscales already. A subscale has its own
 * reconfiguration barrier: every router switches the subscale's key groups to the new owner right after
 * forwarding it. Nothing aligns globally:
 *   - the new owner starts pulling once the barrier reached it on one channel: one key group at a time, in
 *     the adaptive order (order.ts); taking a key group's state at the old owner does not wait for anything;
 *   - the old owner processes a key group's records while its state is there, and re-routes them (TAKEN,
 *     then `deliver` at the new owner after the link) once the state was taken;
 *   - when the barrier arrives at the old owner on channel c (RecordGate.reconfigArrived), it sends the new
 *     owner a confirm for c over the same link, behind the records it re-routed; once it saw the barrier on
 *     every input (onReconfigAligned) a confirm for all channels follows.
 *
 * Order per key and upstream channel: records of key group g from channel c reach the old owner before
 * the barrier on c, and the new owner after it. At the new owner a re-routed record waits in slot R(g) until
 * g's state is merged; a direct record from c of a channel not confirmed yet waits in slot D(g, c) until g
 * is merged, R drained and the confirm for c is in force. A confirm carries how many
 * records of g the old owner had re-routed when it was sent; it is in force once the new owner has judged
 * that many (the link is FIFO, but a step may read an input before the rest of its inbox). So every record
 * of c that went through the old owner is processed before any that came directly.
 *
 * Buffer and deadlock: records waiting for their key group's state count against `buffer_records` per new
 * owner; a record that would exceed it stops the subtask (BLOCK) until a state arrives there. The state of
 * such a key group always arrives without the stopped subtask: its subscale is pulling (a record of it
 * reached the new owner only after the barrier did, or after the state was taken), and taking, copying and
 * shipping state run in the migration layer's steps, never waiting for a task. Records that wait only for a
 * confirm never block (a confirm needs the old owner to read its inputs, which a stopped new owner could
 * hold back through the upstream's back-pressure): they stay held beyond the bound.
 *
 * Once every source has ended no barrier can flow: such a subscale keeps the routers as they are (records
 * still on their way reach the old owner, which processes them) and pulls once the old owner's inputs have
 * ended (the new owner may have finished by then: nothing is re-routed to it). Periodic checkpoints pause for the migration. Imports core/,
 * routing/, state/ and migration/ only.
 */
import { stepMigration } from '../step-frame.ts';
import type { Key } from '../../core/key-group.ts';
import { ProtocolError } from '../../errors.ts';
import type { Assignment } from '../../core/assignment.ts';
import type { MechanismContext, MechanismProgress, MigrationMechanism, MigrationRequest, PlanCallback, PlanReport, PreparedMigration, Subtask, TransitionObserver } from '../mechanism.ts';
import type { Network } from '../network.ts';
import { reportEnd, switchTo } from '../ending.ts';
import { PieceClock } from '../pacing.ts';
import { ADMIT, BLOCK, TAKEN, type JobPort, type RecordGate, type SubtaskPort, type TimerSink } from '../ports.ts';
import type { Replication } from '../replication.ts';
import type { Parcel, Shipment, StateTransfer } from '../state-transfer.ts';
import { DrrsKeyGroupMachine } from './machine.ts';
import { nextPull, type PullCandidate } from './order.ts';
import { pickSubscale, planSubscales, type KeyGroupMove, type Subscale } from './subscales.ts';

/** Bytes a re-routed record is accounted on the link (the engine does not serialize records). */
export const REROUTED_RECORD_BYTES = 64;
/** Slots D(g, c) are numbered maxParallelism + g x CHANNEL_STRIDE + c: at most this many input channels. */
const CHANNEL_STRIDE = 4096;

interface PreparedSubscales extends PreparedMigration {
  readonly subscales: readonly Subscale[];
}

interface SubscaleRun {
  readonly plan: Subscale;
  readonly reconfigId: number;
  /** Triggered after every source had ended: no barrier, routers unchanged. */
  readonly barrierless: boolean;
  readonly issueMs: number;
  /** The new owner has started pulling. */
  pulling: boolean;
  /** The key group being pulled (-1: none). */
  inFlight: number;
  readonly toPull: Set<number>;
  /** Key groups not done. */
  remaining: number;
  /** Subtasks of the operator that saw its barrier on every input (or whose inputs ended). */
  readonly aligned: Set<number>;
  /** The old owner sent its confirm for all channels. */
  confirmedAll: boolean;
}

interface KeyGroupRun {
  readonly kg: number;
  readonly from: number;
  readonly to: number;
  readonly sub: SubscaleRun;
  readonly machine: DrrsKeyGroupMachine;
  /** Its state was taken at the old owner: records there are re-routed. */
  taken: boolean;
  merged: boolean;
  /** Records re-routed by the old owner, and judged at the new owner. */
  sent: number;
  judged: number;
  /** Per channel: `sent` when the old owner confirmed it. */
  readonly confirmAt: Map<number, number>;
  /** `sent` when the old owner confirmed every channel (-1: not yet). */
  confirmAllAt: number;
  /** Slot R(g) = g holds records (re-routed ones, direct ones of confirmed channels) or drains. */
  rerouteHeld: boolean;
  /** Slots D(g, c) holding direct records: channel -> released. */
  readonly direct: Map<number, boolean>;
  /** Records waiting for its state at the new owner, and the sum of the times they were held, ms. */
  waiting: number;
  waitingSinceSumMs: number;
}

interface Running {
  readonly target: Assignment;
  readonly subscales: readonly Subscale[];
  /** Subscales not triggered yet, in plan order. */
  readonly pending: Subscale[];
  readonly runs: Map<number, SubscaleRun>;
  readonly keyGroups: (KeyGroupRun | undefined)[];
  /** Per subtask: subscales in progress it takes part in; key groups it holds as of the triggered subscales. */
  readonly ongoing: Int32Array;
  readonly held: Int32Array;
  /** Routing as of the last subscale triggered with a barrier. */
  readonly routed: Int32Array;
  /** Per subtask: records buffered waiting for state. */
  readonly buffered: Int32Array;
  subscalesDone: number;
  waitingForCheckpoint: boolean;
  readonly report: PlanReport;
  readonly done: PlanCallback;
}

export class DrrsMechanism implements MigrationMechanism, RecordGate {
  readonly name = 'drrs';
  private readonly job: JobPort;
  private readonly operator: string;
  private readonly subtasks: readonly Subtask[];
  private readonly network: Network;
  private readonly transfer: StateTransfer;
  private readonly replication: Replication;
  private readonly timers: TimerSink;
  private readonly observer: TransitionObserver | undefined;
  private readonly nextReconfigId: () => number;
  private readonly bufferRecords: number;
  private readonly subscaleMin: number;
  private readonly maxConcurrent: number;
  private readonly pieces: PieceClock;
  private running: Running | undefined;

  constructor(ctx: MechanismContext) {
    this.pieces = new PieceClock(ctx.job.clock);
    this.job = ctx.job;
    this.operator = ctx.operator;
    this.subtasks = ctx.subtasks;
    this.network = ctx.network;
    this.transfer = ctx.transfer;
    this.replication = ctx.replication;
    this.timers = ctx.timers;
    this.observer = ctx.observer;
    this.nextReconfigId = ctx.nextReconfigId;
    this.bufferRecords = ctx.options.buffer_records as number;
    this.subscaleMin = ctx.options.subscale_min as number;
    this.maxConcurrent = ctx.options.max_concurrent_subscales as number;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get gate(): RecordGate {
    return this;
  }

  prepare(request: MigrationRequest): PreparedSubscales {
    const current = this.job.assignment(this.operator);
    const moves: KeyGroupMove[] = [];
    for (let kg = 0; kg < current.maxParallelism; kg++) {
      const from = current.ownerOf(kg);
      const to = request.target.ownerOf(kg);
      if (from !== to) moves.push({ keyGroup: kg, from, to });
    }
    return { mechanism: this.name, request, keyGroups: moves.length, subscales: planSubscales(moves, this.subscaleMin) };
  }

  progress(): MechanismProgress | undefined {
    const r = this.running;
    return r === undefined ? undefined : { done: r.subscalesDone, total: r.subscales.length, unit: 'subscale' };
  }

  start(p: PreparedMigration, done: PlanCallback): void {
    if (this.running !== undefined) throw new ProtocolError('a drrs migration is already running');
    const { subscales, request } = p as PreparedSubscales;
    const current = this.job.assignment(this.operator);
    const moving = new Uint8Array(current.maxParallelism);
    for (const s of subscales) {
      for (const kg of s.keyGroups) {
        if (current.ownerOf(kg) !== s.from) throw new ProtocolError(`drrs: key group ${kg} is held by ${current.ownerOf(kg)}, not ${s.from} (prepared for another assignment)`);
        moving[kg] = 1;
      }
    }
    const startMs = this.job.elapsedMs();
    const held = new Int32Array(this.subtasks.length);
    for (let kg = 0; kg < current.maxParallelism; kg++) held[current.ownerOf(kg)]++;
    this.running = {
      target: request.target,
      subscales,
      pending: [...subscales],
      runs: new Map(),
      keyGroups: new Array<KeyGroupRun | undefined>(current.maxParallelism).fill(undefined),
      ongoing: new Int32Array(this.subtasks.length),
      held,
      routed: current.table(),
      buffered: new Int32Array(this.subtasks.length),
      subscalesDone: 0,
      waitingForCheckpoint: true,
      report: { chunks: subscales.length, keyGroups: p.keyGroups, bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    for (const s of this.subtasks) s.setMigrating(moving);
    this.job.setCheckpointsPaused(true);
    this.job.emit({ event: 'migration_start', operator: this.operator, mechanism: this.name, chunks: subscales.length, keyGroups: p.keyGroups, bufferRecords: this.bufferRecords, maxConcurrentSubscales: this.maxConcurrent });
  }

  step(untilMs?: number): boolean {
    return stepMigration(this.job, this.running, () => (this.running = undefined), () => false, (r) => {
      let worked = this.trigger(r);
      if (this.pollEnded(r)) worked = true;
      if (this.pieces.run(untilMs, () => this.transfer.piece()) > 0) worked = true;
      if (r.pending.length === 0 && r.subscalesDone === r.subscales.length && this.allAligned(r)) {
        this.finish(r);
        worked = true;
      }
      return worked;
    });
  }

  nextDueMs(): number {
    return this.running === undefined ? Infinity : this.transfer.nextDueMs();
  }

  // ---- triggering subscales ------------------------------------------------------------------------------

  /** Triggers every pending subscale that the concurrency limit allows now; returns whether one was. */
  private trigger(r: Running): boolean {
    let any = false;
    for (let i = pickSubscale(r.pending, r.ongoing, r.held, this.maxConcurrent); i >= 0; i = pickSubscale(r.pending, r.ongoing, r.held, this.maxConcurrent)) {
      const [plan] = r.pending.splice(i, 1);
      this.issue(r, plan);
      any = true;
    }
    return any;
  }

  private issue(r: Running, plan: Subscale): void {
    const barrierless = this.job.sourcesDone();
    const s: SubscaleRun = {
      plan,
      reconfigId: this.nextReconfigId(),
      barrierless,
      issueMs: this.job.elapsedMs(),
      pulling: false,
      inFlight: -1,
      toPull: new Set(plan.keyGroups),
      remaining: plan.keyGroups.length,
      aligned: new Set(),
      confirmedAll: false,
    };
    r.runs.set(s.reconfigId, s);
    r.ongoing[plan.from]++;
    r.ongoing[plan.to]++;
    r.held[plan.from] -= plan.keyGroups.length;
    r.held[plan.to] += plan.keyGroups.length;
    const src = this.subtasks[plan.from];
    const dst = this.subtasks[plan.to];
    for (const kg of plan.keyGroups) {
      const k: KeyGroupRun = {
        kg,
        from: plan.from,
        to: plan.to,
        sub: s,
        machine: new DrrsKeyGroupMachine(kg, this.observer),
        taken: false,
        merged: false,
        sent: 0,
        judged: 0,
        confirmAt: new Map(),
        confirmAllAt: -1,
        rerouteHeld: false,
        direct: new Map(),
        waiting: 0,
        waitingSinceSumMs: 0,
      };
      r.keyGroups[kg] = k;
      k.machine.apply('prepare');
      src.watch(kg);
      dst.watch(kg);
    }
    this.job.emit({ event: 'chunk_start', reconfigId: s.reconfigId, chunk: plan.seq, moves: plan.keyGroups.length, from: plan.from, to: plan.to });
    if (barrierless) return;
    for (const kg of plan.keyGroups) r.routed[kg] = plan.to;
    const table = r.routed.slice();
    for (const router of this.job.routersInto(this.operator)) router.scheduleSwitch(s.reconfigId, table);
    this.job.injectBarrier({ kind: 'reconfig', id: s.reconfigId });
  }

  /**
   * Subtasks whose inputs have ended see no barrier any more: they count as aligned; an old owner among
   * them confirms every channel, a new owner among them starts pulling. Returns whether anything changed.
   */
  private pollEnded(r: Running): boolean {
    let any = false;
    for (const s of r.runs.values()) {
      if (!s.barrierless) {
        for (const t of this.subtasks) {
          if (!s.aligned.has(t.subtask) && t.inputsEnded) {
            s.aligned.add(t.subtask);
            any = true;
          }
        }
      }
      if (!s.confirmedAll && this.subtasks[s.plan.from].inputsEnded) {
        this.confirmAll(r, s);
        any = true;
      }
      // Without a barrier the old owner keeps every record; its state leaves once its inputs ended (the new
      // owner may have finished already: nothing may be re-routed to it).
      if (!s.pulling && (s.barrierless ? s.confirmedAll : this.subtasks[s.plan.to].inputsEnded)) {
        this.startPull(r, s);
        any = true;
      }
    }
    return any;
  }

  /** Whether every subtask saw every barrier (the layer expects no barrier once the migration ended). */
  private allAligned(r: Running): boolean {
    for (const s of r.runs.values()) if (!s.barrierless && s.aligned.size < this.subtasks.length) return false;
    return true;
  }

  // ---- per-channel signals -------------------------------------------------------------------------------

  reconfigArrived(task: SubtaskPort, reconfigId: number, channel: number): void {
    const r = this.running;
    const s = r?.runs.get(reconfigId);
    if (r === undefined || s === undefined) throw new ProtocolError(`${task.label}: reconfiguration barrier ${reconfigId} on channel ${channel}, which is not in flight`);
    if (task.subtask === s.plan.from) this.confirm(r, s, channel);
    if (task.subtask === s.plan.to && !s.pulling) this.startPull(r, s);
  }

  onReconfigAligned(task: Subtask, reconfigId: number): void {
    if (task.name !== this.operator) return;
    const r = this.running;
    const s = r?.runs.get(reconfigId);
    if (r === undefined || s === undefined) throw new ProtocolError(`${task.label}: aligned on reconfiguration ${reconfigId}, which is not in flight`);
    s.aligned.add(task.subtask);
    if (task.subtask === s.plan.from && !s.confirmedAll) this.confirmAll(r, s);
  }

  /** The old owner passed the switch on `channel`: the new owner hears it behind what was re-routed so far. */
  private confirm(r: Running, s: SubscaleRun, channel: number): void {
    const at = s.plan.keyGroups.map((kg) => (r.keyGroups[kg] as KeyGroupRun).sent);
    this.send(s, 0, () => {
      s.plan.keyGroups.forEach((kg, i) => {
        const k = r.keyGroups[kg] as KeyGroupRun;
        k.confirmAt.set(channel, at[i]);
        this.settle(r, k);
      });
    });
  }

  /** The old owner will receive no record of the subscale any more (barrier on every input, or inputs ended). */
  private confirmAll(r: Running, s: SubscaleRun): void {
    s.confirmedAll = true;
    const at = s.plan.keyGroups.map((kg) => (r.keyGroups[kg] as KeyGroupRun).sent);
    this.send(s, 0, () => {
      s.plan.keyGroups.forEach((kg, i) => {
        const k = r.keyGroups[kg] as KeyGroupRun;
        k.confirmAllAt = at[i];
        this.settle(r, k);
      });
    });
  }

  /** Sends `bytes` from the subscale's old owner to its new one (FIFO per link, behind state and records). */
  private send(s: SubscaleRun, bytes: number, deliver: () => void): void {
    const tm = (sub: number): number => this.job.taskManagerOf(this.subtasks[sub].label);
    this.network.send(tm(s.plan.from), tm(s.plan.to), bytes, deliver);
  }

  // ---- pulling state ------------------------------------------------------------------------------------

  private startPull(r: Running, s: SubscaleRun): void {
    s.pulling = true;
    this.pullNext(r, s);
  }

  /** Asks for the subscale's next key group in the adaptive order, if none is in flight. */
  private pullNext(r: Running, s: SubscaleRun): void {
    if (!s.pulling || s.inFlight >= 0 || s.toPull.size === 0) return;
    const src = this.subtasks[s.plan.from];
    const now = this.job.recentElapsedMs();
    const candidates: PullCandidate[] = [];
    for (const kg of s.toPull) {
      const k = r.keyGroups[kg] as KeyGroupRun;
      candidates.push({ keyGroup: kg, stateBytes: src.state.bytes[kg], waitingRecords: k.waiting, waitingMs: k.waiting > 0 ? now - k.waitingSinceSumMs / k.waiting : 0 });
    }
    const kg = nextPull(candidates, r.buffered[s.plan.to] / this.bufferRecords);
    s.toPull.delete(kg);
    s.inFlight = kg;
    this.transfer.submit(this.shipment(r, r.keyGroups[kg] as KeyGroupRun));
  }

  private shipment(r: Running, k: KeyGroupRun): Shipment {
    const src = this.subtasks[k.from];
    const dst = this.subtasks[k.to];
    return {
      src,
      dst,
      estimate: () => src.state.bytes[k.kg],
      take: (): Parcel => {
        k.machine.apply('pull');
        k.taken = true;
        return src.state.exportKeyGroup(k.kg);
      },
      shipped: (parcel) => {
        k.machine.apply('ship');
        r.report.bytes += parcel.bytes;
      },
      install: (parcel, copies) => {
        if (parcel === undefined) throw new ProtocolError(`drrs: key group ${k.kg} arrived at ${dst.label} without its state`);
        dst.state.adoptKeyGroup(k.kg, parcel.tables, copies, parcel.bytes);
        // Shipped state is newer than every replica: the next checkpoint must refresh it.
        if (this.replication.replicated[k.kg] === 1) dst.state.markDirty(k.kg);
        src.state.detach(k.kg, parcel.values);
        this.merged(r, k);
      },
    };
  }

  /** The state is merged at the new owner: its buffered records drain, the next key group is pulled. */
  private merged(r: Running, k: KeyGroupRun): void {
    k.machine.apply('install');
    k.merged = true;
    r.buffered[k.to] -= k.waiting;
    k.waiting = 0;
    k.waitingSinceSumMs = 0;
    const dst = this.subtasks[k.to];
    if (k.rerouteHeld) dst.releaseSlot(k.kg);
    dst.unblock();
    k.sub.inFlight = -1;
    this.pullNext(r, k.sub);
    this.settle(r, k);
  }

  // ---- the gate -----------------------------------------------------------------------------------------

  judge(task: SubtaskPort, key: Key, kg: number, value: unknown, scheduledMs: number, seq: number, input: number, channel: number): number {
    const r = this.running;
    const k = r?.keyGroups[kg];
    if (r === undefined || k === undefined) throw new ProtocolError(`${task.label}: a record of key group ${kg}, which drrs is not moving`);
    if (task.subtask === k.from) {
      if (channel < 0) throw new ProtocolError(`${task.label}: a record of key group ${kg} handed over to its old owner`);
      if (!k.taken) return ADMIT;
      k.sent++;
      const dst = this.subtasks[k.to];
      this.send(k.sub, REROUTED_RECORD_BYTES, () => dst.deliver(key, kg, value, scheduledMs, seq, input));
      return TAKEN;
    }
    if (task.subtask !== k.to) throw new ProtocolError(`${task.label}: a record of key group ${kg}, which moves from ${k.from} to ${k.to}`);
    return channel < 0 ? this.judgeRerouted(r, k) : this.judgeDirect(r, k, channel);
  }

  /** A record the old owner re-routed: after the state, and after those re-routed before it. */
  private judgeRerouted(r: Running, k: KeyGroupRun): number {
    let verdict = ADMIT;
    if (!k.merged) verdict = this.holdForState(r, k, k.kg);
    else if (k.rerouteHeld) verdict = k.kg;
    if (verdict === BLOCK) return BLOCK;
    if (verdict >= 0) k.rerouteHeld = true;
    k.judged++;
    this.settle(r, k);
    return verdict;
  }

  /** A record that came straight from upstream channel `channel` (after the switch there). */
  private judgeDirect(r: Running, k: KeyGroupRun, channel: number): number {
    if (channel >= CHANNEL_STRIDE) throw new ProtocolError(`drrs: input channel ${channel}: at most ${CHANNEL_STRIDE} channels`);
    const slot = this.directSlot(k.kg, channel);
    // Behind the records of the channel held already; else, once the channel is confirmed (every record
    // re-routed from it is processed or in R), behind R; else in D until the confirm.
    const confirmed = !k.direct.has(channel) && this.confirmed(k, channel);
    const to = confirmed ? k.kg : slot;
    if (!k.merged) {
      const verdict = this.holdForState(r, k, to);
      if (verdict === BLOCK) return BLOCK;
      if (confirmed) k.rerouteHeld = true;
      else if (!k.direct.has(channel)) k.direct.set(channel, false);
      return verdict;
    }
    if (!confirmed) {
      if (!k.direct.has(channel)) k.direct.set(channel, false);
      return slot;
    }
    return k.rerouteHeld ? k.kg : ADMIT;
  }

  /** Holds a record for its key group's state in `slot`, or BLOCK when the new owner's buffer is full. */
  private holdForState(r: Running, k: KeyGroupRun, slot: number): number {
    if (r.buffered[k.to] >= this.bufferRecords) return BLOCK;
    r.buffered[k.to]++;
    k.waiting++;
    k.waitingSinceSumMs += this.job.recentElapsedMs();
    return slot;
  }

  /** Whether the old owner's confirm for `channel` (or for all) is in force: every record re-routed before it was judged here. */
  private confirmed(k: KeyGroupRun, channel: number): boolean {
    if (k.confirmAllAt >= 0 && k.judged >= k.confirmAllAt) return true;
    const at = k.confirmAt.get(channel);
    return at !== undefined && k.judged >= at;
  }

  private directSlot(kg: number, channel: number): number {
    const mp = (this.running as Running).keyGroups.length;
    return mp + kg * CHANNEL_STRIDE + channel;
  }

  slotDrained(task: SubtaskPort, slot: number): void {
    const r = this.running;
    if (r === undefined) throw new ProtocolError(`${task.label}: hold slot ${slot} drained but no drrs migration runs`);
    const mp = r.keyGroups.length;
    const kg = slot < mp ? slot : Math.floor((slot - mp) / CHANNEL_STRIDE);
    const k = r.keyGroups[kg];
    if (k === undefined || k.to !== task.subtask) throw new ProtocolError(`${task.label}: drained slot ${slot} of key group ${kg}, which it is not receiving`);
    if (slot < mp) k.rerouteHeld = false;
    else k.direct.delete((slot - mp) % CHANNEL_STRIDE);
    this.settle(r, k);
  }

  /**
   * Releases what may go now once the state is merged and the re-routed records drained: the direct records
   * of every confirmed channel. The key group is done once every channel is confirmed and nothing is held.
   */
  private settle(r: Running, k: KeyGroupRun): void {
    if (!k.merged || k.rerouteHeld || k.machine.phase === 'done') return;
    const dst = this.subtasks[k.to];
    for (const [channel, released] of k.direct) {
      if (released || !this.confirmed(k, channel)) continue;
      k.direct.set(channel, true);
      dst.releaseSlot(this.directSlot(k.kg, channel));
    }
    if (k.direct.size > 0 || k.confirmAllAt < 0 || k.judged < k.confirmAllAt) return;
    k.machine.apply('complete');
    this.subtasks[k.from].unwatch(k.kg);
    dst.unwatch(k.kg);
    if (--k.sub.remaining === 0) this.subscaleDone(r, k.sub);
  }

  private subscaleDone(r: Running, s: SubscaleRun): void {
    r.subscalesDone++;
    r.ongoing[s.plan.from]--;
    r.ongoing[s.plan.to]--;
    this.job.setAssignment(this.operator, this.job.assignment(this.operator).withMoves(s.plan.keyGroups.map((kg) => ({ keyGroup: kg, to: s.plan.to }))));
    const doneMs = this.job.elapsedMs();
    this.timers.timer(s.reconfigId, s.plan.seq, 'endToEnd', s.issueMs, doneMs - s.issueMs);
    this.job.emit({ event: 'chunk_end', reconfigId: s.reconfigId, chunk: s.plan.seq, from: s.plan.from, to: s.plan.to });
  }

  private finish(r: Running): void {
    switchTo(this.job, this.operator, this.subtasks, r.target);
    this.running = undefined;
    reportEnd(this.job, this.timers, 0, r.report, r.done);
  }
}

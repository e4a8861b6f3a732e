/**
 * Meces (Gu et al., USENIX ATC 2022) on this engine: prioritized state migration. Keys hash into bins inside
 * the key groups; at the start every router is told to switch the moving key groups to their new owners
 * right after it forwards one reconfiguration barrier (no global alignment: the old owner gives state up
 * whenever it is asked, without waiting for the barrier on its inputs). A key group at its new owner starts
 * empty and fills bin by bin (bin-machine.ts):
 *   - on demand: a record at the new owner whose bin is not there makes its bin come first (what is accessed
 *     is fetched first, so hot keys come first);
 *   - in the background: rounds of at most one key group per old owner and at most `fetch_batch` in all,
 *     each shipping the bins of its key groups not fetched yet (rounds.ts);
 *   - borrowed back: a record that still reaches the old owner (sent before the barrier) after its bin left
 *     makes the bin return there; it goes to the new owner again once the new owner asks for it, or the old
 *     owner has seen the barrier on every input.
 * Per-key order: a record at the new owner came on input channel c after the barrier; it is processed only
 * once its bin is here and the old owner has seen the barrier on its channel c (gate hook reconfigArrived) with
 * no record of the bin from channel c still waiting there; only such records pull a bin on demand. Until then
 * it waits: `meces` (the artifact) BLOCKs the task while only the state is missing, and holds records that
 * wait for the old owner (slot = channel x bins + bin); `meces-set-aside` holds every waiting record and
 * processes other keys meanwhile. Records at the old owner whose bin is away wait the same way. No deadlock:
 * a stopped task waits only for state, gets no slot released and keeps no bin from others, and once resumed
 * judges the record it stopped at first. Periodic checkpoints pause for the migration.
 * Imports core/, routing/, state/ and migration/ only.
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
import { ADMIT, BLOCK, type JobPort, type RecordGate, type SubtaskPort, type TimerSink } from '../ports.ts';
import type { Shipment, StateTransfer } from '../state-transfer.ts';
import { keyGroupStatus, nextBinState, sideOf, type BinEvent, type BinState, type KeyGroupStatus } from './bin-machine.ts';
import { keyGroupMoves, planRound, queuesBySource, roundCount, type KeyGroupMove } from './rounds.ts';

/** What a record waiting for its bin does to its task: the artifact blocks, ours sets it aside. */
export type MecesWaiting = 'block' | 'set-aside';

interface PreparedMeces extends PreparedMigration {
  readonly moves: readonly KeyGroupMove[];
}

/** Records of one bin from one input channel that wait at one side (a hold slot, or the record a task is stopped at). */
interface Wait {
  readonly side: 'old' | 'new';
  readonly task: Subtask;
  readonly channel: number;
  /** The hold slot, or -1 while the task is stopped at the record (BLOCK). */
  slot: number;
  /** The slot was released and drains, or the stopped task resumed: its records need the bin where it is. */
  released: boolean;
}

/** One moving bin. */
interface BinRun {
  readonly bin: number;
  readonly keyGroup: number;
  readonly from: number;
  readonly to: number;
  state: BinState;
  /** A shipment of it was submitted and not taken yet (it goes from the side it is at). */
  queued: boolean;
  /** Why the queued fetch was submitted (for its transition). */
  cause: 'fetch' | 'background';
  /** A background round asked for it. */
  wanted: boolean;
  /** Times it was borrowed back by the old owner. */
  borrows: number;
  readonly waits: Wait[];
}

interface Running {
  readonly target: Assignment;
  readonly reconfigId: number;
  /** No barrier could flow (every source had ended): nothing switches, old owners keep their records. */
  barrierless: boolean;
  waitingForCheckpoint: boolean;
  readonly bins: Map<number, BinRun>;
  readonly keyGroups: Map<number, BinRun[]>;
  /** Per old owner: key groups the background fetch has not reached yet. */
  queues: number[][];
  /** Bins of the round in progress not installed at their new owner yet. */
  readonly roundLeft: Set<number>;
  rounds: number;
  fetchedBins: number;
  /** Per subtask and input channel: 1 once the barrier arrived there. */
  readonly passed: Uint8Array[];
  /** Subtasks that saw the barrier on every input (or whose inputs ended, without a barrier). */
  readonly aligned: Set<number>;
  /** Bins with records waiting somewhere. */
  readonly waiting: Set<number>;
  /** Per subtask: the wait it is stopped at (BLOCK, not resumed yet). */
  readonly stops: (Wait | undefined)[];
  /** Per subtask: its released hold slots not drained yet. */
  readonly releasedSlots: Int32Array;
  onDemand: number;
  borrowed: number;
  readonly report: PlanReport;
  readonly done: PlanCallback;
}

export class MecesMechanism implements MigrationMechanism, RecordGate {
  readonly name: string;
  private readonly job: JobPort;
  private readonly operator: string;
  private readonly subtasks: readonly Subtask[];
  private readonly transfer: StateTransfer;
  private readonly timers: TimerSink;
  private readonly observer: TransitionObserver | undefined;
  private readonly nextReconfigId: () => number;
  private readonly layout: BinLayout;
  private readonly batch: number;
  private readonly pieces: PieceClock;
  private running: Running | undefined;

  constructor(
    ctx: MechanismContext,
    private readonly waiting: MecesWaiting,
  ) {
    this.name = waiting === 'block' ? 'meces' : 'meces-set-aside';
    this.pieces = new PieceClock(ctx.job.clock);
    this.job = ctx.job;
    this.operator = ctx.operator;
    this.subtasks = ctx.subtasks;
    this.transfer = ctx.transfer;
    this.timers = ctx.timers;
    this.observer = ctx.observer;
    this.nextReconfigId = ctx.nextReconfigId;
    this.layout = new BinLayout(ctx.options.bins as number, ctx.job.assignment(ctx.operator).maxParallelism);
    this.batch = ctx.options.fetch_batch as number;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get gate(): RecordGate {
    return this;
  }

  prepare(request: MigrationRequest): PreparedMeces {
    const moves = keyGroupMoves(this.job.assignment(this.operator), request.target);
    return { mechanism: this.name, request, keyGroups: moves.length, moves };
  }

  progress(): MechanismProgress | undefined {
    const r = this.running;
    return r === undefined ? undefined : { done: r.fetchedBins, total: r.bins.size, unit: 'bin' };
  }

  /** A moving key group at its new owner (empty, partially fetched, fetched), or undefined when it does not move. */
  keyGroupStatus(kg: number): KeyGroupStatus | undefined {
    const bins = this.running?.keyGroups.get(kg);
    return bins === undefined ? undefined : keyGroupStatus(bins.map((b) => b.state));
  }

  /** A moving bin's state (for tests and logs), or undefined. */
  binState(bin: number): BinState | undefined {
    return this.running?.bins.get(bin)?.state;
  }

  start(p: PreparedMigration, done: PlanCallback): void {
    if (this.running !== undefined) throw new ProtocolError(`a ${this.name} migration is already running`);
    const { moves, request } = p as PreparedMeces;
    const current = this.job.assignment(this.operator);
    for (const m of moves) {
      if (current.ownerOf(m.keyGroup) !== m.from) throw new ProtocolError(`${this.name}: key group ${m.keyGroup} is held by ${current.ownerOf(m.keyGroup)}, not ${m.from} (prepared for another assignment)`);
    }
    const startMs = this.job.elapsedMs();
    const moving = new Uint8Array(current.maxParallelism);
    const bins = new Map<number, BinRun>();
    const keyGroups = new Map<number, BinRun[]>();
    for (const m of moves) {
      moving[m.keyGroup] = 1;
      const list = this.layout.binsOf(m.keyGroup).map((bin): BinRun => ({ bin, keyGroup: m.keyGroup, from: m.from, to: m.to, state: 'remote', queued: false, cause: 'background', wanted: false, borrows: 0, waits: [] }));
      keyGroups.set(m.keyGroup, list);
      for (const b of list) bins.set(b.bin, b);
    }
    this.running = {
      target: request.target,
      reconfigId: this.nextReconfigId(),
      barrierless: false,
      waitingForCheckpoint: true,
      bins,
      keyGroups,
      queues: queuesBySource(moves, current.parallelism),
      roundLeft: new Set(),
      rounds: 0,
      fetchedBins: 0,
      passed: this.subtasks.map(() => new Uint8Array(0)),
      aligned: new Set(),
      waiting: new Set(),
      stops: this.subtasks.map(() => undefined),
      releasedSlots: new Int32Array(this.subtasks.length),
      onDemand: 0,
      borrowed: 0,
      report: { chunks: 0, keyGroups: moves.length, bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    for (const s of this.subtasks) s.setMigrating(moving);
    this.job.setCheckpointsPaused(true);
    // chunks: the rounds the background fetch takes if nothing is fetched on demand (fewer when something is).
    const rounds = roundCount(this.running.queues, this.batch);
    this.job.emit({ event: 'migration_start', operator: this.operator, mechanism: this.name, chunks: rounds, keyGroups: moves.length, bins: bins.size, fetchBatch: this.batch });
  }

  step(untilMs?: number): boolean {
    const begin = (r: Running): boolean => {
      this.begin(r);
      return false;
    };
    return stepMigration(this.job, this.running, () => (this.running = undefined), begin, (r) => {
      let worked = false;
      if (r.barrierless && this.alignEnded(r)) worked = true;
      if (r.roundLeft.size === 0 && this.nextRound(r)) worked = true;
      if (this.pieces.run(untilMs, () => this.transfer.piece()) > 0) worked = true;
      if (this.complete(r)) {
        this.finish(r);
        worked = true;
      }
      return worked;
    });
  }

  nextDueMs(): number {
    return this.running === undefined ? Infinity : this.transfer.nextDueMs();
  }

  /** No checkpoint in flight: records of the moving key groups go through the gate, routers switch after the barrier. */
  private begin(r: Running): void {
    for (const b of r.bins.values()) this.observer?.(b.bin, 'owned', 'prepare', 'remote');
    for (const [kg, list] of r.keyGroups) {
      this.subtasks[list[0].from].watch(kg);
      this.subtasks[list[0].to].watch(kg);
    }
    if (this.job.sourcesDone()) {
      r.barrierless = true;
      this.alignEnded(r);
      return;
    }
    const table = r.target.table();
    for (const router of this.job.routersInto(this.operator)) router.scheduleSwitch(r.reconfigId, table);
    this.job.injectBarrier({ kind: 'reconfig', id: r.reconfigId });
  }

  /** Without a barrier, a subtask whose inputs all ended has seen everything it will (returns whether one did). */
  private alignEnded(r: Running): boolean {
    let any = false;
    for (const t of this.subtasks) {
      if (r.aligned.has(t.subtask) || !t.inputsEnded) continue;
      this.aligned(r, t.subtask);
      any = true;
    }
    return any;
  }

  /** Issues the next background round; false when none is left. */
  private nextRound(r: Running): boolean {
    const { round, queues } = planRound(r.queues, (kg) => (r.keyGroups.get(kg) as BinRun[]).every((b) => b.state === 'fetched'), this.batch);
    // Key groups dropped as fetched are the background's too: a bin of theirs borrowed back later returns.
    const left = new Set(queues.flat());
    for (const q of r.queues) for (const kg of q) if (!left.has(kg)) for (const b of r.keyGroups.get(kg) as BinRun[]) b.wanted = true;
    r.queues = queues;
    if (round.length === 0) return false;
    r.rounds++;
    for (const kg of round) {
      for (const b of r.keyGroups.get(kg) as BinRun[]) {
        b.wanted = true;
        if (b.state === 'fetched') continue; // skipped: fetched already
        r.roundLeft.add(b.bin);
        this.reconsider(r, b);
      }
    }
    return true;
  }

  /** The gate hears of each reconfiguration barrier per input channel (RecordGate.reconfigArrived). */
  reconfigArrived(task: SubtaskPort, reconfigId: number, channel: number): void {
    const r = this.running;
    if (r === undefined || reconfigId !== r.reconfigId) throw new ProtocolError(`${task.label}: reconfiguration barrier ${reconfigId} arrived on channel ${channel}, which is not in flight`);
    let passed = r.passed[task.subtask];
    if (passed.length <= channel) {
      const grown = new Uint8Array(channel + 1);
      grown.set(passed);
      r.passed[task.subtask] = passed = grown;
    }
    passed[channel] = 1;
    for (const bin of [...r.waiting]) this.reconsider(r, r.bins.get(bin) as BinRun);
  }

  onReconfigAligned(task: Subtask, reconfigId: number): void {
    if (task.name !== this.operator) return;
    const r = this.running;
    if (r === undefined || reconfigId !== r.reconfigId) throw new ProtocolError(`${task.label}: aligned on reconfiguration ${reconfigId}, which is not in flight`);
    this.aligned(r, task.subtask);
  }

  /** Subtask `sub` will get no more record of a key group it gives up: bins it borrowed may go back. */
  private aligned(r: Running, sub: number): void {
    if (r.aligned.has(sub)) throw new ProtocolError(`${this.subtasks[sub].label}: aligned twice on reconfiguration ${r.reconfigId}`);
    r.aligned.add(sub);
    for (const b of r.bins.values()) if (b.from === sub) this.reconsider(r, b);
  }

  // ---- the gate ----------------------------------------------------------------------------------------

  judge(task: SubtaskPort, key: Key, kg: number, _value: unknown, _scheduledMs: number, _seq: number, _input: number, channel: number): number {
    const r = this.running;
    const b = r?.bins.get(this.layout.binOf(key));
    if (r === undefined || b === undefined) throw new ProtocolError(`${task.label}: a record of key group ${kg} judged outside a ${this.name} migration`);
    const side = task.subtask === b.from ? 'old' : task.subtask === b.to ? 'new' : undefined;
    if (side === undefined) throw new ProtocolError(`${task.label}: a record of bin ${b.bin} (key group ${kg}), which moves from ${b.from} to ${b.to}`);
    if (channel < 0) throw new ProtocolError(`${task.label}: a delivered record of bin ${b.bin}; ${this.name} delivers none`);
    const w = b.waits.find((x) => x.task.subtask === task.subtask && x.channel === channel);
    if (w !== undefined) {
      if (w.slot >= 0) return w.slot; // behind the records of its slot
      // The record the task stopped at, judged again first once resumed (its bin was kept for it).
      if (this.usable(r, b, side, channel)) {
        this.removeWait(r, b, w);
        return ADMIT;
      }
      const again = this.park(r, b, w);
      this.reconsider(r, b);
      return again;
    }
    if (this.usable(r, b, side, channel)) return ADMIT;
    const nw: Wait = { side, task: task as Subtask, channel, slot: -1, released: false };
    b.waits.push(nw);
    r.waiting.add(b.bin);
    const verdict = this.park(r, b, nw);
    this.reconsider(r, b);
    return verdict;
  }

  /**
   * How a record that cannot be processed yet waits. `meces` blocks the task while the bin's state is away
   * (the artifact's thread waiting for a fetch); a record whose bin is here but that waits for the old owner
   * to pass the barrier on its channel (ours, for order), and every waiting record of `meces-set-aside`, is
   * held (slot = channel x bins + bin). A task that still drains released slots is never stopped: a stopped
   * task keeps no bin from others (see reconsider).
   */
  private park(r: Running, b: BinRun, w: Wait): number {
    const sub = w.task.subtask;
    w.released = false;
    const blocks = this.waiting === 'block' && sideOf(b.state) !== w.side && this.ordered(r, b, w.side, w.channel) && r.releasedSlots[sub] === 0;
    if (blocks) {
      const other = r.stops[sub];
      if (other !== undefined && other !== w) throw new ProtocolError(`${w.task.label}: stopped at a record of bin ${b.bin} (channel ${w.channel}) while stopped at another (channel ${other.channel})`);
      w.slot = -1;
      r.stops[sub] = w;
      return BLOCK;
    }
    if (r.stops[sub] === w) r.stops[sub] = undefined;
    w.slot = w.channel * this.layout.bins + b.bin;
    return w.slot;
  }

  slotDrained(task: SubtaskPort, slot: number): void {
    const r = this.running;
    const b = r?.bins.get(slot % this.layout.bins);
    const w = b?.waits.find((x) => x.task.subtask === task.subtask && x.slot === slot);
    if (r === undefined || b === undefined || w === undefined || !w.released) throw new ProtocolError(`${task.label}: drained hold slot ${slot}, which it was not draining`);
    this.removeWait(r, b, w);
  }

  /**
   * Whether a record of `b` from `channel` may be processed at `side` now: the bin's state is there; at the
   * new owner also the old owner has seen the barrier on the same channel and holds no record of the bin from it.
   */
  private usable(r: Running, b: BinRun, side: 'old' | 'new', channel: number): boolean {
    return sideOf(b.state) === side && this.ordered(r, b, side, channel);
  }

  /** The order part of `usable`: at the new owner, the old owner is done with the bin's records from `channel`. */
  private ordered(r: Running, b: BinRun, side: 'old' | 'new', channel: number): boolean {
    if (side === 'old') return true;
    if (r.barrierless) throw new ProtocolError(`${this.subtasks[b.to].label}: a record of bin ${b.bin} reached its new owner, but no barrier switched the routers`);
    if ((r.passed[b.from][channel] ?? 0) === 0) return false;
    return !b.waits.some((x) => x.side === 'old' && x.channel === channel);
  }

  private removeWait(r: Running, b: BinRun, w: Wait): void {
    b.waits.splice(b.waits.indexOf(w), 1);
    if (w.slot >= 0 && w.released) r.releasedSlots[w.task.subtask]--;
    if (b.waits.length === 0) r.waiting.delete(b.bin);
    this.reconsider(r, b);
  }

  /**
   * After anything changed for bin `b`: lets waiting records go where the bin is, and moves the bin where it
   * is needed. A released record (a draining slot, a resumed task's record) keeps the bin where it is until
   * processed. A stopped task gets no slot released (it could not drain it, and would keep the bin from
   * others): that waits until it resumes, so that a stopped task only ever waits for state to arrive.
   */
  private reconsider(r: Running, b: BinRun): void {
    const resumed: number[] = [];
    for (const w of b.waits) {
      if (w.released || b.queued) continue;
      const sub = w.task.subtask;
      if (w.slot >= 0) {
        if (r.stops[sub] !== undefined || !this.usable(r, b, w.side, w.channel)) continue;
        w.released = true;
        r.releasedSlots[sub]++;
        w.task.releaseSlot(w.slot);
      } else {
        // A stopped task resumes once the state is here: judged again, its record goes on or is held (for order).
        if (sideOf(b.state) !== w.side) continue;
        w.released = true;
        r.stops[sub] = undefined;
        w.task.unblock();
        resumed.push(sub);
      }
    }
    if (!b.queued) this.move(r, b);
    // Slots of a task that resumed may go now.
    for (const sub of resumed) {
      for (const bin of [...r.waiting]) {
        const x = r.bins.get(bin) as BinRun;
        if (x !== b && x.waits.some((w) => w.task.subtask === sub && w.slot >= 0 && !w.released)) this.reconsider(r, x);
      }
    }
  }

  /**
   * Moves `b` where it is needed. The old owner's records come first (they were sent before the barrier, and
   * records at the new owner wait for them): it is borrowed back when the old owner's records wait for it,
   * unless the old owner is stopped at another record. It goes to the new owner on demand, or for the
   * background when the old owner has no record waiting for it (a borrowed bin only once the old owner saw
   * the barrier everywhere).
   */
  private move(r: Running, b: BinRun): void {
    const side = sideOf(b.state);
    const inUse = (s: 'old' | 'new'): boolean => b.waits.some((w) => w.side === s && w.released);
    if (side === 'new') {
      const oldStopped = r.stops[b.from];
      const oldNeeds = b.waits.some((w) => w.side === 'old' && !w.released && (oldStopped === undefined || oldStopped === w));
      if (oldNeeds && !inUse('new')) this.submit(r, b, 'borrow');
      return;
    }
    if (side !== 'old' || inUse('old')) return;
    // Only records that could go on once it is there pull it (the others wait for the old owner anyway).
    const demand = b.waits.some((w) => w.side === 'new' && this.ordered(r, b, 'new', w.channel));
    const background = b.wanted && !b.waits.some((w) => w.side === 'old') && (b.borrows === 0 || r.aligned.has(b.from));
    if (demand || background) this.submit(r, b, demand ? 'fetch' : 'background');
  }

  /** Queues a shipment of `b` away from the side it is at (its state is taken when its turn comes). */
  private submit(r: Running, b: BinRun, why: 'fetch' | 'background' | 'borrow'): void {
    b.queued = true;
    if (why !== 'borrow') b.cause = why;
    const toNew = why !== 'borrow';
    if (why === 'fetch') r.onDemand++;
    else if (why === 'borrow') {
      r.borrowed++;
      b.borrows++;
    }
    const src = this.subtasks[toNew ? b.from : b.to];
    const dst = this.subtasks[toNew ? b.to : b.from];
    const shipment: Shipment = {
      src,
      dst,
      estimate: () => src.state.bytes[b.keyGroup] / this.layout.perKeyGroup,
      take: (): StateParcel => {
        b.queued = false;
        this.transition(b, toNew ? b.cause : 'borrow');
        if (!src.state.owns(b.keyGroup)) return { tables: new Map(), values: [], bytes: 0 };
        return src.state.extractKeys(b.keyGroup, (key: Key) => this.layout.binOf(key) === b.bin);
      },
      shipped: (parcel) => {
        r.report.bytes += parcel.bytes;
      },
      install: (parcel, copies) => {
        if (parcel !== undefined) {
          dst.state.mergeKeys(b.keyGroup, parcel, copies);
          src.state.giveBack(parcel.values);
        }
        this.transition(b, toNew ? 'install' : 'return');
        if (toNew) {
          r.fetchedBins++;
          r.roundLeft.delete(b.bin);
        } else r.fetchedBins--;
        this.reconsider(r, b);
      },
    };
    this.transfer.submit(shipment);
  }

  private transition(b: BinRun, event: BinEvent): void {
    const to = nextBinState(b.bin, b.state, event);
    this.observer?.(b.bin, b.state, event, to);
    b.state = to;
  }

  /** Done: every bin fetched and nothing on its way or waiting, every subtask past the barrier, no round left. */
  private complete(r: Running): boolean {
    if (r.waitingForCheckpoint || r.aligned.size < this.subtasks.length || r.waiting.size > 0 || r.roundLeft.size > 0) return false;
    if (r.queues.some((q) => q.length > 0) || r.fetchedBins < r.bins.size) return false;
    for (const b of r.bins.values()) if (b.queued || b.state !== 'fetched') return false;
    return true;
  }

  private finish(r: Running): void {
    for (const kg of r.keyGroups.keys()) for (const t of this.subtasks) t.unwatch(kg);
    settleKeyGroups(this.subtasks, r.target);
    switchTo(this.job, this.operator, this.subtasks, r.target);
    this.running = undefined;
    r.report.chunks = r.rounds;
    reportEnd(this.job, this.timers, r.reconfigId, r.report, r.done, { onDemand: r.onDemand, borrowed: r.borrowed });
  }
}

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
 * Periodic checkpoints pause for the whole plan. Imports control/, routing/, state/ and migration/ only.
 */
import type { Chunk, MigrationPlan } from '../control/plan.ts';
import type { Assignment } from '../routing/assignment.ts';
import { ProtocolError } from '../errors.ts';
import type { KeyGroupTables } from '../state/snapshot-codec.ts';
import { ChunkExecution } from './chunk-execution.ts';
import type { KeyGroupMachine, TransitionObserver } from './key-group-machine.ts';
import type { Network } from './network.ts';
import type { JobPort, SubtaskPort, TimerSink } from './ports.ts';
import type { Replication } from './replication.ts';
import { PieceClock } from './pacing.ts';

/** Called once when a plan or restart ends: with an error, or with its report. */
export type PlanCallback = (err: unknown, report: PlanReport | undefined) => void;

/** A promise of the report that `start` hands its callback. */
export function promised(start: (done: PlanCallback) => void): Promise<PlanReport> {
  return new Promise((resolve, reject) => start((err, report) => (err === undefined ? resolve(report as PlanReport) : reject(err))));
}

/**
 * Most bytes of key groups being copied or on the wire at once. Copies need memory of the destination until
 * the source's memory comes back (at install); the cap keeps that extra memory small, while the copy thread
 * stays busy.
 */
export const MAX_IN_FLIGHT_BYTES = 64 * 2 ** 20;

/**
 * Longest slice of migration work in a step the scheduler forces (the layer had no gap for a while), ms: the
 * copy thread does the copying, the main thread only hands key groups over, a few at a time.
 */
export const MIGRATION_SLICE_MS = 0.05;

/** What a finished plan reports (summary.json, events.csv). */
export interface PlanReport {
  chunks: number;
  keyGroups: number;
  /** Bytes shipped between subtasks (replica restores ship nothing). */
  bytes: number;
  replicaRestores: number;
  startMs: number;
  endMs: number;
  /** Sum over chunks of sync + update, ms (for a restart: its downtime). */
  completionMs: number;
}

/** A key group whose byte values the copy thread is copying into the destination's memory. */
interface Transfer {
  readonly chunk: ChunkExecution;
  readonly kg: number;
  readonly src: SubtaskPort;
  readonly dst: SubtaskPort;
  readonly tables: KeyGroupTables;
  /** The source's byte values, and their copies in the destination's memory (same walk order). */
  readonly values: Uint8Array[];
  readonly copies: Uint8Array[];
  /** Accounted bytes of the key group (keys and values): what crosses the link. */
  readonly bytes: number;
  readonly ticket: number;
}

/** What {@link MigrationExecutor.prepare} works out ahead for a plan. */
interface PreparedPlan {
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

export class MigrationExecutor {
  private running: RunningPlan | undefined;
  private nextReconfigId = 1;
  private readonly transferQueue: { chunk: ChunkExecution; kg: number }[] = [];
  /** Transfers being copied, in submission order (the copy thread completes them in that order). */
  private readonly copying: Transfer[] = [];
  /** Bytes of transfers started and not installed yet. */
  private inFlightBytes = 0;
  private readonly subtasks: readonly SubtaskPort[];
  private readonly pieces = new PieceClock();
  /** What {@link prepare} worked out ahead, per plan. */
  private readonly prepared = new WeakMap<MigrationPlan, PreparedPlan>();

  constructor(
    private readonly job: JobPort,
    readonly operator: string,
    private readonly network: Network,
    private readonly replication: Replication,
    private readonly timers: TimerSink,
    private readonly observer?: TransitionObserver,
  ) {
    this.subtasks = job.subtasks(operator);
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The chunk in flight (0-based) and the plan's number of chunks, while a plan runs. */
  progress(): { chunk: number; chunks: number } | undefined {
    const r = this.running;
    return r === undefined ? undefined : { chunk: Math.max(0, r.next - 1), chunks: r.plan.chunks.length };
  }

  /**
   * Does ahead of time what starting `plan` needs from the plan's many small objects (the controller plans a
   * phase ahead): the steps that start a plan and its first chunk hold every record up. Flagging the 512
   * moving key groups of a shuffle took 0.2 ms there (the same loop over warm data a tenth of it), and the
   * first chunk's 512 machines and next assignment another 0.2-0.4 ms.
   */
  prepare(plan: MigrationPlan): void {
    const chunk = plan.chunks[0];
    const from = this.job.assignment(this.operator);
    const first = chunk === undefined ? undefined : { from, next: nextAssignment(from, chunk), machines: ChunkExecution.machinesOf(chunk, this.observer) };
    this.prepared.set(plan, { moving: this.movingKeyGroups(plan), first });
  }

  /** Indexed by key group: 1 for the key groups `plan` moves. */
  private movingKeyGroups(plan: MigrationPlan): Uint8Array {
    const moving = new Uint8Array(this.subtasks[0]?.migrating.length ?? 0);
    for (const c of plan.chunks) for (const m of c.moves) moving[m.keyGroup] = 1;
    return moving;
  }

  /** Runs `plan` to completion. One plan at a time. */
  run(plan: MigrationPlan): Promise<PlanReport> {
    return promised((done) => this.start(plan, done));
  }

  /**
   * Starts `plan`; `done` is called synchronously from the step that finishes it (so that a driver without
   * an event loop, e.g. a test on a manual clock, sees the end at once).
   */
  start(plan: MigrationPlan, done: PlanCallback): void {
    if (this.running !== undefined) throw new ProtocolError('a migration plan is already running');
    if (plan.operator !== this.operator) throw new ProtocolError(`plan for '${plan.operator}' given to the executor of '${this.operator}'`);
    const startMs = this.job.elapsedMs();
    const prepared = this.prepared.get(plan);
    this.prepared.delete(plan);
    this.running = {
      plan,
      first: prepared?.first,
      next: 0,
      chunk: undefined,
      waitingForCheckpoint: true,
      report: { chunks: plan.chunks.length, keyGroups: 0, bytes: 0, replicaRestores: 0, startMs, endMs: startMs, completionMs: 0 },
      done,
    };
    this.replication.grow(plan.replicated);
    const moving = prepared?.moving ?? this.movingKeyGroups(plan);
    for (const s of this.subtasks) s.migrating.set(moving);
    this.job.setCheckpointsPaused(true);
    this.job.emit('migration_start', `operator=${plan.operator};chunks=${plan.chunks.length};key_groups=${countMoves(plan)};order=${plan.strategy.order};sync_keys=${plan.strategy.syncKeys};replicate_filter=${plan.strategy.replicateFilter}`);
  }

  /**
   * Does pieces of migration work; returns whether it did any. With `untilMs` (performance.now() time, a gap
   * before the next record is due) only pieces expected to end by then; without, a slice of
   * MIGRATION_SLICE_MS with at least one piece.
   */
  step(untilMs?: number): boolean {
    const r = this.running;
    if (r === undefined) return false;
    try {
      if (r.waitingForCheckpoint) {
        if (this.job.checkpointInFlight()) return false;
        r.waitingForCheckpoint = false;
        this.startNextChunk(r);
        return true;
      }
      // Slices and gaps are measured on the wall clock: they bound how long records wait.
      let now = performance.now();
      const forced = untilMs === undefined;
      const deadline = untilMs ?? now + MIGRATION_SLICE_MS;
      let worked = r.chunk?.barrierless === true && this.alignEndedSubtasks(r.chunk);
      let pieces = 0;
      while (forced ? pieces === 0 || now < deadline : this.pieces.fits(now, deadline)) {
        if (!this.piece()) break;
        const end = performance.now();
        this.pieces.took(end - now);
        now = end;
        pieces++;
        worked = true;
      }
      return worked;
    } catch (err) {
      this.fail(err);
      return true;
    }
  }

  /** One piece of work: a delivery on a link, a copied key group shipped, or a key group handed to the copy thread. */
  private piece(): boolean {
    if (this.network.poll(1) > 0) return true;
    const head = this.copying[0];
    if (head !== undefined && head.dst.state.pool.copies.done(head.ticket)) {
      this.copying.shift();
      this.ship(head);
      return true;
    }
    const next = this.transferQueue[0];
    if (next === undefined || !this.startTransfer(next.chunk, next.kg)) return false;
    this.transferQueue.shift();
    return true;
  }

  nextDueMs(): number {
    return this.running === undefined ? Infinity : this.network.nextDueMs();
  }

  /** A subtask aligned on a reconfiguration barrier (any operator; only the target's count). */
  onReconfigAligned(task: SubtaskPort & { readonly name: string }, reconfigId: number): void {
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
      this.transferQueue.push({ chunk: c, kg: m.keyGroup });
    }
    if (c.aligned.size === this.subtasks.length) {
      c.alignedMs = this.job.elapsedMs();
      c.apply('aligned');
      this.maybeCompleteChunk(c);
    }
  }

  /** A destination processed every record held for `kg`. */
  onKeyGroupDrained(task: SubtaskPort & { readonly name: string }, kg: number): void {
    if (task.name !== this.operator) return;
    const c = this.running?.chunk;
    const m = c?.machines.get(kg);
    if (c === undefined || m === undefined || m.to !== task.subtask) throw new ProtocolError(`${task.label}: drained key group ${kg}, which it was not receiving`);
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
    const c = new ChunkExecution(this.nextReconfigId++, chunk, ahead?.next ?? nextAssignment(current, chunk), ahead?.machines ?? ChunkExecution.machinesOf(chunk, this.observer));
    r.chunk = c;
    c.prepareMs = this.job.elapsedMs();
    // Once every source has ended no barrier can flow, and no record will be routed by the new table again:
    // the chunk then goes without one (see ChunkExecution.barrierless).
    c.barrierless = this.job.sourcesDone();
    // A) prepare: destinations hold, routers arm the switch.
    for (const m of chunk.moves) {
      if (current.ownerOf(m.keyGroup) !== m.from) throw new ProtocolError(`chunk ${chunk.seq}: key group ${m.keyGroup} is held by ${current.ownerOf(m.keyGroup)}, not ${m.from}`);
      if (!c.barrierless) this.subtasks[m.to].hold(m.keyGroup);
      c.machines.get(m.keyGroup)?.apply('prepare');
    }
    const table = c.next.table();
    if (!c.barrierless) for (const router of this.job.routersInto(this.operator)) router.scheduleSwitch(c.reconfigId, table);
    // B) the barrier leaves every source.
    c.injectMs = this.job.elapsedMs();
    c.apply('inject');
    this.job.emit('chunk_start', `reconfig_id=${c.reconfigId};chunk=${chunk.seq};moves=${chunk.moves.length}`);
    if (c.barrierless) this.alignEndedSubtasks(c);
    else this.job.injectBarrier({ kind: 'reconfig', id: c.reconfigId });
  }

  /** Starts handing `kg` over; false when the copy thread has no room for it yet (nothing was done). */
  private startTransfer(c: ChunkExecution, kg: number): boolean {
    const m = c.machines.get(kg);
    if (m === undefined) throw new ProtocolError(`key group ${kg} is not in chunk ${c.chunk.seq}`);
    const src = this.subtasks[m.from];
    const dst = this.subtasks[m.to];
    const dstTm = this.job.taskManagerOf(dst.label);
    const replica = this.replication.replicated[kg] === 1 && src.state.dirty[kg] === 0 ? this.replication.stores[dstTm].get(this.operator, kg) : undefined;
    if (replica !== undefined) {
      // Clean replicated key group: nothing is sent, the destination restores its local replica.
      m.apply('replica');
      c.replicaRestores++;
      this.network.send(dstTm, dstTm, 0, () => {
        // The replica stays in the store: the state gets its own copy of it.
        dst.state.restoreKeyGroup(kg, replica, { copy: true });
        src.state.release(kg);
        this.installed(c, kg, dst);
      });
      return true;
    }
    // Over the cap, wait for installs (one key group may always go, however large).
    if (this.inFlightBytes > 0 && this.inFlightBytes + src.state.bytes[kg] > MAX_IN_FLIGHT_BYTES) return false;
    const { tables, values, bytes } = src.state.exportKeyGroup(kg);
    const copies = values.map((v) => dst.state.allocBytes(v.byteLength));
    const ticket = dst.state.pool.copies.submit(values, copies);
    if (ticket === undefined) {
      for (const b of copies) dst.state.pool.give(b);
      return false;
    }
    m.apply('encode');
    this.inFlightBytes += bytes;
    this.copying.push({ chunk: c, kg, src, dst, tables, values, copies, bytes, ticket });
    return true;
  }

  private ship(t: Transfer): void {
    t.chunk.machines.get(t.kg)?.apply('ship');
    t.chunk.bytes += t.bytes;
    this.network.send(this.job.taskManagerOf(t.src.label), this.job.taskManagerOf(t.dst.label), t.bytes, () => {
      t.dst.state.adoptKeyGroup(t.kg, t.tables, t.copies, t.bytes);
      // Shipped state is newer than every replica: the next checkpoint must refresh it.
      if (this.replication.replicated[t.kg] === 1) t.dst.state.dirty[t.kg] = 1;
      t.src.state.detach(t.kg, t.values);
      this.inFlightBytes -= t.bytes;
      this.installed(t.chunk, t.kg, t.dst);
    });
  }

  /** E) the key group is installed at the destination and gone from the source: the held records start draining. */
  private installed(c: ChunkExecution, kg: number, dst: SubtaskPort): void {
    const m = c.machines.get(kg) as KeyGroupMachine;
    m.apply('install');
    // Without a barrier nothing was held: the key group is done at once.
    if (c.barrierless) this.drained(c, m);
    else dst.beginDrain(kg);
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
    this.job.emit('chunk_end', `reconfig_id=${c.reconfigId};chunk=${c.chunk.seq};bytes=${c.bytes};replica_restores=${c.replicaRestores}`);
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
    for (const s of this.subtasks) s.migrating.fill(0);
    this.job.setCheckpointsPaused(false);
    this.job.emit('migration_end', `chunks=${r.report.chunks};key_groups=${r.report.keyGroups};bytes=${r.report.bytes};completion_ms=${r.report.completionMs.toFixed(3)}`);
    r.done(undefined, r.report);
  }

  private fail(err: unknown): void {
    const r = this.running;
    this.running = undefined;
    r?.done(err, undefined);
  }
}

/** The assignment once `chunk`'s moves are made on `current`. */
function nextAssignment(current: Assignment, chunk: Chunk): Assignment {
  return current.withMoves(chunk.moves.map((m) => ({ keyGroup: m.keyGroup, to: m.to })));
}

function countMoves(plan: MigrationPlan): number {
  return plan.chunks.reduce((n, c) => n + c.moves.length, 0);
}

/**
 * One subtask of a keyed operator: reads its input channels round-robin, processes each record against the
 * state of the record's key group, measures latency at completion, and handles barriers. Checkpoint barriers
 * are aligned (a channel that delivered the barrier waits until all have). Reconfiguration barriers never
 * block a channel; once one arrived on every input the migration layer is told and the barrier goes on (a
 * next reconfiguration barrier waits at the head of its channel until then).
 * Records of watched key groups (a migration is moving them) go through the migration mechanism's gate,
 * which admits, holds (per slot, drained in arrival order once released), blocks or takes each one: the
 * task itself knows no protocol. Watermarks (event time) fire the operator's timers; see `fireTimers` for
 * what a migration changes about that.
 */
import type { Clock } from '../core/clock.ts';
import type { Key } from '../core/key-group.ts';
import type { Barrier, CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
import { END_OF_STREAM } from '../core/control-event.ts';
import type { RecordBatch } from '../core/record-batch.ts';
import { isBatch, type Channel } from '../routing/channel.ts';
import type { Router } from '../routing/router.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { TimerService } from '../state/timer-service.ts';
import type { LatencyBuffer } from '../metrics/latency-buffer.ts';
import { ProtocolError } from '../errors.ts';
import { ADMIT, BLOCK, TAKEN, type RecordGate } from '../migration/ports.ts';
import { HeldRecords } from './held-records.ts';
import { STEP_BUDGET_MS, type KeyedContext, type KeyedFunction, type Task } from './task.ts';

/** Records a keyed step processes at most. */
const MAX_RECORDS_PER_STEP = 4096;

/** Most of a step's time that firing timers may take: records go on in the rest, so a window end never stalls them. */
const TIMER_BUDGET_MS = STEP_BUDGET_MS / 2;

/** While due timers wait for their key group's migration to end, how often to look again, ms. */
const FROZEN_TIMER_RETRY_MS = 10;

/** Hooks of the layer that reacts to barriers (checkpoints, replication, migration). */
export interface BarrierHandler {
  /** A checkpoint barrier arrived on all inputs; runs before it is forwarded downstream. */
  onCheckpointAligned(task: KeyedTask, barrier: CheckpointBarrier): void;
  /** A reconfiguration barrier arrived on every input; runs before it is forwarded downstream. */
  onReconfigAligned(task: KeyedTask, barrier: ReconfigBarrier): void;
}

type In = unknown;
type Out = unknown;

/** What `admit` did with a record. */
const PROCESSED = 0;
const SET_ASIDE = 1;
const STOPPED = 2;

export class KeyedTask implements Task, KeyedContext<Out> {
  readonly label: string;
  done = false;
  /** Records processed so far. */
  processed = 0;
  /** Indexed by key group: records processed (a rate statistic for the planner). */
  readonly recordsPerKeyGroup: Float64Array;
  /** Indexed by key group: 1 while the key group belongs to a migration in progress (see setMigrating). */
  private readonly migrating: Uint8Array;
  /** Indexed by key group: 1 while its records go through the gate (see watch). */
  private readonly watched: Uint8Array;
  /** How many key groups are watched (fast path: 0). */
  private watchedCount = 0;
  /** Decides for records of watched key groups; set when a migration layer is attached. */
  gate: RecordGate | undefined;
  /** Records the gate holds, per slot. */
  readonly held: HeldRecords<In>;
  /** Records handed over by other subtasks (`deliver`), processed before the inputs. */
  private readonly inbox: { key: Key; kg: number; value: In; scheduledMs: number; seq: number; input: number }[] = [];
  /** The gate said BLOCK: nothing is processed until `unblock()`. */
  private stopped = false;

  // KeyedContext of the record being processed.
  key: Key = '';
  keyGroup = -1;
  scheduledMs = 0;
  seq = 0;
  /** Event time reached on every input (min over the inputs' last watermarks; Infinity once all ended). */
  watermarkMs = -Infinity;
  /** Event-time timers of this subtask, kept in its keyed state. */
  readonly timers: TimerService;

  private readonly cursor: Int32Array;
  /** Per input channel: 1 while blocked by checkpoint alignment. */
  private readonly blocked: Uint8Array;
  private readonly ended: Uint8Array;
  private endedCount = 0;
  private alignedCheckpoint: CheckpointBarrier | undefined;
  /** The reconfiguration barrier being aligned, and per input channel whether it arrived. */
  private alignedReconfig: ReconfigBarrier | undefined;
  private readonly reconfigSeen: Uint8Array;
  private checkpointArrivals = 0;
  private rr = 0;
  /** Per input channel: the last watermark it delivered. */
  private readonly channelWatermark: Float64Array;
  /** The last watermark sent downstream. */
  private forwardedWatermark = -Infinity;
  /** Due timers are waiting for their key groups' migration to end (looked at again every few ms). */
  private timersFrozen = false;
  /** The key groups whose due timers wait. */
  private readonly frozenKeyGroups: number[] = [];
  private timersCheckedMs = -Infinity;
  /** A key group finished draining: its timers may be due now. */
  private timersRecheck = false;
  /** A firing pass ran out of time: it goes on from this key group at the next step (-1: none pending). */
  private timersFrom = -1;
  /** Earliest waiting timer seen so far by the pass in progress. */
  private timersFrozenMin = Infinity;
  /** Input watermark when the pass in progress started: every key group it passed fired up to it. */
  private timersPassWatermark = -Infinity;

  constructor(
    readonly name: string,
    readonly subtask: number,
    readonly parallelism: number,
    readonly inputs: readonly Channel<In>[],
    readonly state: KeyedStateBackend,
    private readonly fn: KeyedFunction<In, Out>,
    readonly output: Router<Out> | undefined,
    private readonly clock: Clock,
    /** Clock time the run started at; latency records carry `now - runStartMs`. */
    public runStartMs: number,
    private readonly latency: LatencyBuffer | undefined,
    public barrierHandler: BarrierHandler | undefined,
  ) {
    this.label = `${name}-${subtask}`;
    const mp = state.maxParallelism;
    this.recordsPerKeyGroup = new Float64Array(mp);
    this.migrating = new Uint8Array(mp);
    this.watched = new Uint8Array(mp);
    this.held = new HeldRecords<In>(this.label);
    this.cursor = new Int32Array(inputs.length);
    this.blocked = new Uint8Array(inputs.length);
    this.ended = new Uint8Array(inputs.length);
    this.reconfigSeen = new Uint8Array(inputs.length);
    this.channelWatermark = new Float64Array(inputs.length).fill(-Infinity);
    this.timers = new TimerService(state);
    fn.open?.(state, { subtask, parallelism, timers: this.timers });
  }

  nextDueMs(): number {
    return Infinity;
  }

  /** True once end of stream arrived on every input (records held for incoming key groups may remain). */
  get inputsEnded(): boolean {
    return this.endedCount === this.inputs.length;
  }

  collect(value: Out, key?: Key): void {
    const out = this.output;
    if (out === undefined) return;
    out.currentScheduledMs = this.scheduledMs;
    out.currentSeq = this.seq;
    out.collect(value, key);
  }

  step(): boolean {
    if (this.done || this.stopped) return false;
    // Back-pressure: while an output channel is full this task takes nothing in (what it would emit has
    // nowhere to go), so its input channels fill up and the pressure reaches the sources.
    const out = this.output;
    if (out !== undefined && !out.hasRoom()) return false;
    // Most steps find nothing to do (every task gets a step per round): they return before reading the clock,
    // whose readings are allocated numbers that the young generation would have to collect.
    if (!this.held.drainPending && this.inbox.length === 0 && this.timersFrom < 0 && !this.timersRecheck && !this.timersFrozen && this.inputsIdle()) return false;
    // The step's budget starts at the scheduler's last reading (microseconds old, see Clock.recent); records
    // read the clock once each, when done, and a step checks its budget against those readings.
    const start = this.clock.recent();
    let budget = MAX_RECORDS_PER_STEP;
    let worked = false;
    let idlePasses = 0;
    if (this.held.drainPending) {
      const drained = this.drain(start, budget);
      budget -= drained;
      worked = true;
    }
    if (this.inbox.length > 0) {
      const n = this.takeInbox(start, budget);
      budget -= n;
      worked = true;
      if (this.stopped) return true;
    }
    if (this.timersFrom >= 0 || this.timersRecheck || (this.timersFrozen && start - this.timersCheckedMs >= FROZEN_TIMER_RETRY_MS && this.anyFrozenSettled())) {
      this.fireTimers(start);
      worked = true;
    }
    const n = this.inputs.length;
    while (budget > 0 && idlePasses < n) {
      const c = this.rr;
      this.rr = (c + 1) % n;
      const ch = this.inputs[c];
      const item = this.blocked[c] === 1 ? undefined : ch.peek();
      // A channel that delivered the reconfiguration barrier being aligned may already carry the next one
      // (downstream of the migrating operator, the next chunk can start before this task saw the current
      // barrier on every input): it waits at the head of its channel until the current alignment completes.
      if (item === undefined || (!isBatch(item) && item.kind === 'reconfig' && this.reconfigSeen[c] === 1)) {
        idlePasses++;
        continue;
      }
      idlePasses = 0;
      worked = true;
      if (isBatch(item)) {
        const before = this.cursor[c];
        const after = this.processBatch(item, before, budget, start, ch.input, c);
        ch.release(after - before);
        budget -= after - before;
        if (this.stopped) {
          this.cursor[c] = after;
          this.rr = c; // resumed, it judges that record again first (a blocked thread goes on where it stopped)
          break; // the gate stopped the task at record `after`
        }
        if (after >= item.size) {
          ch.shift();
          ch.recycle(item);
          this.cursor[c] = 0;
          // Between input batches, stop once an output channel is full (see above).
          if (out !== undefined && !out.hasRoom()) break;
        } else {
          this.cursor[c] = after;
          break; // out of time
        }
      } else {
        ch.shift();
        if (item.kind === 'end') this.onEnd(c);
        else if (item.kind === 'watermark') this.onWatermark(c, item.timestampMs);
        else this.onBarrier(c, item);
        // A barrier can take a while (a checkpoint's snapshot, an alignment's end).
        if (this.clock.now() - start >= STEP_BUDGET_MS) break;
      }
    }
    this.output?.flush();
    if (this.endedCount === n && !this.holding && !this.timersFrozen && this.timersFrom < 0 && !this.done) this.finish();
    return worked;
  }

  /** Whether no input channel has anything to take (empty, or blocked by checkpoint alignment). */
  private inputsIdle(): boolean {
    for (let c = 0; c < this.inputs.length; c++) if (this.blocked[c] === 0 && !this.inputs[c].isEmpty) return false;
    return true;
  }

  /** Processes records `from ..` of `batch` until done, out of records or out of time; returns the next index. */
  private processBatch(batch: RecordBatch<In>, from: number, budget: number, start: number, input: number, channel: number): number {
    const end = Math.min(batch.size, from + budget);
    let i = from;
    while (i < end) {
      const kg = batch.keyGroup[i];
      if (this.watchedCount > 0 && this.watched[kg] === 1) {
        const r = this.admit(batch.key[i], kg, batch.value[i], batch.scheduledMs[i], batch.seq[i], input, channel);
        if (r === STOPPED) return i;
        i++;
        if (r === SET_ASIDE) continue;
      } else {
        this.processOne(batch.key[i], kg, batch.value[i], batch.scheduledMs[i], batch.seq[i], input);
        this.completed(kg, batch.scheduledMs[i]);
        i++;
      }
      if (this.clock.recent() - start >= STEP_BUDGET_MS) break;
    }
    return i;
  }

  /** A record of a watched key group (from input `channel`, -1: delivered): the gate decides; processes it when admitted. */
  private admit(key: Key, kg: number, value: In, scheduledMs: number, seq: number, input: number, channel: number): number {
    const gate = this.gate;
    const verdict = gate === undefined ? ADMIT : gate.judge(this, key, kg, value, scheduledMs, seq, input, channel);
    if (verdict === ADMIT) {
      this.processOne(key, kg, value, scheduledMs, seq, input);
      this.completed(kg, scheduledMs);
      return PROCESSED;
    }
    if (verdict >= 0) {
      this.held.push(verdict, kg, key, value, scheduledMs, seq, input);
      return SET_ASIDE;
    }
    if (verdict === TAKEN) return SET_ASIDE;
    if (verdict === BLOCK) {
      this.stopped = true;
      return STOPPED;
    }
    throw new ProtocolError(`${this.label}: the gate answered ${verdict} for key group ${kg} (allowed: ADMIT, BLOCK, TAKEN or a hold slot >= 0)`);
  }

  /** Runs the operator on one record (also used to drain held records). */
  processOne(key: Key, kg: number, value: In, scheduledMs: number, seq: number, input: number): void {
    this.key = key;
    this.keyGroup = kg;
    this.scheduledMs = scheduledMs;
    this.seq = seq;
    this.state.setCurrentKey(key, kg);
    this.fn.processElement(value, this, input);
    this.recordsPerKeyGroup[kg]++;
    this.processed++;
  }

  /** Reads the clock once for a record just processed: records its latency and returns the time. */
  private completed(kg: number, scheduledMs: number): number {
    const now = this.clock.now();
    this.latency?.record(now - this.runStartMs, kg, now - scheduledMs, this.migrating[kg]);
    return now;
  }

  // ---- the migration layer's side (SubtaskPort) --------------------------------------------------------

  setMigrating(moving: Uint8Array | undefined): void {
    if (moving === undefined) this.migrating.fill(0);
    else this.migrating.set(moving);
  }

  isMigrating(kg: number): boolean {
    return this.migrating[kg] === 1;
  }

  watch(kg: number): void {
    if (this.watched[kg] === 1) return;
    this.watched[kg] = 1;
    this.watchedCount++;
  }

  unwatch(kg: number): void {
    if (this.watched[kg] === 0) return;
    this.watched[kg] = 0;
    this.watchedCount--;
    this.timersRecheck = true;
  }

  isWatched(kg: number): boolean {
    return this.watched[kg] === 1;
  }

  releaseSlot(slot: number): void {
    this.held.release(slot);
  }

  heldInSlot(slot: number): number {
    return this.held.size(slot);
  }

  deliver(key: Key, kg: number, value: unknown, scheduledMs: number, seq: number, input: number): void {
    this.inbox.push({ key, kg, value, scheduledMs, seq, input });
  }

  unblock(): void {
    this.stopped = false;
  }

  /**
   * Whether a migration involves the task: key groups watched, records set aside (held or delivered), or
   * stopped by the gate. It does not end, nor forward watermarks, meanwhile.
   */
  get holding(): boolean {
    return this.watchedCount > 0 || this.held.count > 0 || this.inbox.length > 0 || this.stopped;
  }

  /** Records handed over by other subtasks, through the gate like any; returns how many were taken. */
  private takeInbox(start: number, budget: number): number {
    let n = 0;
    while (this.inbox.length > 0 && n < budget) {
      const r = this.inbox[0];
      const watched = this.watchedCount > 0 && this.watched[r.kg] === 1;
      if (watched) {
        if (this.admit(r.key, r.kg, r.value, r.scheduledMs, r.seq, r.input, -1) === STOPPED) break;
      } else {
        this.processOne(r.key, r.kg, r.value, r.scheduledMs, r.seq, r.input);
        this.completed(r.kg, r.scheduledMs);
      }
      this.inbox.shift();
      n++;
      if (this.clock.recent() - start >= STEP_BUDGET_MS) break;
    }
    return n;
  }

  /** Processes held records of released slots within the step's budget; returns how many. */
  private drain(start: number, budget: number): number {
    let done = 0;
    for (let h = this.held.head(); h !== undefined && done < budget; h = this.held.head()) {
      const b = h.batch;
      let i = h.pos;
      while (i < b.size && done < budget) {
        const kg = b.keyGroup[i];
        this.processOne(b.key[i], kg, b.value[i], b.scheduledMs[i], b.seq[i], h.input[i]);
        const now = this.completed(kg, b.scheduledMs[i]);
        i++;
        done++;
        if (now - start >= STEP_BUDGET_MS) break;
      }
      h.pos = i;
      if (i < b.size) break;
      const slot = this.held.closeHead().id;
      this.timersRecheck = true;
      this.gate?.slotDrained(this, slot);
      if (this.clock.now() - start >= STEP_BUDGET_MS) break;
    }
    return done;
  }

  private onBarrier(c: number, barrier: Barrier): void {
    if (barrier.kind === 'reconfig') {
      if (this.alignedReconfig === undefined) this.alignedReconfig = barrier;
      else if (this.alignedReconfig.id !== barrier.id) {
        throw new ProtocolError(`${this.label}: reconfiguration barrier ${barrier.id} while aligning ${this.alignedReconfig.id}`);
      }
      this.reconfigSeen[c] = 1;
      // Per channel, before alignment: for mechanisms that act per channel (RecordGate.reconfigArrived).
      this.gate?.reconfigArrived?.(this, barrier.id, c);
      this.maybeCompleteReconfig();
      return;
    }
    if (this.alignedCheckpoint === undefined) this.alignedCheckpoint = barrier;
    else if (this.alignedCheckpoint.id !== barrier.id) {
      throw new ProtocolError(`${this.label}: checkpoint barrier ${barrier.id} while aligning ${this.alignedCheckpoint.id}`);
    }
    this.blocked[c] = 1;
    this.checkpointArrivals++;
    this.maybeCompleteCheckpoint();
  }

  private maybeCompleteCheckpoint(): void {
    const cp = this.alignedCheckpoint;
    if (cp === undefined || this.checkpointArrivals + this.endedCount < this.inputs.length) return;
    this.barrierHandler?.onCheckpointAligned(this, cp);
    this.output?.broadcast(cp);
    this.alignedCheckpoint = undefined;
    this.checkpointArrivals = 0;
    this.blocked.fill(0);
  }

  private maybeCompleteReconfig(): void {
    const rb = this.alignedReconfig;
    if (rb === undefined) return;
    for (let c = 0; c < this.inputs.length; c++) if (this.reconfigSeen[c] === 0 && this.ended[c] === 0) return;
    this.alignedReconfig = undefined;
    this.reconfigSeen.fill(0);
    this.barrierHandler?.onReconfigAligned(this, rb);
    this.output?.broadcast(rb);
  }

  private onEnd(c: number): void {
    this.ended[c] = 1;
    this.blocked[c] = 1; // nothing follows end of stream
    this.endedCount++;
    this.maybeCompleteCheckpoint();
    this.maybeCompleteReconfig();
    this.advanceWatermark();
  }

  /** Whether `kg`'s timers may fire here: not in a migration, its records not going through the gate. */
  private settled(kg: number): boolean {
    return this.migrating[kg] === 0 && this.watched[kg] === 0;
  }

  /** Whether a key group whose due timers wait has settled (then a full pass is worth it). */
  private anyFrozenSettled(): boolean {
    this.timersCheckedMs = this.clock.now();
    for (const kg of this.frozenKeyGroups) if (this.settled(kg)) return true;
    return false;
  }

  private onWatermark(c: number, timestampMs: number): void {
    if (timestampMs <= this.channelWatermark[c]) return;
    this.channelWatermark[c] = timestampMs;
    this.advanceWatermark();
  }

  /** Recomputes the input watermark (an ended input no longer holds it back); fires timers when it moved. */
  private advanceWatermark(): void {
    let w = Infinity;
    for (let c = 0; c < this.inputs.length; c++) if (this.ended[c] === 0 && this.channelWatermark[c] < w) w = this.channelWatermark[c];
    if (w <= this.watermarkMs) return;
    this.watermarkMs = w;
    // A pass in progress goes on with the new watermark; otherwise one starts.
    if (this.timersFrom < 0) this.fireTimers(this.clock.now());
  }

  /**
   * Fires the timers due at the input watermark, except in key groups that take part in a migration in
   * progress (`migrating`) or whose records are held: there, records of the same event time may sit at the
   * other subtask or in the held buffer, so firing waits until the key group is settled here (it is looked at
   * again every few ms, and as soon as a key group finished draining). The watermark sent downstream stays
   * at or below the earliest timer still waiting, and does not move while records are held, so that what
   * those timers and records emit later is never behind it. Timer output carries the timer's time.
   * A pass stops after half a step's budget and goes on at the next step, records being processed in the
   * other half (they are newer than every due timer, so they cannot change what those timers emit); nothing
   * is forwarded until the pass ends.
   */
  private fireTimers(start: number): void {
    this.timersRecheck = false;
    this.timersCheckedMs = start;
    const fn = this.fn;
    if (this.timersFrom < 0) {
      this.timersFrom = 0;
      this.timersFrozenMin = Infinity;
      this.timersPassWatermark = this.watermarkMs;
      this.frozenKeyGroups.length = 0;
    }
    if (fn.onTimer !== undefined) {
      const onTimer = fn.onTimer.bind(fn);
      const pass = this.timers.advance(
        this.watermarkMs,
        (kg) => this.settled(kg),
        (key, kg, ts) => {
          this.key = key;
          this.keyGroup = kg;
          this.scheduledMs = this.runStartMs + ts;
          this.seq = -1;
          this.state.setCurrentKey(key, kg);
          onTimer(ts, this);
        },
        { from: this.timersFrom, skipped: this.frozenKeyGroups, outOfTime: () => this.clock.now() - start >= TIMER_BUDGET_MS },
      );
      this.timersFrozenMin = Math.min(this.timersFrozenMin, pass.frozenMin);
      if (pass.next < this.state.maxParallelism) {
        this.timersFrom = pass.next;
        return;
      }
    }
    this.timersFrom = -1;
    const frozenMin = this.timersFrozenMin;
    const passed = this.timersPassWatermark;
    this.timersFrozen = frozenMin !== Infinity && frozenMin <= passed;
    // The watermark moved during the pass: the key groups it had passed need another.
    if (this.watermarkMs > passed) this.timersRecheck = true;
    const out = this.output;
    if (out === undefined || this.holding) return;
    const forward = Math.min(passed, frozenMin);
    if (forward > this.forwardedWatermark && forward !== Infinity) {
      this.forwardedWatermark = forward;
      out.broadcast({ kind: 'watermark', timestampMs: forward });
    }
  }

  /** All inputs ended and nothing is held: end of stream goes downstream. */
  private finish(): void {
    this.output?.broadcast(END_OF_STREAM);
    this.latency?.flush();
    this.done = true;
  }
}

/**
 * One subtask of a keyed operator: reads its input channels round-robin, processes each record against the
 * state of the record's key group and measures latency at completion. Barriers align in input-alignment.ts
 * (the migration layer hears of reconfiguration barriers per channel and once aligned); watermarks fire the
 * operator's timers in timer-firing.ts. Records of watched key groups (a migration is moving them) go
 * through the migration mechanism's gate, which admits, holds (per slot, drained in arrival order once
 * released), blocks or takes each one: the task itself knows no protocol.
 */
import type { Clock } from '../core/clock.ts';
import type { Key } from '../core/key-group.ts';
import type { CheckpointBarrier, ReconfigBarrier } from '../core/control-event.ts';
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
import { InputAlignment } from './input-alignment.ts';
import { TimerFiring } from './timer-firing.ts';
import { STEP_BUDGET_MS, type KeyedContext, type KeyedFunction, type Task } from './task.ts';

/** Records a keyed step processes at most. */
const MAX_RECORDS_PER_STEP = 4096;

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
  /** Event-time timers of this subtask, kept in its keyed state. */
  readonly timers: TimerService;
  /** Barrier alignment over the inputs. */
  private readonly alignment: InputAlignment;
  /** The input watermark and the timers it fires. */
  private readonly firing: TimerFiring;

  private readonly cursor: Int32Array;
  private rr = 0;

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
    this.timers = new TimerService(state);
    this.alignment = new InputAlignment(this.label, inputs.length, {
      checkpointAligned: (cp: CheckpointBarrier) => {
        this.barrierHandler?.onCheckpointAligned(this, cp);
        this.output?.broadcast(cp);
      },
      // Per channel, before alignment: for mechanisms that act per channel (RecordGate.reconfigArrived).
      reconfigArrived: (rb: ReconfigBarrier, c: number) => this.gate?.reconfigArrived?.(this, rb.id, c),
      reconfigAligned: (rb: ReconfigBarrier) => {
        this.barrierHandler?.onReconfigAligned(this, rb);
        this.output?.broadcast(rb);
      },
    });
    const onTimer = fn.onTimer?.bind(fn);
    this.firing = new TimerFiring(inputs.length, this.timers, state.maxParallelism, clock, {
      settled: (kg) => this.migrating[kg] === 0 && this.watched[kg] === 0,
      holding: () => this.holding,
      onTimer:
        onTimer === undefined
          ? undefined
          : (key, kg, ts) => {
              this.key = key;
              this.keyGroup = kg;
              this.scheduledMs = this.runStartMs + ts;
              this.seq = -1;
              this.state.setCurrentKey(key, kg);
              onTimer(ts, this);
            },
      forward: output === undefined ? undefined : (w) => output.broadcast({ kind: 'watermark', timestampMs: w }),
    });
    fn.open?.(state, { subtask, parallelism, timers: this.timers });
  }

  nextDueMs(): number {
    return Infinity;
  }

  /** True once end of stream arrived on every input (records held for incoming key groups may remain). */
  get inputsEnded(): boolean {
    return this.alignment.allEnded;
  }

  /** Event time reached on every input (min over the inputs' last watermarks; Infinity once all ended). */
  get watermarkMs(): number {
    return this.firing.watermarkMs;
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
    if (!this.held.drainPending && this.inbox.length === 0 && !this.firing.pending && this.inputsIdle()) return false;
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
    if (this.firing.due(start)) {
      this.firing.fire(start);
      worked = true;
    }
    const n = this.inputs.length;
    while (budget > 0 && idlePasses < n) {
      const c = this.rr;
      this.rr = (c + 1) % n;
      const ch = this.inputs[c];
      const item = this.alignment.readable(c) ? ch.peek() : undefined;
      // A channel that delivered the reconfiguration barrier being aligned may already carry the next one
      // (downstream of the migrating operator, the next chunk can start before this task saw the current
      // barrier on every input): it waits at the head of its channel until the current alignment completes.
      if (item === undefined || this.alignment.waits(c, item)) {
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
        if (item.kind === 'end') {
          this.alignment.onEnd(c);
          this.firing.advance(this.alignment.ended);
        } else if (item.kind === 'watermark') this.firing.onWatermark(c, item.timestampMs, this.alignment.ended);
        else this.alignment.onBarrier(c, item);
        // A barrier can take a while (a checkpoint's snapshot, an alignment's end).
        if (this.clock.now() - start >= STEP_BUDGET_MS) break;
      }
    }
    this.output?.flush();
    if (this.alignment.allEnded && !this.holding && this.firing.idle && !this.done) this.finish();
    return worked;
  }

  /** Whether no input channel has anything to take (empty, or blocked by checkpoint alignment). */
  private inputsIdle(): boolean {
    for (let c = 0; c < this.inputs.length; c++) if (this.alignment.readable(c) && !this.inputs[c].isEmpty) return false;
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
    this.firing.recheck();
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
      this.firing.recheck();
      this.gate?.slotDrained(this, slot);
      if (this.clock.now() - start >= STEP_BUDGET_MS) break;
    }
    return done;
  }

  /** All inputs ended and nothing is held: end of stream goes downstream. */
  private finish(): void {
    this.output?.broadcast(END_OF_STREAM);
    this.latency?.flush();
    this.done = true;
  }
}

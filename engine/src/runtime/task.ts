/**
 * What the scheduler drives: a task does a bounded step of work at a time. Also the operator-facing
 * interfaces (source and keyed functions). Imports core/, routing/ and state/ types only.
 */
import type { Key } from '../core/key-group.ts';
import type { Collector } from '../routing/router.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { TimerService } from '../state/timer-service.ts';

/** Most time one step of a task may take, in ms: the event loop is never held much longer. */
export const STEP_BUDGET_MS = 1;

/** A unit of cooperative work. */
export interface Task {
  /** `<operator>-<subtask>`, as in the results files. */
  readonly label: string;
  /**
   * Does at most about `STEP_BUDGET_MS` of work; returns whether it did any. A background task stepped in a
   * gap is given the gap's end, `untilMs` (a time on the job's clock): it starts only work expected to end by then.
   */
  step(untilMs?: number): boolean;
  /** Clock time at which the task will have work of its own (sources); `Infinity` when it only reacts. */
  nextDueMs(): number;
  /** True once the task has ended (end of stream on all inputs, or all records emitted). */
  readonly done: boolean;
  /** Work that can wait for the gaps between records (migration, replication); see Scheduler.runSlice. */
  readonly background?: boolean;
}

/**
 * Generates the records of one source subtask. It is called with consecutive indices from 0, and must be
 * deterministic: the same indices give the same records (a seed, if any, is fixed at creation).
 */
export interface SourceFunction<V> {
  /** Emits the record with local index `index`, scheduled `offsetMs` after the source's start, into `out`. */
  emit(index: number, offsetMs: number, out: Collector<V>): void;
}

/** What a keyed function is told when it opens. */
export interface OperatorInfo {
  readonly subtask: number;
  readonly parallelism: number;
  /** Event-time timers of the subtask (kept in its keyed state, so they migrate with their key group). */
  readonly timers: TimerService;
}

/**
 * A source fed from outside the job (a Kafka topic, say): records arrive on their own, each with the time it
 * was scheduled at, and the job polls what has arrived. Latency is measured from that scheduled time, as for
 * generated sources. Errors (an unreachable broker, a stream that went silent) are thrown from `poll`.
 */
export interface ExternalSource<V> {
  /** Called once, before the first poll, with the clock time the job counts from. */
  start?(jobStartMs: number): void;
  /**
   * Emits up to `max` records that are ready at clock time `nowMs`, in order, through `emit` (scheduled time on
   * the job's clock, value, key, and the sequence number the record was generated with); returns how many.
   */
  poll(nowMs: number, max: number, emit: (scheduledMs: number, value: V, key: Key, seq: number) => void): number;
  /** Clock time at which the next record is ready: -Infinity when one is ready now, Infinity when none has arrived. */
  nextDueMs(): number;
  /** True once the stream has ended and every record was polled. */
  readonly ended: boolean;
  /** The job stops the source early; no poll follows. */
  stop?(): void;
}

/** What a keyed function sees while it processes one record. */
export interface KeyedContext<Out> extends Collector<Out> {
  readonly key: Key;
  readonly keyGroup: number;
  /** Scheduled emission time of the record at its source (ms, job clock). */
  readonly scheduledMs: number;
  /** Source sequence number of the record. */
  readonly seq: number;
  readonly subtask: number;
}

/** A keyed (one- or two-input) operator's logic, e.g. the micro-benchmark's stateful map. */
export interface KeyedFunction<In = unknown, Out = unknown> {
  /** Called once per subtask before any record; create state handles here. */
  open?(state: KeyedStateBackend, info: OperatorInfo): void;
  /** Processes one record of input `input` (0, or 1 for the second input of a two-input operator). */
  processElement(value: In, ctx: KeyedContext<Out>, input: number): void;
  /**
   * An event-time timer registered for `ctx.key` fired: the watermark reached `timestampMs`. Records emitted
   * here carry the timer's time as their scheduled time (they are not any source record's).
   */
  onTimer?(timestampMs: number, ctx: KeyedContext<Out>): void;
}

/**
 * What the migration layer needs from a running job, as interfaces: the runtime implements them, so the
 * migration layer never imports runtime/ (imports flow core <- routing, state, control <- planner <-
 * migration <- runtime). Imports only types (events/ for what a migration records).
 */
import type { Clock } from '../core/clock.ts';
import type { Barrier } from '../core/control-event.ts';
import type { Key } from '../core/key-group.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { Assignment } from '../core/assignment.ts';
import type { BinRoutes } from '../routing/router.ts';
import type { EventRecord } from '../events/index.ts';

/** One subtask of the keyed operator whose key groups move. */
export interface SubtaskPort {
  readonly label: string;
  readonly subtask: number;
  readonly state: KeyedStateBackend;
  /** Indexed by key group: records processed so far (rates for hot/cold-first and hot replication). */
  readonly recordsPerKeyGroup: Float64Array;
  /** True once end of stream arrived on every input (records held for incoming key groups may remain). */
  readonly inputsEnded: boolean;
  /** Flags the key groups of a migration in progress (latency rows carry the flag; their timers wait); undefined clears. */
  setMigrating(moving: Uint8Array | undefined): void;
  /** Records of `kg` go through the layer's gate from now on (until `unwatch`). */
  watch(kg: number): void;
  unwatch(kg: number): void;
  /** The records held in `slot` may be processed (in arrival order); the gate hears `slotDrained` once they were. */
  releaseSlot(slot: number): void;
  /** A record handed over by another subtask (it goes through the gate like one from an input). */
  deliver(key: Key, kg: number, value: unknown, scheduledMs: number, seq: number, input: number): void;
  /** Ends a stop that the gate asked for with BLOCK: the record it stopped at is judged again, before any other input. */
  unblock(): void;
  /** Judges records of watched key groups (the migration layer sets itself). */
  gate: RecordGate | undefined;
}

/** Verdicts of a {@link RecordGate} besides a hold slot (a whole number >= 0: hold the record there). */
export const ADMIT = -1;
/** Stop the subtask at this record until `unblock()` (a thread waiting for state, as some mechanisms do). */
export const BLOCK = -2;
/** The gate took the record (to hand it to another subtask with `deliver`). */
export const TAKEN = -3;

/**
 * What a migration mechanism decides for each record of a watched key group, at the subtask it reached:
 * ADMIT (its key's state is here: process it), a hold slot, BLOCK or TAKEN. Called for watched key groups
 * only, so the records of every other key group never pay for it.
 */
export interface RecordGate {
  /**
   * `channel`: the input channel the record came on (the same index at every subtask of the operator: one
   * channel per upstream router), or -1 for a record handed over with `deliver`.
   */
  judge(task: SubtaskPort, key: Key, kg: number, value: unknown, scheduledMs: number, seq: number, input: number, channel: number): number;
  /** Every record of a released slot was processed. */
  slotDrained(task: SubtaskPort, slot: number): void;
  /**
   * A reconfiguration barrier arrived on input channel `channel` of `task` (every record before it on that
   * channel was judged or processed), before the task aligns on it: for mechanisms that act per channel
   * (DRRS confirms each channel's switch). Optional.
   */
  reconfigArrived?(task: SubtaskPort, reconfigId: number, channel: number): void;
}

/** A router that feeds the keyed operator (one per upstream subtask and input). */
export interface RouterPort {
  /** Routes by `table` (and `bins`, see routing/router.ts BinRoutes) right after barrier `reconfigId` passed. */
  scheduleSwitch(reconfigId: number, table: Int32Array, bins?: BinRoutes): void;
  switchTable(table: Int32Array, bins?: BinRoutes): void;
}

/** A unit of cooperative work, as the scheduler runs it (structurally runtime/task.ts's Task). */
export interface StepTask {
  readonly label: string;
  step(untilMs?: number): boolean;
  nextDueMs(): number;
  readonly done: boolean;
  readonly background?: boolean;
}

export interface JobPort {
  readonly clock: Clock;
  /** Milliseconds since the job's record 0 was scheduled. */
  elapsedMs(): number;
  /** The same at the clock's last reading (Clock.recent), for checks made in every gap between records. */
  recentElapsedMs(): number;
  subtasks(operator: string): readonly SubtaskPort[];
  routersInto(operator: string): readonly RouterPort[];
  /** TaskManager index of a subtask (by label). */
  taskManagerOf(label: string): number;
  readonly taskManagerCount: number;
  assignment(operator: string): Assignment;
  setAssignment(operator: string, a: Assignment): void;
  /** Sends a barrier from every source that has not ended. */
  injectBarrier(barrier: Barrier): void;
  /** Stops or resumes emission at every source (records keep their schedule: a pause shows as latency). */
  pauseSources(paused: boolean): void;
  /** True when no record is queued in any channel or held anywhere. */
  quiescent(): boolean;
  /** True once every source has emitted everything it will. */
  sourcesDone(): boolean;
  /** Periodic checkpoints: paused while a plan runs; a plan waits for one in flight to finish. */
  setCheckpointsPaused(paused: boolean): void;
  checkpointInFlight(): boolean;
  /** Acknowledges a deferred checkpoint of one subtask (see CheckpointParticipant). */
  acknowledgeCheckpoint(label: string, checkpointId: number): void;
  addTask(task: StepTask): void;
  /** Records an event (events.csv) at the job's elapsed time. */
  emit(e: EventRecord): void;
}

/** Takes part in checkpoints: called when a subtask aligned on a checkpoint barrier; must acknowledge it. */
export interface CheckpointParticipant {
  onCheckpoint(subtask: SubtaskPort & { readonly name: string }, checkpointId: number): void;
}

/** Receives timer rows (timers.csv): `reconfigId, chunk, timer, startMs, durationMs`. */
export interface TimerSink {
  timer(reconfigId: number, chunk: number, timer: 'sync' | 'update' | 'endToEnd' | 'replication', startMs: number, durationMs: number): void;
}

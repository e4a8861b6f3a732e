/**
 * What a migration mechanism is to the rest of the engine. A mechanism moves the key groups of one keyed
 * operator from the current assignment to a target while the job runs; the migration layer gives it the
 * job's ports, the shared services (links, state transfer, replication, timers) and calls it:
 *
 *   prepare(request)       ahead of the start, with the rates measured then (planning is not free)
 *   start(prepared, done)  the migration begins; `done` is called from the step that ends it
 *   step(untilMs?)         pieces of work in the gaps between records (or a short forced slice)
 *   onReconfigAligned      a subtask saw one of its reconfiguration barriers on every input
 *   gate.reconfigArrived   (optional) a subtask saw one on one input channel
 *   gate.judge             a record of a key group the mechanism watches reached a subtask
 *   gate.slotDrained       the records held in a slot were all processed
 *   progress()             how far it is, in its own units
 *   busy                   false once done
 *
 * A new mechanism is a folder beside spacker/ and restart/ exporting a {@link MechanismSpec}, and one line in
 * registry.ts. Imports control/, routing/ and migration/ types only.
 */
import type { KeyGroupStats, Strategy } from '../control/plan.ts';
import type { Assignment } from '../core/assignment.ts';
import type { Network } from './network.ts';
import type { JobPort, RecordGate, SubtaskPort, TimerSink } from './ports.ts';
import type { Replication } from './replication.ts';
import type { StateTransfer } from './state-transfer.ts';

/** Sees every transition of a unit's state machine (a key group, a bin): for logs and coverage in tests. */
export type TransitionObserver = (unit: number, from: string, event: string, to: string) => void;

/** A subtask of the migrating operator, with its operator's name. */
export type Subtask = SubtaskPort & { readonly name: string };

/** Called once when a migration ends: with an error, or with its report. */
export type PlanCallback = (err: unknown, report: PlanReport | undefined) => void;

/** A promise of the report that `start` hands its callback. */
export function promised(start: (done: PlanCallback) => void): Promise<PlanReport> {
  return new Promise((resolve, reject) => start((err, report) => (err === undefined ? resolve(report as PlanReport) : reject(err))));
}

/** What a finished migration reports (summary.json, events.csv). */
export interface PlanReport {
  /** Chunks (Spacker), steps (Megaphone), rounds (Meces), subscales (DRRS); 1 for one-shot mechanisms. */
  chunks: number;
  keyGroups: number;
  /** Bytes shipped between subtasks (replica restores ship nothing). */
  bytes: number;
  replicaRestores: number;
  startMs: number;
  endMs: number;
  /** The mechanism's own duration measure, ms (Spacker: sum over chunks of sync + update; restart: downtime). */
  completionMs: number;
}

/** A migration asked of the layer. */
export interface MigrationRequest {
  readonly target: Assignment;
  /** Spacker's planning fields (order, chunk size, replication); other mechanisms read what they need. */
  readonly strategy: Strategy;
  /** Measured per-key-group rates and sizes; the layer fills them in when not given. */
  readonly stats?: KeyGroupStats;
  /** The replicated set before this migration (hot replication keeps what it can). */
  readonly previousReplicated?: readonly number[];
}

/** A request a mechanism has worked out ahead of its start (its plan, its schedule). */
export interface PreparedMigration {
  readonly mechanism: string;
  readonly request: MigrationRequest;
  /** Key groups whose owner changes. */
  readonly keyGroups: number;
  /** The replicated set the migration uses, when it chose one (Spacker's plan). */
  readonly replicated?: readonly number[];
}

/** How far a migration is, in the mechanism's own units (chunk, step, round, key group, phase). */
export interface MechanismProgress {
  readonly done: number;
  readonly total: number;
  readonly unit: string;
}

export interface MigrationMechanism {
  readonly name: string;
  readonly busy: boolean;
  prepare(request: MigrationRequest): PreparedMigration;
  start(prepared: PreparedMigration, done: PlanCallback): void;
  step(untilMs?: number): boolean;
  nextDueMs(): number;
  progress(): MechanismProgress | undefined;
  /** Decides for records of the key groups it watches (see SubtaskPort.watch). */
  readonly gate?: RecordGate;
  onReconfigAligned?(task: Subtask, reconfigId: number): void;
}

/** What the layer gives a mechanism. */
export interface MechanismContext {
  readonly job: JobPort;
  readonly operator: string;
  readonly subtasks: readonly Subtask[];
  readonly network: Network;
  readonly transfer: StateTransfer;
  readonly replication: Replication;
  readonly timers: TimerSink;
  readonly observer?: TransitionObserver;
  /** The mechanism's options, every one present (defaults filled in, checked against its spec). */
  readonly options: Readonly<Record<string, number | boolean>>;
  /** Reconfiguration barrier ids are unique across mechanisms of one job. */
  nextReconfigId(): number;
}

/** One option of a mechanism (`MigrationLayerOptions.mechanismOptions[mechanism][name]`). */
export type MechanismOption =
  | { readonly kind: 'int'; readonly default: number; readonly min: number; readonly max: number; readonly doc: string }
  | { readonly kind: 'float'; readonly default: number; readonly min: number; readonly max: number; readonly doc: string }
  | { readonly kind: 'bool'; readonly default: boolean; readonly doc: string };

/** The job facts a mechanism's options are checked against. */
export interface JobShape {
  readonly maxParallelism: number;
  readonly parallelism: number;
}

export interface MechanismSpec {
  readonly name: string;
  /** One line: what it does, after which paper. */
  readonly doc: string;
  /** Mechanisms of one family share their options (a harness may give them one configuration key each). */
  readonly family: string;
  readonly options: Readonly<Record<string, MechanismOption>>;
  /** Replicates every key group at every checkpoint (Rhino). */
  readonly replicatesAll?: boolean;
  /** Checks that need the job's shape; returns the option at fault and what is allowed, or undefined. */
  check?(options: Readonly<Record<string, number | boolean>>, job: JobShape): { option: string; allowed: string } | undefined;
  create(ctx: MechanismContext): MigrationMechanism;
}

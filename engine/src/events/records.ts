/**
 * The events a run records (events.csv rows: `ts_ms,event,detail`), as typed records: one interface per event
 * name. The engine and the harness write them with formatEvent; the analysis reads them back with parseEvent
 * (codec.ts). Numbers are numbers; the detail's `k=v;k=v` text is only the wire form.
 */

/** The job's first record is due (`tasks`: every task of the job). */
export interface JobStartEvent {
  readonly event: 'job_start';
  readonly tasks: number;
}

export interface JobEndEvent {
  readonly event: 'job_end';
  readonly records: number;
}

export interface CheckpointEvent {
  readonly event: 'checkpoint';
  readonly id: number;
  readonly durationMs: number;
}

/** The warm-up before the run (warm-up.ts): done, or skipped with the reason. */
export type WarmUpEvent = { readonly event: 'warm_up'; readonly done: boolean; readonly migrations: number; readonly ms: number } | { readonly event: 'warm_up'; readonly skipped: string };

/** The controller starts a phase of its scenario. */
export interface PhaseStartEvent {
  readonly event: 'phase_start';
  readonly round: number;
  readonly phase: number;
  /** The mechanism (a registry name). */
  readonly mode: string;
  readonly order: string;
  readonly syncKeys: number;
  readonly replicateFilter: number;
}

/** A mechanism starts a migration; the optional fields are the ones only some mechanisms have. */
export interface MigrationStartEvent {
  readonly event: 'migration_start';
  readonly operator: string;
  readonly mechanism: string;
  /** Chunks (Spacker), steps (Megaphone), rounds (Meces), subscales (DRRS). */
  readonly chunks: number;
  readonly keyGroups: number;
  /** Megaphone, Meces. */
  readonly bins?: number;
  /** Meces. */
  readonly fetchBatch?: number;
  /** DRRS. */
  readonly bufferRecords?: number;
  readonly maxConcurrentSubscales?: number;
  /** Spacker. */
  readonly order?: string;
  readonly syncKeys?: number;
  readonly replicateFilter?: number;
}

export interface MigrationEndEvent {
  readonly event: 'migration_end';
  readonly chunks: number;
  readonly keyGroups: number;
  readonly bytes: number;
  /** The mechanism's own duration measure (PlanReport.completionMs). */
  readonly completionMs: number;
  /** Meces: key groups fetched on demand, and borrowed. */
  readonly onDemand?: number;
  readonly borrowed?: number;
}

/** A chunk (Spacker) or subscale (DRRS) starts: `moves` key groups, DRRS also from and to subtask. */
export interface ChunkStartEvent {
  readonly event: 'chunk_start';
  readonly reconfigId: number;
  readonly chunk: number;
  readonly moves: number;
  readonly from?: number;
  readonly to?: number;
}

export interface ChunkEndEvent {
  readonly event: 'chunk_end';
  readonly reconfigId: number;
  readonly chunk: number;
  /** DRRS. */
  readonly from?: number;
  readonly to?: number;
  /** Spacker. */
  readonly bytes?: number;
  readonly replicaRestores?: number;
}

export interface RestartStartEvent {
  readonly event: 'restart_start';
  readonly operator: string;
  readonly keyGroups: number;
}

export interface RestartEndEvent {
  readonly event: 'restart_end';
  readonly downtimeMs: number;
  readonly bytes: number;
}

/** The run registered with ZooKeeper (experiments/src/run/coordination.ts). */
export interface CoordinationEvent {
  readonly event: 'coordination';
  readonly zookeeper: string;
  readonly root: string;
  readonly job: string;
}

/** The detail ends with this note (a part without `=`). */
export const COORDINATION_LOST_NOTE = 'requests refused until reconnected';

export interface CoordinationLostEvent {
  readonly event: 'coordination_lost';
  readonly zookeeper: string;
  readonly reason: string;
}

export interface CoordinationRestoredEvent {
  readonly event: 'coordination_restored';
  readonly zookeeper: string;
  readonly afterMs: number;
}

/** A ZooKeeper request failed: `message` is free text (one line), `request` the request's name when known. */
export interface CoordinationErrorEvent {
  readonly event: 'coordination_error';
  readonly request?: string;
  readonly message: string;
}

export interface ReconfigRejectedEvent {
  readonly event: 'reconfig_rejected';
  readonly request: string;
  readonly reason: string;
}

export interface ReconfigAcceptedEvent {
  readonly event: 'reconfig_accepted';
  readonly request: string;
  readonly mechanism: string;
  readonly order: string;
  readonly syncKeys: number;
}

/** Kafka input (experiments/src/io/kafka/, experiments/src/jobs/micro-benchmark.ts). */
export interface KafkaGeneratedEvent {
  readonly event: 'kafka_generated';
  readonly topic: string;
  readonly records: number;
  readonly partitions: number;
  readonly seconds: number;
}

export interface KafkaFeedOpenEvent {
  readonly event: 'kafka_feed_open';
  readonly topic: string;
  readonly partitions: number;
}

export interface KafkaCountMismatchEvent {
  readonly event: 'kafka_count_mismatch';
  readonly partition: number;
  readonly endMarker: number;
  readonly received: number;
}

export interface KafkaMalformedEvent {
  readonly event: 'kafka_malformed';
  readonly partition: number;
  /** Kafka offsets are decimal strings (64-bit). */
  readonly offset: string;
  readonly reason: string;
}

/** A run on a Flink cluster (experiments/src/flink/): a job was submitted to the Flink cluster. */
export interface FlinkJobEvent {
  readonly event: 'flink_job';
  readonly jobId: string;
  readonly parallelism: number;
  /** Set when the job resumed from a savepoint (flink-restart). */
  readonly savepoint?: string;
}

/** A run on a Flink cluster: the harness asks the cluster to rescale (its own clock). */
export interface FlinkRescaleStartEvent {
  readonly event: 'flink_rescale_start';
  readonly strategy: string;
  readonly from: number;
  readonly to: number;
}

/**
 * A run on a Flink cluster: the job runs at the new parallelism (the REST job view shows it). `wallMs` is the
 * harness's clock from the request; `downtimeMs` the longest gap in completed records (the latency logs).
 */
export interface FlinkRescaleEndEvent {
  readonly event: 'flink_rescale_end';
  readonly strategy: string;
  readonly from: number;
  readonly to: number;
  readonly jobId: string;
  readonly wallMs: number;
  readonly downtimeMs: number;
}

/** Every event the engine and the harness write. */
export type KnownEvent =
  | JobStartEvent
  | JobEndEvent
  | CheckpointEvent
  | WarmUpEvent
  | PhaseStartEvent
  | MigrationStartEvent
  | MigrationEndEvent
  | ChunkStartEvent
  | ChunkEndEvent
  | RestartStartEvent
  | RestartEndEvent
  | CoordinationEvent
  | CoordinationLostEvent
  | CoordinationRestoredEvent
  | CoordinationErrorEvent
  | ReconfigRejectedEvent
  | ReconfigAcceptedEvent
  | KafkaGeneratedEvent
  | KafkaFeedOpenEvent
  | KafkaCountMismatchEvent
  | KafkaMalformedEvent
  | FlinkJobEvent
  | FlinkRescaleStartEvent
  | FlinkRescaleEndEvent;

export type KnownEventName = KnownEvent['event'];

/** An event of a name this version does not know (a newer writer, a test): its `k=v` parts as strings. */
export interface OtherEvent {
  readonly event: string;
  readonly known: false;
  readonly fields: Readonly<Record<string, string>>;
}

/** What parseEvent returns: a known event's record, or an {@link OtherEvent}. */
export type EventRecord = KnownEvent | OtherEvent;

export function isKnown(e: EventRecord): e is KnownEvent {
  return !('known' in e);
}

/** True when `e` is the known event `name` (narrows to its record). */
export function isEvent<N extends KnownEventName>(e: EventRecord, name: N): e is Extract<KnownEvent, { event: N }> {
  return e.event === name && isKnown(e);
}

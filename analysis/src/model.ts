/**
 * The parsed form of a results folder (see docs/architecture.md, "Results folder"): plain data, no I/O.
 * Analysis depends on this format only, never on the engine, so it also reads runs produced elsewhere.
 */
import type { EventRecord } from '../../engine/src/events/index.ts';

export type Scope = 'migrating' | 'other' | 'all';

/** One row of series.csv: the latency distribution of one second, one subtask (or all), one scope. */
export interface SeriesPoint {
  ts_s: number;
  /** Subtask index, or 'all'. */
  subtask: number | 'all';
  scope: Scope;
  count: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

export type TimerName = 'sync' | 'update' | 'endToEnd' | 'replication';

export interface TimerRow {
  reconfigId: number;
  /** Chunk index within its migration; for replication rows the checkpoint id. */
  chunk: number;
  timer: TimerName;
  /** Ms since the run's start (NaN when unknown, as in the reference's timer.output). */
  startMs: number;
  durationMs: number;
}

/** One events.csv row: its time and its record (engine/src/events: the results contract the engine writes). */
export interface EventRow {
  tsMs: number;
  record: EventRecord;
}

/** Per-record latencies of one operator subtask, as columns. */
export interface LatencyLog {
  operator: string;
  subtask: number;
  /** Completion time, ms since the run's start (reference logs: epoch ms, rebased by the reader). */
  tsMs: Float64Array;
  /** Key group, or -1 when the log does not say (reference logs). */
  keyGroup: Int32Array;
  latencyMs: Float64Array;
}

/** What summary.json says about one migration (only the fields analysis uses; all optional but mode). */
export interface MigrationInfo {
  round?: number;
  phase?: number;
  mode: string;
  order?: string;
  syncKeys?: number;
  replicateFilter?: number;
  startMs?: number;
  endMs?: number;
  wallMs?: number;
  completionMs?: number;
  chunks?: number;
  keyGroups?: number;
  bytes?: number;
  spikeMs?: number;
  /** Mean latency of the records completed during the migration (analysis/src/compute/metrics.ts). */
  meanDuringScalingMs?: number;
  /** The records that mean is over. */
  recordsDuringScaling?: number;
  /** Max per-second p99 of the 10 s before the migration: the re-stable threshold's basis. */
  steadyPeakMs?: number;
  /** Re-stable time, ms after the migration's start; null = never re-stable. */
  restableMs?: number | null;
  p99MigratingMs?: number;
  p99OtherMs?: number;
}

export interface SummaryInfo {
  records?: number;
  runtimeS?: number;
  throughputRecPerS?: number;
  latencyMs?: { count: number; p50: number; p95: number; p99: number; p999: number; max: number };
  steadyP99MaxMs?: number;
  steadyP99MeanMs?: number;
  p99MaxMs?: number;
  stateBytes?: number;
  checkpoints?: { count: number; meanDurationMs: number; maxDurationMs: number };
  /** Bytes in the replica stores at the end (a copy per TaskManager's store). */
  replicaBytes?: number;
  /** Most bytes of state and replicas held at once during the run. */
  peakHeldBytes?: number;
  /** The process's memory at the end of the run, bytes. */
  memory?: { rssBytes: number; heapUsedBytes: number; arrayBuffersBytes: number; externalBytes: number };
  migrations: MigrationInfo[];
}

export type ConfigValue = string | number | boolean | number[] | string[];

/** A complete run, with its latency logs left on disk (read on demand: they are large). */
export interface Run {
  /** The results folder of the run. */
  dir: string;
  /** The experiment folder's name (results/<experiment>/) and the run folder's name: for display only. */
  experiment: string;
  name: string;
  config: Record<string, ConfigValue>;
  /** The job's workload name (config.json's workload.name), e.g. micro-benchmark, nexmark, stock. */
  workload?: string;
  /** Keys set explicitly by a layer (profile, experiment, --set). */
  explicit: string[];
  startEpochMs?: number;
  summary?: SummaryInfo;
  series: SeriesPoint[];
  timers: TimerRow[];
  events: EventRow[];
  /** Paths of the latency logs (ours: latency/*.csv; reference: *.output). */
  latencyFiles: string[];
  /** 'ours' = this harness's results folder; 'reference' = a folder of the reference's raw logs. */
  format: 'ours' | 'reference';
}

/** Something wrong with one input: reported, and the figures that do not need it are still produced. */
export interface Problem {
  path: string;
  message: string;
}

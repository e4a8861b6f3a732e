/**
 * Runs one job end to end and writes its results folder: builds the graph (validating it) before anything is
 * written, runs it on the wall clock with the latency log in a worker, then writes config.json, events.csv,
 * timers.csv, series.csv and summary.json and makes the folder complete. On failure or interrupt the folder
 * is marked failed.
 */
import { Job, disableMemoryReducer, lowerHelperThreads } from '../../../engine/src/index.ts';
import { formatEvent, type EventRecord, type JobGraph, type MigrationLayer } from '../../../engine/src/index.ts';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/resolve.ts';
import { inConfigTerms } from '../config/engine-parameters.ts';
import { LatencyLog } from '../results/latency-log.ts';
import { latencyLogsIn } from '../../../analysis/src/read/latency-log.ts';
import { RunFolder } from '../results/run-folder.ts';
import { provenance } from './provenance.ts';
import { summarize, type RunSummary } from './summary.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { openCoordination, type Coordination } from './coordination.ts';
import { migrationSetup, spectorTimerOutput, TimerLog, type MigrationSetup } from './migration-setup.ts';
import { warmUp } from './warm-up.ts';

/** A job ready to run: its graph and what describes it in config.json. */
export interface BuiltJob {
  graph: JobGraph;
  /** The operator whose latency is measured and whose state is reported. */
  operator: string;
  totalRecords: number;
  workload: { name: string; params: Record<string, unknown> };
  /** What the user should know about the input before the run (e.g. malformed lines skipped); the CLI prints it. */
  notes?: readonly string[];
  /** Connects what the job reads from outside (a Kafka feed), before the job's clock starts. */
  prepare?: (emit: (e: EventRecord) => void) => Promise<void>;
  /** Releases what `prepare` opened; called once the run ended, however it ended. */
  close?: () => Promise<void>;
  /** Facts about the external source for summary.json (`source`). */
  report?: () => Record<string, unknown> | undefined;
}

/** What a progress display is told about ten times a second. */
export interface JobProgress {
  elapsedS: number;
  runtimeS: number;
  records: number;
  totalRecords: number;
  stateBytes: number;
  phase: string;
}

export interface RunJobInput {
  resultsParent: string;
  runName: string;
  config: ResolvedConfig;
  job: BuiltJob;
  /** The migration layer's setup; by default derived from `config` (validated before anything is written). */
  migration?: MigrationSetup;
  onProgress?: (p: JobProgress) => void;
  /** Aborting stops the sources; the run is then marked failed ("interrupted"). */
  signal?: AbortSignal;
  /**
   * Builds the same job for another configuration: given, the run is preceded by a tiny version of itself on a
   * manual clock (warm-up.ts), so that its first migration does not pay for compiling the migration path.
   */
  rebuild?: (config: ResolvedConfig) => BuiltJob;
  /** Hears the running job once it is built (its state stays readable after the run, e.g. for tests). */
  onJob?: (job: Job) => void;
}

export interface RunJobResult {
  dir: string;
  summary: RunSummary;
}

/** How often a run looks for new helper threads to lower, ms. */
const HELPER_CHECK_MS = 5000;

export async function runJob(input: RunJobInput): Promise<RunJobResult> {
  const { config, job: built } = input;
  const migration = input.migration ?? migrationSetup(config, built.graph);
  disableMemoryReducer();
  const warm = input.rebuild === undefined ? undefined : warmUp(config, input.rebuild);
  const folder = RunFolder.open(input.resultsParent, input.runName);
  const spectorDir = config.get('spacker.output.spector') ? folder.path('spector') : undefined;
  if (spectorDir !== undefined) mkdirSync(spectorDir, { recursive: true });
  const events: [number, string, string][] = [];
  // Events before the job exists (the warm-up, connecting the input) are rows at time 0.
  const early = (e: EventRecord): void => {
    const { event, detail } = formatEvent(e);
    events.push([0, event, detail]);
  };
  if (warm !== undefined) early({ event: 'warm_up', ...warm });
  let interrupted = false;
  let log: LatencyLog | undefined;
  let job: Job | undefined;
  let coordination: Coordination | undefined;
  try {
    const emit = (e: EventRecord): void => (job !== undefined ? job.emit(e) : early(e));
    await built.prepare?.(emit);
    coordination = await openCoordination(config, emit);
    // The job is built first: opening operators may load state; the run's clock starts after that.
    const running = new Job(built.graph, {
      startDelayMs: 200,
      taskManagers: config.get('spacker.task_managers'),
      channelCapacity: config.get('spacker.channel.capacity'),
      checkpointIntervalMs: config.get('spacker.checkpoint.interval'),
      latencySink: config.get('spacker.output.latency_log') ? { accept: (chunk) => log?.accept(chunk) } : undefined,
      listener: { onEvent: (ts, event, detail) => events.push([round3(ts), event, detail]) },
    });
    job = running;
    input.onJob?.(running);
    const startEpochMs = Date.now() + (running.startMs - running.clock.now());
    if (config.get('spacker.output.latency_log')) log = new LatencyLog({ runDir: folder.dir, startEpochMs, spectorDir });
    folder.writeJson('config.json', {
      run: input.runName,
      workload: built.workload,
      config: config.toJSON(),
      explicit: config.explicit(),
      seed: config.get('spacker.seed'),
      ...provenance(),
      startTime: new Date(startEpochMs).toISOString(),
      startEpochMs,
    });
    const timers = new TimerLog();
    const layer = running.attachMigration({ ...migration, timers });
    running.checkpointListeners.push((id, startMs, durationMs) => timers.timer(0, id, 'replication', startMs, durationMs));
    let phase = 'steady';
    const onAbort = (): void => {
      interrupted = true;
      running.stop();
    };
    input.signal?.addEventListener('abort', onAbort, { once: true });
    const runtimeS = config.get('spacker.runtime');
    const tasks = running.keyedTasks(built.operator);
    // Threads started so far (V8's helpers, the copy and latency-log threads) yield to the main thread; ones
    // started later (libuv's pool grows on demand) are looked for every few seconds of the run.
    lowerHelperThreads();
    let helpersCheckedMs = running.elapsedMs();
    await coordination?.attach({ job: running, layer, runName: input.runName, config, strategy: migration.controller?.strategy });
    const replicaBytes = (): number => layer.replication.stores.reduce((n, st) => n + st.bytes, 0);
    let peakHeldBytes = 0;
    await running.run(() => {
      coordination?.tick();
      const stateBytes = tasks.reduce((n, t) => n + t.state.totalBytes(), 0);
      peakHeldBytes = Math.max(peakHeldBytes, stateBytes + replicaBytes());
      if (running.elapsedMs() - helpersCheckedMs >= HELPER_CHECK_MS) {
        helpersCheckedMs = running.elapsedMs();
        lowerHelperThreads();
      }
      input.onProgress?.({
        elapsedS: Math.max(0, running.elapsedMs() / 1000),
        runtimeS,
        records: running.processedRecords(),
        totalRecords: built.totalRecords,
        stateBytes,
        phase: (phase = describePhase(layer, phase)),
      });
    });
    await coordination?.finish('finished');
    input.signal?.removeEventListener('abort', onAbort);
    // The copy thread may forget the job's slabs (their memory is freed with the job).
    job.bytePool.close();
    const latency = log === undefined ? undefined : await log.finish();
    if (interrupted) throw new Error('interrupted');
    const summary = summarize({ job, operator: migration.operator, runtimeS, totalRecords: built.totalRecords, latency, events, phases: layer.controller?.reports ?? [], replicaBytes: replicaBytes(), peakHeldBytes, latencySamples: () => latencyLogsIn(folder.path('latency')) });
    folder.writeCsv('events.csv', ['ts_ms', 'event', 'detail'], events);
    folder.writeCsv('timers.csv', ['reconfig_id', 'chunk', 'timer', 'start_ms', 'duration_ms'], timers.rows);
    if (spectorDir !== undefined) writeFileSync(join(spectorDir, 'timer.output'), spectorTimerOutput(timers.rows, startEpochMs));
    const source = built.report?.();
    const coordinationReport = coordination?.report();
    folder.writeJson('summary.json', { ...summary, ...(source === undefined ? {} : { source }), ...(coordinationReport === undefined ? {} : { coordination: coordinationReport }) });
    return { dir: folder.complete(), summary };
  } catch (err) {
    if (log !== undefined) await log.finish().catch(() => undefined);
    await coordination?.finish('failed').catch(() => undefined);
    // An engine parameter error names the configuration key the value came from.
    const shown = inConfigTerms(err);
    folder.fail(shown);
    throw shown;
  } finally {
    await built.close?.().catch(() => undefined);
    await coordination?.close().catch(() => undefined);
  }
}

/** One line of state for the progress display: steady, or which chunk of which migration runs. */
function describePhase(layer: MigrationLayer, previous: string): string {
  const st = layer.status();
  const p = st.progress;
  if (st.mechanism === 'restart') return 'restarting';
  if (p !== undefined) return `migrating (${st.mechanism}): ${p.unit} ${p.done + 1} of ${p.total}`;
  return previous.startsWith('migrating') || previous === 'restarting' ? `done ${st.finished} migration(s)` : previous;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The micro-benchmark on a real Apache Flink session cluster (issue 18), written as a results folder the
 * analysis reads like an embedded run's: config.json, events.csv, timers.csv (header only: Flink reports no
 * per-chunk timers), series.csv and summary.json. The cluster is asked first: one that is down is one error
 * before anything is written. The jar is uploaded once per run (its id serves both submissions of
 * flink-restart) and deleted at the end.
 *
 * Rescaling at spector.reconfig.start (the harness's clock, ms after the run's start):
 * - flink-restart: stop with a savepoint, wait for it, resubmit the jar from it with the new parallelism, the
 *   same start-epoch-ms and the rate per task adjusted so that the total rate stays the same;
 * - flink-rescale: PUT resource-requirements (the stateful vertex's upper bound = the new parallelism, the
 *   other vertices as they are); the adaptive scheduler restarts the job from its latest checkpoint.
 * The rescale's window (events.csv) runs from the request to the REST job view showing the new parallelism
 * with every vertex RUNNING; its downtime is the longest gap in completed records (the latency logs).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatEvent, type EventRecord } from '../../../engine/src/index.ts';
import type { PhaseReport } from '../../../engine/src/index.ts';
import { FlinkRest, FlinkRestError, type JobDetails } from '../io/flink/rest-client.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { RunFolder } from '../results/run-folder.ts';
import { provenance } from '../run/provenance.ts';
import { migrationSummaries, type MigrationSummary } from '../run/summary.ts';
import type { FlinkPlan } from './flink-plan.ts';
import { latencyFromLogs, longestGap, type Gap } from './flink-results.ts';
import type { LatencyStats } from '../results/latency-log.ts';

/** Time from submission to the run's start (scheduled time 0): the tasks are deployed by then. */
const START_DELAY_MS = 5000;
const POLL_MS = 250;

export interface FlinkRunInput {
  resultsParent: string;
  runName: string;
  config: ResolvedConfig;
  plan: FlinkPlan;
  workload: { name: string; params: Record<string, unknown> };
  signal?: AbortSignal;
  onProgress?: (p: { elapsedS: number; runtimeS: number; phase: string }) => void;
}

export interface FlinkRunSummary {
  engine: 'flink';
  strategy: string;
  records: number;
  expectedRecords: number;
  runtimeS: number;
  throughputRecPerS: number;
  latencyMs: LatencyStats;
  /** Highest latency of any record (= latencyMs.max). */
  peakLatencyMs: number;
  steadyP99MaxMs?: number;
  steadyP99MeanMs?: number;
  p99MaxMs?: number;
  /** The rescale's longest gap in completed records, ms (absent without a rescale). */
  downtimeMs?: number;
  /** Records the latency logs hold beyond those scheduled: replayed after a restart from a checkpoint. */
  replayedRecords: number;
  /** The job's own check of its output (FlinkJobSpec.check): e.g. per-key counts, or query results. */
  check: Record<string, unknown>;
  flink: {
    restUrl: string;
    flinkVersion: string;
    jobIds: string[];
    parallelismBefore: number;
    /** The stateful vertex's parallelism in the REST job view after the rescale (= before without one). */
    parallelismAfter: number;
    /** Where flink-restart's savepoint was written (removed once the run completes). */
    savepoint?: string;
    gap?: Gap;
  };
  /** A key lost or reset, or the job's end unaccounted for: the run's data cannot be trusted. */
  errors: string[];
  migrations: MigrationSummary[];
}

export interface FlinkRunResult {
  dir: string;
  summary: FlinkRunSummary;
  /** The job check's line for the console. */
  checkLine: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((res) => {
    const done = (): void => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      res();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The stateful vertex of a job view. */
function statefulVertex(j: JobDetails, operator: string): JobDetails['vertices'][number] {
  const v = j.vertices.find((x) => x.name === operator) ?? j.vertices.find((x) => x.name.includes(operator));
  if (v === undefined) throw new FlinkRestError(`Flink job ${j.jid}: no vertex named '${operator}' (vertices: ${j.vertices.map((x) => x.name).join(', ')})`);
  return v;
}

export async function runFlinkJob(input: FlinkRunInput): Promise<FlinkRunResult> {
  const { plan, config } = input;
  const { entryClass, operator } = plan.job;
  const rest = new FlinkRest(plan.restUrl, { timeoutMs: 15_000, pollIntervalMs: POLL_MS });
  // The cluster first: down, or too small, is one error before anything is written.
  const overview = await rest.overview().catch((err: unknown) => {
    throw new FlinkRestError(`spacker.engine=flink: the Flink cluster at ${plan.restUrl} does not answer (${(err as Error).message}); start one with 'npm run services -- flink up' or set spacker.flink.rest`, undefined, [], { cause: err });
  });
  const slotsNeeded = Math.max(plan.parallelism, plan.rescale?.to ?? 0, plan.sourceParallelism);
  if (overview['slots-available'] < slotsNeeded) {
    throw new FlinkRestError(`spacker.engine=flink: the Flink cluster at ${plan.restUrl} has ${overview['slots-available']} free slot(s) of ${overview['slots-total']}; this run needs ${slotsNeeded} (parallelism ${plan.parallelism}${plan.rescale === undefined ? '' : ` -> ${plan.rescale.to}`})`);
  }
  const folder = RunFolder.open(input.resultsParent, input.runName);
  const events: [number, string, string][] = [];
  let startEpochMs = Date.now() + START_DELAY_MS;
  const now = (): number => round3(Date.now() - startEpochMs);
  const emit = (e: EventRecord, ts = now()): void => {
    const { event, detail } = formatEvent(e);
    events.push([Math.max(0, ts), event, detail]);
  };
  let jarId: string | undefined;
  let jobId: string | undefined;
  let rescaling = false;
  const jobIds: string[] = [];
  try {
    jarId = await rest.uploadJar(plan.jar);
    startEpochMs = Date.now() + START_DELAY_MS;
    folder.writeJson('config.json', {
      run: input.runName,
      workload: input.workload,
      config: config.toJSON(),
      explicit: config.explicit(),
      seed: config.get('spacker.seed'),
      ...provenance(),
      engine: 'flink',
      flink: { restUrl: rest.baseUrl, version: overview['flink-version'], jar: plan.jar, jarId, entryClass: entryClass },
      startTime: new Date(startEpochMs).toISOString(),
      startEpochMs,
    });
    jobId = await rest.runJar(jarId, { entryClass: entryClass, parallelism: plan.parallelism, programArgs: plan.args(plan.parallelism, folder.dir, startEpochMs) });
    jobIds.push(jobId);
    emit({ event: 'flink_job', jobId, parallelism: plan.parallelism });
    await rest.waitForJobState(jobId, ['RUNNING'], 60_000);
    emit({ event: 'job_start', tasks: plan.parallelism + plan.sourceParallelism }, 0);
    const progress = (phase: string): void => input.onProgress?.({ elapsedS: Math.max(0, (Date.now() - startEpochMs) / 1000), runtimeS: plan.runtimeS, phase });

    /** Waits until `untilEpochMs` (or the job's end), failing on a job that fails or restarts on its own. */
    const watch = async (untilEpochMs: number, phase: string): Promise<JobDetails> => {
      for (;;) {
        if (input.signal?.aborted) throw new Error('interrupted');
        const j = await rest.job(jobId!);
        progress(phase);
        if (j.state === 'FINISHED') return j;
        if (j.state !== 'RUNNING' && !rescaling) {
          const root = await rest.jobException(jobId!).catch(() => undefined);
          throw new FlinkRestError(`Flink job ${jobId} at ${rest.baseUrl} is ${j.state}${root === undefined ? '' : `: ${root.split('\n')[0]}`}`, undefined, root === undefined ? [] : [root]);
        }
        if (Date.now() >= untilEpochMs) return j;
        await sleep(Math.min(POLL_MS * 2, Math.max(10, untilEpochMs - Date.now())), input.signal);
      }
    };

    let parallelismAfter = plan.parallelism;
    let savepoint: string | undefined;
    let window: { startMs: number; endMs: number } | undefined;
    let stateBytes = 0;
    if (plan.rescale !== undefined) {
      const { to, atMs } = plan.rescale;
      const before = await watch(startEpochMs + atMs, 'steady');
      if (before.state === 'FINISHED') throw new FlinkRestError(`Flink job ${jobId} finished before the rescale at ${atMs} ms`);
      rescaling = true;
      const startMs = now();
      emit({ event: 'flink_rescale_start', strategy: plan.strategy, from: plan.parallelism, to }, startMs);
      emit({ event: 'restart_start', operator: operator, keyGroups: plan.maxParallelism }, startMs);
      progress(`rescaling (${plan.strategy}) ${plan.parallelism} -> ${to}`);
      if (plan.strategy === 'flink-restart') {
        const trigger = await rest.stopWithSavepoint(jobId, join(folder.dir, 'savepoints'));
        savepoint = await rest.pollSavepoint(jobId, trigger, { timeoutMs: 60_000 });
        // Stopped with a savepoint (no drain), the job ends FINISHED.
        await rest.waitForJobState(jobId, ['FINISHED'], 30_000);
        const resumed = await rest.runJar(jarId, { entryClass: entryClass, parallelism: to, savepointPath: savepoint, programArgs: plan.args(to, folder.dir, startEpochMs) });
        jobId = resumed;
        jobIds.push(resumed);
        emit({ event: 'flink_job', jobId: resumed, parallelism: to, savepoint });
      } else {
        const reqs = await rest.resourceRequirements(jobId);
        const vertexId = statefulVertex(before, operator).id;
        stateBytes = (await rest.checkpoints(jobId).catch(() => undefined))?.latestCompleted?.stateSize ?? 0;
        const next = Object.fromEntries(Object.entries(reqs).map(([id, r]) => [id, id === vertexId ? { parallelism: { lowerBound: 1, upperBound: to } } : r]));
        await rest.putResourceRequirements(jobId, next);
      }
      // Done when the job view shows the new parallelism with every vertex RUNNING (bounded).
      const deadline = Date.now() + 90_000;
      for (;;) {
        const j = await rest.job(jobId);
        if (j.state === 'FAILED' || j.state === 'CANCELED') {
          const root = await rest.jobException(jobId).catch(() => undefined);
          throw new FlinkRestError(`Flink job ${jobId} at ${rest.baseUrl} is ${j.state} during the rescale${root === undefined ? '' : `: ${root.split('\n')[0]}`}`, undefined, root === undefined ? [] : [root]);
        }
        const v = statefulVertex(j, operator);
        // FINISHED at the new parallelism: it ran and reached the end of its input between two polls (short runs).
        if ((j.state === 'RUNNING' && j.vertices.every((x) => x.status === 'RUNNING') || j.state === 'FINISHED') && v.parallelism === to) {
          parallelismAfter = v.parallelism;
          break;
        }
        if (j.state === 'FINISHED') throw new FlinkRestError(`Flink job ${jobId} finished during the rescale (parallelism ${v.parallelism}, not ${to})`);
        if (Date.now() > deadline) throw new FlinkRestError(`Flink job ${jobId}: still ${j.state} with '${operator}' at parallelism ${v.parallelism} 90 s after the rescale to ${to} was asked`);
        await sleep(100, input.signal);
      }
      window = { startMs, endMs: now() };
      rescaling = false;
    }
    // The sources end by themselves after spacker.runtime; the job then finishes.
    const end = await watch(startEpochMs + plan.runtimeS * 1000 + 60_000, plan.rescale === undefined ? 'steady' : 'rescaled');
    if (end.state !== 'FINISHED') throw new FlinkRestError(`Flink job ${jobId} still ${end.state} 60 s after the end of its input (spacker.runtime ${plan.runtimeS} s)`);
    const endMs = now();
    jobId = undefined;

    const { summary: latency, logs } = latencyFromLogs(folder.dir, window);
    const gap = window === undefined ? undefined : longestGap(logs, window);
    const check = plan.job.check(folder.dir, config);
    const expectedRecords = check.expectedRecords;
    const errors = [...check.errors];
    if (latency.records < expectedRecords) errors.push(`the latency logs hold ${latency.records} records, fewer than the ${expectedRecords} scheduled`);
    const phases: PhaseReport[] = window === undefined ? [] : [{
      round: 0, phase: 0, mechanism: plan.strategy,
      strategy: { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: config.get('spacker.seed') },
      chunks: 1, keyGroups: plan.maxParallelism, bytes: stateBytes, replicaRestores: 0,
      startMs: window.startMs, endMs: window.endMs, completionMs: gap?.ms ?? 0,
    }];
    if (window !== undefined) {
      const downtimeMs = gap?.ms ?? 0;
      emit({ event: 'restart_end', downtimeMs, bytes: stateBytes }, window.endMs);
      emit({ event: 'flink_rescale_end', strategy: plan.strategy, from: plan.parallelism, to: parallelismAfter, jobId: jobIds[jobIds.length - 1], wallMs: window.endMs - window.startMs, downtimeMs }, window.endMs);
    }
    emit({ event: 'job_end', records: latency.records }, endMs);
    events.sort((a, b) => a[0] - b[0]);
    const runtimeS = plan.runtimeS;
    const inWindow = (s: number): boolean => window !== undefined && s >= Math.floor(window.startMs / 1000) && s <= Math.floor(window.endMs / 1000) + 1;
    const steady = latency.seriesAll.filter((p) => p.ts_s >= 1 && p.ts_s < runtimeS - 1 && !inWindow(p.ts_s)).map((p) => p.p99);
    const summary: FlinkRunSummary = {
      engine: 'flink',
      strategy: plan.strategy,
      records: latency.records,
      expectedRecords,
      runtimeS,
      throughputRecPerS: latency.records / runtimeS,
      latencyMs: latency.overall,
      peakLatencyMs: latency.overall.max,
      ...(steady.length ? { steadyP99MaxMs: Math.max(...steady), steadyP99MeanMs: steady.reduce((a, b) => a + b, 0) / steady.length } : {}),
      ...(latency.seriesAll.length ? { p99MaxMs: Math.max(...latency.seriesAll.map((p) => p.p99)) } : {}),
      ...(gap === undefined ? {} : { downtimeMs: gap.ms }),
      replayedRecords: Math.max(0, latency.records - expectedRecords),
      check: check.report,
      flink: { restUrl: rest.baseUrl, flinkVersion: overview['flink-version'], jobIds, parallelismBefore: plan.parallelism, parallelismAfter, ...(savepoint === undefined ? {} : { savepoint }), ...(gap === undefined ? {} : { gap }) },
      errors,
      migrations: migrationSummaries(phases, latency, runtimeS, () => logs),
    };
    folder.writeCsv('events.csv', ['ts_ms', 'event', 'detail'], events);
    folder.writeCsv('timers.csv', ['reconfig_id', 'chunk', 'timer', 'start_ms', 'duration_ms'], []);
    folder.writeJson('summary.json', summary);
    // The savepoint only served the resubmission; the run's figures do not need it.
    rmSync(folder.path('savepoints'), { recursive: true, force: true });
    return { dir: folder.complete(), summary, checkLine: check.line };
  } catch (err) {
    if (jobId !== undefined) await rest.cancel(jobId).catch(() => undefined);
    folder.fail(err);
    throw err;
  } finally {
    if (jarId !== undefined) await rest.deleteJar(jarId).catch(() => undefined);
  }
}

/**
 * Runs a Spacker-on-Flink plan (issue 18): checks Java and the cluster's ports before anything is written, then
 * runs the steps of steps.ts into a RunFolder (a temporary folder renamed when complete; a failed run becomes
 * `<run>.failed` with the reason, earlier runs untouched). bin/stop-cluster.sh always runs once the start
 * was tried. The folder ends as the reference's raw results (`timer.output`, `<operator>-<i>.output`, log/),
 * which the analysis reads as a reference run, plus conf/ (what Flink read) and spacker-on-flink.json.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunFolder } from '../../results/run-folder.ts';
import { provenance } from '../../run/provenance.ts';
import { checkJava, checkPorts, commandFailure, jobFailureLines, jobManagerLogTail, runCommand, SpackerOnFlinkError, tailLines, waitReady } from './commands.ts';
import type { SofPlan } from './plan.ts';
import { commandLine, DEFAULT_TIMEOUTS, planSofSteps, RENDERED_FILES, type SofStep, type SofStepName, type SofTimeouts } from './steps.ts';

/** The file recording the run (not config.json: the analysis reads this folder as a reference run). */
export const RUN_RECORD = 'spacker-on-flink.json';

export interface SofProgress {
  step: SofStepName;
  elapsedS: number;
  runtimeS: number;
}

export interface SofRunInput {
  resultsParent: string;
  runName: string;
  plan: SofPlan;
  workload: { name: string; params: Record<string, unknown> };
  /** Added to the harness's environment for every command (e.g. JAVA_HOME). */
  env?: Readonly<Record<string, string>>;
  timeouts?: Partial<SofTimeouts>;
  signal?: AbortSignal;
  onProgress?: (p: SofProgress) => void;
  /** A remark that is not an error (a Java other than 8, a job still attached at the deadline). */
  onNote?: (note: string) => void;
}

export interface SofRunResult {
  dir: string;
  /** The collected latency logs and timer.output, file names. */
  outputs: string[];
  /** `flink run` was still attached at runtime + grace and was stopped (as the reference's stopFlink does). */
  clientStopped: boolean;
}

/** Moves the `.output` files the job wrote into spector.exp.dir up into the run folder. */
function collect(from: string, to: string): string[] {
  const files = existsSync(from) ? readdirSync(from).filter((f) => f.endsWith('.output')).sort() : [];
  if (!files.some((f) => f !== 'timer.output')) {
    throw new SpackerOnFlinkError('collect', `the job wrote no <operator>-<i>.output latency log into spector.exp.dir (${from}): is spacker.flink.home a Spacker-on-Flink build (vanilla Flink writes none)? see log/ in the run folder`);
  }
  for (const f of files) renameSync(join(from, f), join(to, f));
  if (readdirSync(from).length === 0) rmSync(from, { recursive: true });
  return files;
}

/** Copies the build's conf/ (log4j, masters, ...) and writes the rendered files over it. */
function writeConf(step: Extract<SofStep, { step: 'write-conf' }>): void {
  mkdirSync(step.dir, { recursive: true });
  for (const f of readdirSync(step.copyFrom)) {
    const src = join(step.copyFrom, f);
    if (!(RENDERED_FILES as readonly string[]).includes(f) && statSync(src).isFile()) copyFileSync(src, join(step.dir, f));
  }
  for (const { name, text } of step.files) writeFileSync(join(step.dir, name), text);
}

/**
 * Runs the plan into `<resultsParent>/<runName>`.
 * @throws SpackerOnFlinkError naming the failed step (check-java and check-ports before anything is written);
 *   IoError when a complete run of that name exists.
 */
export async function runSpackerOnFlink(input: SofRunInput): Promise<SofRunResult> {
  const { plan } = input;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...input.timeouts };
  const extraEnv = input.env ?? {};
  // Before anything is written: Java, and the ports the cluster binds.
  const preview = planSofSteps(plan, resolve(input.resultsParent, input.runName), timeouts);
  const java = await checkJava(extraEnv);
  if (java.major !== 8) input.onNote?.(`Java ${java.version} (${java.java}): Flink 1.8 is built for Java 8; set JAVA_HOME to a Java 8 if the cluster does not start`);
  await checkPorts(preview.ports, join(plan.home, 'bin', 'stop-cluster.sh'));

  const folder = RunFolder.open(input.resultsParent, input.runName);
  const { env: flinkEnv, steps } = planSofSteps(plan, folder.dir, timeouts);
  const env = { ...extraEnv, ...flinkEnv };
  const started = Date.now();
  const progress = (step: SofStepName): void => input.onProgress?.({ step, elapsedS: (Date.now() - started) / 1000, runtimeS: plan.runtimeS });
  const record = {
    run: input.runName,
    engine: 'spacker-on-flink',
    workload: input.workload,
    config: plan.config.toJSON(),
    explicit: plan.config.explicit(),
    ...provenance(),
    profile: { name: plan.profile.name, source: plan.profile.source },
    home: plan.home,
    testbedJar: plan.jar,
    entryClass: plan.job.entryClass,
    java: { command: java.java, version: java.version },
    env: flinkEnv,
    steps: steps.map((s) => ('command' in s ? { step: s.step, command: commandLine(s.command, s.args) } : { step: s.step })),
    startTime: new Date(started).toISOString(),
    startEpochMs: started,
  };
  let clientStopped = false;
  let tried = false;
  let failure: unknown;
  const exec = async (step: Exclude<SofStep, { step: 'collect' }>): Promise<void> => {
    progress(step.step);
    switch (step.step) {
      case 'write-conf':
        writeConf(step);
        for (const d of [env.FLINK_LOG_DIR, env.FLINK_PID_DIR, join(folder.dir, 'spector')]) mkdirSync(d, { recursive: true });
        return;
      case 'start-cluster':
      case 'stop-cluster': {
        tried = true;
        const r = await runCommand(step.command, step.args, { env, cwd: plan.home, timeoutMs: step.timeoutMs, signal: step.step === 'start-cluster' ? input.signal : undefined });
        if (r.exitCode !== 0) {
          const tail = tailLines(r.output);
          throw commandFailure(step.step, step.command, step.args, r, step.timeoutMs, tail.length ? tail : jobManagerLogTail(env.FLINK_LOG_DIR));
        }
        return;
      }
      case 'wait-ready': {
        const ready = await waitReady(step.url, step.taskManagers, { timeoutMs: step.timeoutMs, logDir: env.FLINK_LOG_DIR, signal: input.signal, onTick: () => progress(step.step) });
        if (ready.slotsTotal < step.slotsNeeded) {
          throw new SpackerOnFlinkError('wait-ready', `the cluster at ${step.url} has ${ready.slotsTotal} slot(s) on ${ready.taskManagers} TaskManager(s); the job needs ${step.slotsNeeded} (spacker.parallelism): raise taskmanager.numberOfTaskSlots or spacker.task_managers`);
        }
        return;
      }
      case 'run-job': {
        const r = await runCommand(step.command, step.args, { env, cwd: plan.home, timeoutMs: step.waitMs, signal: input.signal, onTick: () => progress(step.step) });
        if (input.signal?.aborted) throw new SpackerOnFlinkError('run-job', 'interrupted');
        if (r.timedOut) {
          // The measurement is over: the reference stops the client and the cluster at runtime + 10 s.
          clientStopped = true;
          input.onNote?.(`flink run was still attached ${Math.round(step.waitMs / 1000)} s after it started: stopped with the cluster, as the reference's stopFlink does`);
          return;
        }
        if (r.exitCode !== 0) throw commandFailure(step.step, step.command, step.args, r, step.waitMs, jobFailureLines(r.output));
        return;
      }
    }
  };
  try {
    for (const step of steps) {
      if (step.step === 'stop-cluster' || step.step === 'collect') continue;
      if (input.signal?.aborted) throw new SpackerOnFlinkError(step.step, 'interrupted');
      await exec(step);
    }
  } catch (err) {
    failure = err;
  } finally {
    // The stop always runs once the start was tried, even after a failed start or job.
    const stop = steps.find((s) => s.step === 'stop-cluster');
    if (tried && stop !== undefined) {
      await exec(stop).catch((err: unknown) => {
        if (failure === undefined) failure = err;
        else input.onNote?.(`also: ${(err as Error).message}`);
      });
    }
    rmSync(env.FLINK_PID_DIR, { recursive: true, force: true });
  }
  try {
    if (failure !== undefined) throw failure;
    const c = steps.find((s) => s.step === 'collect');
    progress('collect');
    const outputs = c === undefined ? [] : collect(c.from, c.to);
    folder.writeJson(RUN_RECORD, { ...record, outputs, clientStopped, endTime: new Date().toISOString() });
    return { dir: folder.complete(), outputs, clientStopped };
  } catch (err) {
    try {
      folder.writeJson(RUN_RECORD, { ...record, failed: (err as Error).message });
    } catch {
      // the folder may be unwritable; the reason is still reported
    }
    folder.fail(err);
    throw err;
  }
}

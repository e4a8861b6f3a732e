/**
 * The I/O of a Spacker-on-Flink run's steps: one bounded command (execa, in its own process group so that a
 * timeout or Ctrl-C stops everything it started), the Java and free-port checks before the cluster starts,
 * and the wait for the cluster's REST overview. Each failure is a SpackerOnFlinkError naming the step.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { EngineError } from '../../../../engine/src/index.ts';
import { assertPortFree } from '../../../../scripts/services/flink.ts';
import { commandLine, type SofStepName } from './steps.ts';

/** A step that failed: which, the command, its exit code and the tail of what it printed (or of its log). */
export class SpackerOnFlinkError extends EngineError {
  constructor(
    readonly step: SofStepName | 'check-java' | 'check-ports',
    message: string,
    readonly exitCode?: number,
    readonly tail: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super('SPACKER_ON_FLINK', `spacker-on-flink: step ${step}: ${message}${tail.length ? `\n${tail.map((l) => `  | ${l}`).join('\n')}` : ''}`, options);
  }
}

export interface CommandResult {
  exitCode?: number;
  /** stdout and stderr, interleaved. */
  output: string;
  /** Stopped because `timeoutMs` passed. */
  timedOut: boolean;
  /** Could not be started at all (e.g. ENOENT), with the reason. */
  spawnError?: string;
}

const KILL_GRACE_MS = 3000;

/** Stops the process group led by `pid` (SIGTERM, then SIGKILL after a grace). */
function stopGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  setTimeout(() => signal('SIGKILL'), KILL_GRACE_MS).unref();
}

/** Runs one command in its own process group, bounded by `timeoutMs` and `signal`; never throws for its exit. */
export async function runCommand(command: string, args: readonly string[], o: { env: Readonly<Record<string, string>>; cwd: string; timeoutMs: number; signal?: AbortSignal; onTick?: () => void }): Promise<CommandResult> {
  const child = execa(command, args, { env: o.env, extendEnv: true, cwd: o.cwd, detached: true, reject: false, all: true, stdin: 'ignore' });
  let timedOut = false;
  const onAbort = (): void => stopGroup(child.pid);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup(child.pid);
  }, o.timeoutMs);
  const ticker = o.onTick === undefined ? undefined : setInterval(o.onTick, 1000);
  try {
    const r = await child;
    const output = typeof r.all === 'string' ? r.all : '';
    const spawnError = r.exitCode === undefined && !timedOut && r.signal === undefined ? (r.cause instanceof Error ? r.cause.message : r.shortMessage) : undefined;
    return { exitCode: r.exitCode, output, timedOut, ...(spawnError === undefined ? {} : { spawnError }) };
  } finally {
    clearTimeout(timer);
    if (ticker !== undefined) clearInterval(ticker);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** The last `n` non-empty lines of `text`. */
export function tailLines(text: string, n = 15): string[] {
  return text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '').slice(-n);
}

/**
 * What `flink run` printed about a failed job: Flink's "The program finished with the following exception:"
 * line's exception and the root cause (the last "Caused by:"), else the tail.
 */
export function jobFailureLines(output: string): string[] {
  const lines = tailLines(output, 10_000);
  const at = lines.findIndex((l) => l.includes('The program finished with the following exception'));
  if (at < 0) return lines.slice(-15);
  const causes = lines.filter((l) => l.trimStart().startsWith('Caused by:'));
  const shown = [lines[at], lines[at + 1], ...(causes.length ? [causes[causes.length - 1].trim()] : [])].filter((l): l is string => l !== undefined);
  return [...new Set(shown)];
}

/** The tail of the newest JobManager log in `logDir` (Flink 1.8: flink-<user>-standalonesession-<n>-<host>.log). */
export function jobManagerLogTail(logDir: string, n = 10): string[] {
  if (!existsSync(logDir)) return [];
  const logs = readdirSync(logDir)
    .filter((f) => /(standalonesession|jobmanager).*\.(log|out)$/.test(f))
    .map((f) => join(logDir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (logs.length === 0) return [];
  return [`(${logs[0]})`, ...tailLines(readFileSync(logs[0], 'utf8'), n)];
}

/**
 * Java as Flink 1.8's config.sh finds it ($JAVA_HOME/bin/java when JAVA_HOME is a folder, else `java` on
 * PATH): its major version, or a SpackerOnFlinkError when there is none.
 */
export async function checkJava(env: Readonly<Record<string, string>>): Promise<{ java: string; major: number; version: string }> {
  const javaHome = env.JAVA_HOME ?? process.env.JAVA_HOME ?? '';
  const java = javaHome !== '' && existsSync(javaHome) && statSync(javaHome).isDirectory() ? join(javaHome, 'bin', 'java') : 'java';
  const r = await runCommand(java, ['-version'], { env, cwd: process.cwd(), timeoutMs: 30_000 });
  const m = /version "([^"]+)"/.exec(r.output);
  if (r.exitCode !== 0 || m === null) {
    const why = r.spawnError ?? `exit code ${r.exitCode ?? 'none'}`;
    throw new SpackerOnFlinkError('check-java', `no Java: '${java} -version' failed (${why}); Flink 1.8's scripts need Java 8: set JAVA_HOME or put java on PATH`, r.exitCode, tailLines(r.output, 5));
  }
  const [first, second] = m[1].split(/[._-]/).map(Number);
  return { java, major: first === 1 ? second : first, version: m[1] };
}

/** Refuses to start when a port the cluster will bind is taken (e.g. by an earlier run's cluster still up). */
export async function checkPorts(ports: readonly { key: string; host: string; port: number }[], stopScript: string): Promise<void> {
  for (const { key, port } of ports) {
    // Flink binds the wildcard address: a port taken on any IPv4 address, loopback included, fails it.
    await assertPortFree(port, key).catch((err: unknown) => {
      throw new SpackerOnFlinkError('check-ports', `port ${port} (${key}) is in use: is a cluster still up (stop it with ${stopScript})? or choose another with --set ${key}=<port>`, undefined, [], { cause: err });
    });
  }
}

/** Polls the REST overview until it lists `taskManagers` TaskManagers, bounded by `timeoutMs`. */
export async function waitReady(url: string, taskManagers: number, o: { timeoutMs: number; logDir: string; signal?: AbortSignal; onTick?: () => void }): Promise<{ taskManagers: number; slotsTotal: number; version?: string }> {
  const deadline = Date.now() + o.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (o.signal?.aborted) throw new SpackerOnFlinkError('wait-ready', 'interrupted');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { taskmanagers?: unknown; 'slots-total'?: unknown; 'flink-version'?: unknown };
      const tms = typeof body.taskmanagers === 'number' ? body.taskmanagers : 0;
      if (res.ok && tms >= taskManagers) return { taskManagers: tms, slotsTotal: Number(body['slots-total'] ?? 0), ...(typeof body['flink-version'] === 'string' ? { version: body['flink-version'] } : {}) };
      last = res.ok ? `${tms} of ${taskManagers} TaskManagers registered` : `HTTP ${res.status}`;
    } catch (err) {
      const e = err as { cause?: { code?: string }; message: string };
      last = e.cause?.code ?? e.message;
    }
    o.onTick?.();
    if (Date.now() >= deadline) {
      throw new SpackerOnFlinkError('wait-ready', `the cluster started from spacker.flink.home does not answer at ${url} within ${Math.round(o.timeoutMs / 1000)} s (${last})`, undefined, jobManagerLogTail(o.logDir));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The message of a command that exited non-zero, timed out or could not start. */
export function commandFailure(step: SofStepName, command: string, args: readonly string[], r: CommandResult, timeoutMs: number, tail: string[]): SpackerOnFlinkError {
  const line = commandLine(command, args);
  if (r.spawnError !== undefined) return new SpackerOnFlinkError(step, `${line} could not start: ${r.spawnError}`, undefined, tail);
  if (r.timedOut) return new SpackerOnFlinkError(step, `${line} did not end within ${Math.round(timeoutMs / 1000)} s (stopped)`, r.exitCode, tail);
  return new SpackerOnFlinkError(step, `${line} exited with code ${r.exitCode ?? 'none'}`, r.exitCode, tail);
}

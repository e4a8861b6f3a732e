/**
 * Starts and stops a real Apache Flink standalone session cluster on loopback: one JobManager and N
 * TaskManagers, each its own detached JVM (issue 18: the experiments on a real Flink cluster). Flink's binary
 * distribution (flink-dist) is not served, so the jars come as individual artifacts from Maven Central
 * through `mvn dependency:copy-dependencies` on `flink/pom.xml` into the git-ignored
 * `.cache/services/flink-<version>/lib`. The JVMs are started the way Flink's own bin scripts start them:
 * their memory flags (-Xmx/-Xms/-XX:MaxDirectMemorySize/-XX:MaxMetaspaceSize) and dynamic -D configs come
 * from Flink's `BashJavaUtils` (GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS), not from arithmetic here.
 * Readiness is GET /overview reporting every TaskManager and slot (bounded); stopping is by recorded pid only
 * (checked against /proc/<pid>/cmdline first), never by name.
 *
 * The cluster config is written as `conf/config.yaml`: Flink 1.19+ reads that file (standard YAML) first and
 * only falls back to the legacy `flink-conf.yaml` (deprecated in 1.19/1.20, no longer read by 2.x), so one
 * file serves 1.20 now and 2.x later.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { alive, freePort, REPO_ROOT, SERVICES_DIR, sleep, terminate } from './servers.ts';

/** The Flink release the cluster runs unless told otherwise (the newest 1.20.x that resolves here). */
export const DEFAULT_FLINK_VERSION = '1.20.5';
export const JOBMANAGER_MAIN = 'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint';
export const TASKMANAGER_MAIN = 'org.apache.flink.runtime.taskexecutor.TaskManagerRunner';
export const BASH_JAVA_UTILS = 'org.apache.flink.runtime.util.bash.BashJavaUtils';
const RESULT_PREFIX = 'BASH_JAVA_UTILS_EXEC_RESULT:';

/**
 * The JVM options Flink's distribution sets for every Flink JVM (`env.java.default-opts.all` in its
 * config.yaml): on Java 17 the RPC system, Kryo and the network stack need these packages opened.
 */
export const JAVA17_OPTS = [
  '--add-exports=java.base/sun.net.util=ALL-UNNAMED',
  '--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED',
  '--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED',
  '--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang.reflect=ALL-UNNAMED',
  '--add-opens=java.base/java.text=ALL-UNNAMED',
  '--add-opens=java.base/java.time=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED',
];

/** `.cache/services/flink-<version>/lib`: where `fetchFlinkJars` puts a release's jars. */
export function flinkLibDir(version = DEFAULT_FLINK_VERSION): string {
  return join(SERVICES_DIR, `flink-${version}`, 'lib');
}

/** The jars without which no cluster starts; their absence means the cache is missing or incomplete. */
function requiredJars(version: string): string[] {
  return ['flink-core', 'flink-runtime', 'flink-rpc-akka-loader', 'flink-runtime-web', 'flink-clients', 'flink-streaming-java'].map((a) => `${a}-${version}.jar`);
}

/** True when the release's jars are in its cache folder. */
export function flinkJarsPresent(version = DEFAULT_FLINK_VERSION, libDir = flinkLibDir(version)): boolean {
  if (!existsSync(libDir)) return false;
  const files = new Set(readdirSync(libDir));
  return requiredJars(version).every((j) => files.has(j)) && [...files].some((f) => /^log4j-core-.*\.jar$/.test(f));
}

/** The number and total size of the jars in a lib folder. */
export function libStats(libDir: string): { jars: number; bytes: number } {
  const jars = readdirSync(libDir).filter((f) => f.endsWith('.jar'));
  return { jars: jars.length, bytes: jars.reduce((s, f) => s + statSync(join(libDir, f)).size, 0) };
}

/**
 * The artifacts Maven named as unresolvable in its output (`group:artifact:jar:version`), for an error that
 * says which jar of which release is missing rather than Maven's whole log.
 */
export function unresolvedArtifacts(mavenOutput: string): string[] {
  const found = new Set<string>();
  for (const m of mavenOutput.matchAll(/Could not find artifact ([\w.-]+:[\w.-]+:[\w.-]+:(?:[\w.-]+:)?[\w.-]+)/g)) found.add(m[1]);
  for (const m of mavenOutput.matchAll(/following artifacts could not be resolved: ([^\n]*?)(?::\s|$)/gm)) {
    for (const a of m[1].split(/,\s*/)) found.add(a.replace(/\s*\(.*\)$/, '').trim());
  }
  return [...found].filter((a) => a.length > 0);
}

export interface FetchResult {
  readonly version: string;
  readonly libDir: string;
  readonly jars: number;
  readonly bytes: number;
  /** Wall time of the Maven run; 0 when the jars were already cached. */
  readonly ms: number;
  readonly fetched: boolean;
}

/**
 * Fetches a Flink release's cluster jars with Maven into `flinkLibDir(version)` (a no-op when present),
 * bounded by `timeoutMs`. Errors name what is missing: no java, no mvn, or the artifact and version Maven
 * could not resolve.
 */
export async function fetchFlinkJars(version = DEFAULT_FLINK_VERSION, opts: { log?: (line: string) => void; timeoutMs?: number } = {}): Promise<FetchResult> {
  const libDir = flinkLibDir(version);
  if (!/^[\w.-]+$/.test(version)) throw new Error(`not a Flink version: '${version}'`);
  if (flinkJarsPresent(version, libDir)) return { version, libDir, ...libStats(libDir), ms: 0, fetched: false };
  await requireTool('java', ['-version'], 'a JDK (Java 11 or 17; Debian: apt-get install default-jdk-headless) to run Flink');
  await requireTool('mvn', ['-v'], 'Maven (Debian: apt-get install maven) to fetch the Flink jars');
  const timeoutMs = opts.timeoutMs ?? 600_000;
  opts.log?.(`fetching Flink ${version} jars with Maven into ${libDir} ...`);
  const t0 = Date.now();
  try {
    await execa('mvn', ['-B', '-f', join(REPO_ROOT, 'scripts/services/flink/pom.xml'), 'dependency:copy-dependencies', `-Dflink.version=${version}`, `-DoutputDirectory=${libDir}`, '-DincludeScope=runtime'], { timeout: timeoutMs, all: true });
  } catch (err) {
    const e = err as { all?: string; timedOut?: boolean; shortMessage?: string };
    const out = e.all ?? '';
    const missing = unresolvedArtifacts(out);
    if (missing.length > 0) throw new Error(`Maven could not resolve Flink ${version}: ${missing.join(', ')} (is ${version} a released Flink version? the artifacts are listed in scripts/services/flink/pom.xml)`);
    throw new Error(`Maven could not fetch the Flink ${version} jars${e.timedOut === true ? ` within ${timeoutMs / 1000} s` : ''}: ${e.shortMessage ?? ''}\n${out.split('\n').filter((l) => l.includes('ERROR')).slice(-15).join('\n') || out.slice(-2000)}`);
  }
  const ms = Date.now() - t0;
  if (!flinkJarsPresent(version, libDir)) throw new Error(`Maven finished but ${libDir} lacks one of ${requiredJars(version).join(', ')} or log4j-core`);
  return { version, libDir, ...libStats(libDir), ms, fetched: true };
}

async function requireTool(cmd: string, args: string[], what: string): Promise<void> {
  try {
    await execa(cmd, args, { timeout: 30_000, all: true });
  } catch (err) {
    const e = err as { code?: string; shortMessage?: string };
    if (e.code === 'ENOENT') throw new Error(`'${cmd}' is not installed: install ${what}`);
    throw new Error(`'${cmd} ${args.join(' ')}' failed: ${e.shortMessage ?? String(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Configuration

export interface FlinkClusterConfig {
  /** The cluster's folder: conf/, log/, checkpoints/, savepoints/, tmp/ live under it. */
  readonly dir: string;
  readonly restPort: number;
  readonly rpcPort: number;
  readonly slotsPerTaskManager: number;
  /** `jobmanager.memory.process.size` (Flink memory syntax, e.g. 1024m). */
  readonly jobManagerProcessSize?: string;
  /** `taskmanager.memory.process.size`. */
  readonly taskManagerProcessSize?: string;
  /** Further keys, written after (and so overriding) the defaults. */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

/** The cluster config as key → value, in the order written. */
export function flinkConfigEntries(c: FlinkClusterConfig): [string, string | number | boolean][] {
  const entries: Record<string, string | number | boolean> = {
    // Loopback only: addresses advertised and the sockets bound (RPC, REST, data exchange).
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.rpc.port': c.rpcPort,
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.port': c.restPort,
    'taskmanager.numberOfTaskSlots': c.slotsPerTaskManager,
    'parallelism.default': 1,
    // Rescaling a running job to the slots there are (the reactive/elastic experiments need it).
    'jobmanager.scheduler': 'adaptive',
    // Flink 1.20 counts the job's start (and every restart) as a rescale and lets no other rescale happen
    // within scaling-interval.min (default 30 s) of it: a PUT resource-requirements 10 s after the job started
    // would wait until 30 s before anything moved, and the flink-rescale strategy would time that wait, not the
    // rescale. With 1 s the flink-rescale family's rescale 4.5 s into a 9 s run completes within 3 s. Left at their defaults: scaling-interval.max (unset: no forced rescale),
    // min-parallelism-increase (1) and resource-stabilization-timeout (10 s: a restart waits that long for the
    // desired slots before it runs with fewer; the rescaled job's own slots are back well within it).
    'jobmanager.adaptive-scheduler.scaling-interval.min': '1 s',
    'jobmanager.memory.process.size': c.jobManagerProcessSize ?? '1024m',
    'taskmanager.memory.process.size': c.taskManagerProcessSize ?? '1280m',
    // 1.20's own keys for state.checkpoints.dir / state.savepoints.dir (which it reads as deprecated fallbacks).
    'execution.checkpointing.dir': `file://${join(c.dir, 'checkpoints')}`,
    'execution.checkpointing.savepoint-dir': `file://${join(c.dir, 'savepoints')}`,
    'io.tmp.dirs': join(c.dir, 'tmp'),
    'web.tmpdir': join(c.dir, 'tmp', 'web'),
    'blob.storage.directory': join(c.dir, 'tmp', 'blob'),
    'env.log.dir': join(c.dir, 'log'),
    // The TaskManagers start alongside the JobManager; one that asks before the ResourceManager listens
    // waits this long before asking again (Flink's default, 10 s, made a cold start take 12-22 s here).
    'cluster.registration.error-delay': '1 s',
    // What flink-dist's config.yaml sets; read by its bin scripts, applied here by flink.ts itself.
    'env.java.default-opts.all': JAVA17_OPTS.join(' '),
    ...c.extra,
  };
  return Object.entries(entries);
}

/** `conf/config.yaml`: flat dotted keys (Flink's standard YAML accepts them), strings double-quoted. */
export function renderFlinkConfig(c: FlinkClusterConfig): string {
  const lines = ['# Written by scripts/services/flink.ts; rewritten on every start.'];
  for (const [k, v] of flinkConfigEntries(c)) lines.push(`${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * log4j 2 properties for every Flink JVM: one file per process (`-Dlog.file`), INFO, as flink-dist ships it.
 * Appending, as flink-dist's does: log4j is initialised a second time inside the JVM (the RPC system's own
 * class loader) and a non-appending file would be truncated then, losing the start-up log. The previous
 * run's files are rotated to `.1` before a start instead (as flink-daemon.sh rotates them).
 */
export const FLINK_LOG4J = `monitorInterval=0
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.akka.name = akka
logger.akka.level = INFO
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = WARN
logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.shaded_zookeeper.level = WARN
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = \${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5level %-60c %x - %m%n
`;

export interface ResourceParams {
  /** JVM flags, e.g. -Xmx… -Xms… -XX:MaxDirectMemorySize=… -XX:MaxMetaspaceSize=…. */
  readonly jvmArgs: string[];
  /** Program arguments `-D key=value` pairs, as Flink's scripts pass them to the entry point. */
  readonly dynamicArgs: string[];
  /** The same dynamic configs as key → value. */
  readonly dynamicConfigs: Record<string, string>;
}

/**
 * Parses `BashJavaUtils GET_{JM,TM}_RESOURCE_PARAMS` output the way Flink's config.sh does
 * (extractExecutionResults): the lines after the `BASH_JAVA_UTILS_EXEC_RESULT:` prefix, exactly two — JVM
 * params, then dynamic configs — other lines (logging) ignored.
 */
export function parseBashJavaUtilsOutput(output: string): ResourceParams {
  const results = output
    .split(/\r?\n/)
    .filter((l) => l.startsWith(RESULT_PREFIX))
    .map((l) => l.slice(RESULT_PREFIX.length).trim());
  if (results.length !== 2) {
    throw new Error(`BashJavaUtils printed ${results.length} '${RESULT_PREFIX}' lines, expected 2 (JVM params, dynamic configs); its output:\n${output.split('\n').slice(-20).join('\n')}`);
  }
  const jvmArgs = results[0].split(/\s+/).filter((a) => a.length > 0);
  const tokens = results[1].split(/\s+/).filter((a) => a.length > 0);
  const dynamicArgs: string[] = [];
  const dynamicConfigs: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i++) {
    // Either `-D key=value` (what 1.x/2.x print) or a joined `-Dkey=value`.
    const kv = tokens[i] === '-D' ? tokens[++i] : tokens[i].startsWith('-D') ? tokens[i].slice(2) : undefined;
    const eq = kv?.indexOf('=') ?? -1;
    if (kv === undefined || eq <= 0) throw new Error(`BashJavaUtils dynamic configs do not parse as '-D key=value' near '${tokens.slice(i - 1, i + 2).join(' ')}': ${results[1]}`);
    dynamicConfigs[kv.slice(0, eq)] = kv.slice(eq + 1);
    dynamicArgs.push('-D', kv);
  }
  return { jvmArgs, dynamicArgs, dynamicConfigs };
}

/** Runs BashJavaUtils on the cluster's conf folder (bounded to 60 s). */
export async function resourceParams(kind: 'jobmanager' | 'taskmanager', confDir: string, libDir: string): Promise<ResourceParams> {
  const cmd = kind === 'jobmanager' ? 'GET_JM_RESOURCE_PARAMS' : 'GET_TM_RESOURCE_PARAMS';
  try {
    const r = await execa('java', ['-cp', `${libDir}/*`, `-Dlog4j.configurationFile=file:${join(confDir, 'log4j-cli.properties')}`, BASH_JAVA_UTILS, cmd, '--configDir', confDir], { timeout: 60_000, all: true });
    return parseBashJavaUtilsOutput(r.all ?? r.stdout);
  } catch (err) {
    const e = err as { code?: string; all?: string; shortMessage?: string };
    if (e.code === 'ENOENT') throw new Error("'java' is not installed: install a JDK (Debian: apt-get install default-jdk-headless) to run Flink");
    if (e.all === undefined) throw err;
    throw new Error(`BashJavaUtils ${cmd} failed on ${confDir}: ${e.shortMessage ?? ''}\n${e.all.split('\n').slice(-20).join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Processes

export type FlinkRole = 'jobmanager' | 'taskmanager';

export interface FlinkProcess {
  readonly role: FlinkRole;
  readonly pid: number;
  /** The process's log4j file (`log/<role>-<i>.log`); its stdout/stderr go to the same name with `.out`. */
  readonly log: string;
}

/** A cluster this code started: its folder, release, REST endpoint and every pid. */
export interface FlinkCluster {
  readonly version: string;
  readonly dir: string;
  readonly restPort: number;
  readonly rpcPort: number;
  readonly restUrl: string;
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
  readonly processes: readonly FlinkProcess[];
  readonly startedAt: string;
  /** Milliseconds from the first JVM spawned to /overview showing every TaskManager and slot. */
  readonly startMs: number;
}

export interface StartOptions {
  readonly taskManagers?: number;
  readonly slotsPerTaskManager?: number;
  readonly version?: string;
  /** A fixed REST port (must be free); a free one otherwise. */
  readonly restPort?: number;
  readonly jobManagerProcessSize?: string;
  readonly taskManagerProcessSize?: string;
  readonly extraConfig?: Readonly<Record<string, string | number | boolean>>;
  /** Bound on start-to-ready; default 90 s. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** Resolves when 127.0.0.1:`port` can be bound, rejects with a clear message when it is in use. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => rej(new Error(err.code === 'EADDRINUSE' ? `${what} port ${port} on 127.0.0.1 is in use: stop what holds it or pick another` : `cannot bind ${what} port ${port} on 127.0.0.1: ${err.message}`)));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res()));
  });
}

/** The Flink JVM command line, laid out as flink-daemon.sh lays it out. */
export function flinkJavaArgs(role: FlinkRole, confDir: string, libDir: string, logFile: string, params: ResourceParams): string[] {
  return [
    ...params.jvmArgs,
    '-XX:+IgnoreUnrecognizedVMOptions',
    ...JAVA17_OPTS,
    `-Dlog.file=${logFile}`,
    `-Dlog4j.configuration=file:${join(confDir, 'log4j.properties')}`,
    `-Dlog4j.configurationFile=file:${join(confDir, 'log4j.properties')}`,
    '-classpath',
    `${libDir}/*`,
    role === 'jobmanager' ? JOBMANAGER_MAIN : TASKMANAGER_MAIN,
    '--configDir',
    confDir,
    ...params.dynamicArgs,
  ];
}

function spawnDetached(args: string[], outFile: string, dir: string): number {
  const out = openSync(outFile, 'w');
  try {
    // node's spawn, not execa: the JVM must outlive this process (detached, no pipes held open). The
    // environment names the conf and (empty) plugins folders as flink-daemon.sh's does.
    const env = { ...process.env, FLINK_CONF_DIR: join(dir, 'conf'), FLINK_PLUGINS_DIR: join(dir, 'plugins'), FLINK_LOG_DIR: join(dir, 'log') };
    const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out], cwd: dir, env });
    if (child.pid === undefined) throw new Error(`java did not start (is a JDK installed?); see ${outFile}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** GET /overview of a cluster's REST endpoint (bounded to 3 s). */
export async function flinkOverview(restUrl: string): Promise<Record<string, unknown>> {
  const r = await fetch(`${restUrl}/overview`, { signal: AbortSignal.timeout(3000) });
  if (!r.ok) throw new Error(`GET ${restUrl}/overview: HTTP ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
}

/**
 * Starts a session cluster in `dir`: writes conf/config.yaml and conf/log4j.properties, asks BashJavaUtils
 * for each role's JVM flags, spawns one JobManager and `taskManagers` TaskManagers (detached JVMs, logs in
 * dir/log) and waits (bounded) until /overview shows them all with their slots. On failure it stops every pid
 * it started and throws naming the log to read.
 */
export async function startFlinkCluster(dir: string, opts: StartOptions = {}): Promise<FlinkCluster> {
  const version = opts.version ?? DEFAULT_FLINK_VERSION;
  const taskManagers = opts.taskManagers ?? 1;
  const slots = opts.slotsPerTaskManager ?? 2;
  if (!Number.isInteger(taskManagers) || taskManagers < 1) throw new Error(`taskManagers must be a positive integer, not ${taskManagers}`);
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`slotsPerTaskManager must be a positive integer, not ${slots}`);
  const libDir = flinkLibDir(version);
  if (!flinkJarsPresent(version, libDir)) throw new Error(`the Flink ${version} jars are missing in ${libDir}: run 'npm run services -- flink up --flink-version ${version}' (it fetches them) first`);
  const confDir = join(dir, 'conf');
  const logDir = join(dir, 'log');
  for (const d of [confDir, logDir, join(dir, 'checkpoints'), join(dir, 'savepoints'), join(dir, 'plugins'), join(dir, 'tmp', 'web'), join(dir, 'tmp', 'blob')]) mkdirSync(d, { recursive: true });
  if (opts.restPort !== undefined) await assertPortFree(opts.restPort, 'the REST');
  const restPort = opts.restPort ?? (await freePort());
  let rpcPort = await freePort();
  while (rpcPort === restPort) rpcPort = await freePort();
  writeFileSync(
    join(confDir, 'config.yaml'),
    renderFlinkConfig({ dir, restPort, rpcPort, slotsPerTaskManager: slots, jobManagerProcessSize: opts.jobManagerProcessSize, taskManagerProcessSize: opts.taskManagerProcessSize, extra: opts.extraConfig }),
  );
  writeFileSync(join(confDir, 'log4j.properties'), FLINK_LOG4J);
  writeFileSync(join(confDir, 'log4j-cli.properties'), 'rootLogger.level = WARN\n');
  const [jm, tm] = await Promise.all([resourceParams('jobmanager', confDir, libDir), resourceParams('taskmanager', confDir, libDir)]);
  for (const f of readdirSync(logDir)) if (/\.(log|out)$/.test(f)) renameSync(join(logDir, f), join(logDir, `${f}.1`));

  const processes: FlinkProcess[] = [];
  const t0 = Date.now();
  const restUrl = `http://127.0.0.1:${restPort}`;
  const partial = (): FlinkCluster => ({ version, dir, restPort, rpcPort, restUrl, taskManagers, slotsPerTaskManager: slots, processes, startedAt: new Date(t0).toISOString(), startMs: Date.now() - t0 });
  try {
    const jmLog = join(logDir, 'jobmanager-0.log');
    processes.push({ role: 'jobmanager', pid: spawnDetached(flinkJavaArgs('jobmanager', confDir, libDir, jmLog, jm), jmLog.replace(/\.log$/, '.out'), dir), log: jmLog });
    for (let i = 0; i < taskManagers; i++) {
      const tmLog = join(logDir, `taskmanager-${i}.log`);
      processes.push({ role: 'taskmanager', pid: spawnDetached(flinkJavaArgs('taskmanager', confDir, libDir, tmLog, tm), tmLog.replace(/\.log$/, '.out'), dir), log: tmLog });
    }
    opts.log?.(`Flink ${version}: JobManager pid ${processes[0].pid}, TaskManager pids ${processes.slice(1).map((p) => p.pid).join(', ')}; waiting for ${restUrl}/overview`);
    await waitForOverview(partial(), opts.timeoutMs ?? 90_000);
  } catch (err) {
    await stopFlinkCluster(partial(), { graceMs: 5000 });
    throw err;
  }
  return partial();
}

async function waitForOverview(cluster: FlinkCluster, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const slotsTotal = cluster.taskManagers * cluster.slotsPerTaskManager;
  let last = 'no answer yet';
  for (;;) {
    for (const p of cluster.processes) {
      if (!alive(p.pid)) {
        const out = p.log.replace(/\.log$/, '.out');
        const text = `${tail(p.log, 40)}\n${tail(out, 20)}`;
        const bind = /BindException|Address already in use/.test(text) ? ' (a port it needed was in use)' : '';
        throw new Error(`Flink ${p.role} pid ${p.pid} exited while starting${bind}; read ${p.log} (and ${out}):\n${errorLines(text)}`);
      }
    }
    try {
      const o = await flinkOverview(cluster.restUrl);
      last = `taskmanagers=${String(o.taskmanagers)}, slots-total=${String(o['slots-total'])}`;
      if (o.taskmanagers === cluster.taskManagers && o['slots-total'] === slotsTotal) return;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      last = e.cause?.code === undefined ? e.message : `${e.message} (${e.cause.code})`;
    }
    if (Date.now() > deadline) {
      const jm = cluster.processes[0];
      throw new Error(`Flink cluster not ready within ${timeoutMs / 1000} s (wanted taskmanagers=${cluster.taskManagers}, slots-total=${slotsTotal}; last: ${last}); stopped its pids; read ${jm.log} and ${join(cluster.dir, 'log')}/taskmanager-*.log`);
    }
    await sleep(250);
  }
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function errorLines(text: string): string {
  const errs = text.split('\n').filter((l) => /ERROR|Exception|Error:|Caused by/.test(l));
  return (errs.length > 0 ? errs : text.split('\n')).slice(-12).join('\n');
}

/** The main class a pid runs and whether its command line names `confDir` (guards against a reused pid). */
function isOurs(p: Pick<FlinkProcess, 'pid' | 'role'>, confDir: string): boolean {
  try {
    const args = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
    return args.includes(p.role === 'jobmanager' ? JOBMANAGER_MAIN : TASKMANAGER_MAIN) && args.includes(confDir);
  } catch {
    return false;
  }
}

/** Resident memory of a pid in KiB (VmRSS in /proc/<pid>/status), undefined when it is gone. */
export function rssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

/**
 * Stops exactly the cluster's recorded pids: SIGTERM to the TaskManagers, then the JobManager, SIGKILL after
 * `graceMs`. A pid that no longer runs that role's main class on this cluster's conf folder is left alone.
 */
export async function stopFlinkCluster(cluster: Pick<FlinkCluster, 'dir' | 'processes'>, opts: { graceMs?: number } = {}): Promise<{ pid: number; role: FlinkRole; result: 'stopped' | 'not running' }[]> {
  const confDir = join(cluster.dir, 'conf');
  const stopOne = async (p: FlinkProcess): Promise<{ pid: number; role: FlinkRole; result: 'stopped' | 'not running' }> => {
    if (!alive(p.pid) || !isOurs(p, confDir)) return { pid: p.pid, role: p.role, result: 'not running' };
    await terminate(p.pid, 'SIGTERM', opts.graceMs ?? 15_000);
    return { pid: p.pid, role: p.role, result: 'stopped' };
  };
  const tms = await Promise.all(cluster.processes.filter((p) => p.role === 'taskmanager').map(stopOne));
  const jms = await Promise.all(cluster.processes.filter((p) => p.role === 'jobmanager').map(stopOne));
  return [...jms, ...tms];
}

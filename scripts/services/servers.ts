/**
 * Starts and stops real Apache ZooKeeper and Apache Kafka (3.9, ZooKeeper mode) servers on loopback, for the
 * Kafka-fed sources and the ZooKeeper control plane. The broker's jars (which include the ZooKeeper server)
 * come from Maven Central through `mvn dependency:copy-dependencies` on `pom.xml` into a git-ignored cache
 * folder. Every server binds 127.0.0.1 on a free port, is probed until ready (bounded), and is stopped by the
 * process id that was started (checked against /proc/<pid>/cmdline first), never by name.
 */
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { Kafka, logLevel } from 'kafkajs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the jars, data folders, logs, pid and port files live (git-ignored). */
export const SERVICES_DIR = join(REPO_ROOT, '.cache', 'services');
export const LIB_DIR = join(SERVICES_DIR, 'lib');
export const KAFKA_VERSION = '3.9.1';

export const ZOOKEEPER_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
export const KAFKA_MAIN = 'kafka.Kafka';

export type ServiceName = 'zookeeper' | 'kafka';

/** A server this code started: its pid, loopback port and folder (config, data, log). */
export interface RunningServer {
  readonly name: ServiceName;
  readonly pid: number;
  readonly port: number;
  readonly dir: string;
}

/** True when the broker's jars are in the cache folder. */
export function jarsPresent(libDir = LIB_DIR): boolean {
  return existsSync(libDir) && readdirSync(libDir).some((f) => f === `kafka_2.13-${KAFKA_VERSION}.jar`) && readdirSync(libDir).some((f) => /^zookeeper-\d.*\.jar$/.test(f));
}

/** Fetches the broker's jars with Maven (a no-op when present); bounded by `timeoutMs`. */
export async function ensureJars(log: (line: string) => void, timeoutMs = 600_000): Promise<void> {
  if (jarsPresent()) return;
  log(`fetching Kafka ${KAFKA_VERSION} and ZooKeeper jars with Maven into ${LIB_DIR} ...`);
  try {
    await execa('mvn', ['-q', '-B', '-f', join(REPO_ROOT, 'scripts/services/pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${LIB_DIR}`, '-DincludeScope=runtime'], { timeout: timeoutMs, all: true });
  } catch (err) {
    const e = err as { code?: string; all?: string; timedOut?: boolean; shortMessage?: string };
    if (e.code === 'ENOENT') throw new Error('Maven (mvn) is not installed: install it (Debian: apt-get install maven) to fetch the Kafka broker jars');
    throw new Error(`Maven could not fetch the Kafka jars${e.timedOut ? ` within ${timeoutMs / 1000} s` : ''}: ${e.shortMessage ?? ''}\n${(e.all ?? '').slice(-2000)}`);
  }
  if (!jarsPresent()) throw new Error(`Maven finished but ${LIB_DIR} has no kafka_2.13-${KAFKA_VERSION}.jar`);
}

/** A port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

const LOG4J = `log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=\${spacker.log.file}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaServer=INFO
`;

function javaArgs(dir: string, heapMb: number, main: string, config: string): string[] {
  writeFileSync(join(dir, 'log4j.properties'), LOG4J);
  return [
    `-Xmx${heapMb}m`,
    '-XX:+UseSerialGC',
    // ZooKeeper starts faster on the first JIT tier alone; the broker, on the measured path, gets both.
    ...(main === ZOOKEEPER_MAIN ? ['-XX:TieredStopAtLevel=1'] : []),
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
    `-Dspacker.log.file=${join(dir, 'server.log')}`,
    '-Dzookeeper.admin.enableServer=false',
    '-cp',
    `${LIB_DIR}/*`,
    main,
    config,
  ];
}

/** Starts a detached JVM whose output goes to `<dir>/stdout.log`; returns its pid. */
async function spawnJava(dir: string, args: string[]): Promise<number> {
  const out = openSync(join(dir, 'stdout.log'), 'a');
  try {
    // node's spawn, not execa: the server must outlive this process (detached, no pipes to keep open).
    const child = spawn('java', args, { detached: true, stdio: ['ignore', out, out] });
    const pid = child.pid;
    if (pid === undefined) {
      const err = await new Promise<Error>((r) => child.once('error', r));
      throw new Error(`java did not start: ${err.message} (is a JDK installed?)`);
    }
    child.unref();
    return pid;
  } finally {
    closeSync(out);
  }
}

/** Starts ZooKeeper on 127.0.0.1 in `dir` (its data stays there, so a restart on the same port finds it). */
export async function startZooKeeper(dir: string, opts: { port?: number; timeoutMs?: number } = {}): Promise<RunningServer> {
  if (!jarsPresent()) throw new Error(`the ZooKeeper jars are missing in ${LIB_DIR}: run 'npm run services -- up' first`);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = opts.port ?? (await freePort());
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      'tickTime=500',
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'maxClientCnxns=0',
      'minSessionTimeout=1000',
      'maxSessionTimeout=60000',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr',
      '',
    ].join('\n'),
  );
  const pid = await spawnJava(dir, javaArgs(dir, 128, ZOOKEEPER_MAIN, cfg));
  const server: RunningServer = { name: 'zookeeper', pid, port, dir };
  await waitReady(server, opts.timeoutMs ?? 30_000, () => fourLetter(port, 'ruok').then((r) => r === 'imok'));
  return server;
}

/** Starts a Kafka broker in ZooKeeper mode, registered under `<zk>/kafka`, on 127.0.0.1. */
export async function startKafka(dir: string, zookeeperPort: number, opts: { port?: number; timeoutMs?: number } = {}): Promise<RunningServer> {
  if (!jarsPresent()) throw new Error(`the Kafka jars are missing in ${LIB_DIR}: run 'npm run services -- up' first`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const port = opts.port ?? (await freePort());
  const cfg = join(dir, 'server.properties');
  writeFileSync(
    cfg,
    [
      'broker.id=0',
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      `log.dirs=${join(dir, 'logs')}`,
      `zookeeper.connect=127.0.0.1:${zookeeperPort}/kafka`,
      'zookeeper.connection.timeout.ms=15000',
      'num.partitions=1',
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.network.threads=2',
      'num.io.threads=2',
      'log.flush.interval.ms=1000000',
      '',
    ].join('\n'),
  );
  const pid = await spawnJava(dir, javaArgs(dir, 512, KAFKA_MAIN, cfg));
  const server: RunningServer = { name: 'kafka', pid, port, dir };
  await waitReady(server, opts.timeoutMs ?? 90_000, () => brokerAnswers(port));
  return server;
}

async function waitReady(server: RunningServer, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive(server.pid)) throw new Error(`${server.name} (pid ${server.pid}) exited while starting; see ${join(server.dir, 'stdout.log')} and server.log:\n${tail(join(server.dir, 'stdout.log'))}${tail(join(server.dir, 'server.log'))}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      await stopServer(server);
      throw new Error(`${server.name} did not answer on 127.0.0.1:${server.port} within ${timeoutMs / 1000} s (stopped pid ${server.pid}); see ${server.dir}:\n${tail(join(server.dir, 'server.log'))}`);
    }
    await sleep(300);
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/** Sends a ZooKeeper four-letter command; resolves with the answer (bounded to 2 s). */
export function fourLetter(port: number, cmd: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((res, rej) => {
    const socket = createConnection({ host, port });
    let answer = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(cmd));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => res(answer.trim()));
    socket.on('error', rej);
  });
}

/** True when a broker on `port` answers a metadata request and a group lookup, each within 3 s. */
export async function brokerAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  const admin = new Kafka({ clientId: 'spacker-probe', brokers: [`${host}:${port}`], logLevel: logLevel.NOTHING, connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 } }).admin();
  try {
    await withTimeout(admin.connect(), 3000);
    const c = await withTimeout(admin.describeCluster(), 3000);
    if (c.brokers.length === 0) return false;
    // Ready means ready for consumer groups too: the first group lookup makes the broker create its offsets
    // topic, which takes seconds on a loaded machine (a job's consumer would otherwise spend its join timeout on it).
    await withTimeout(admin.describeGroups(['spacker-probe']), 3000);
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) still answers signal 0.
  try {
    return !/\)\s+Z\s/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The main class a pid runs, if it is one of our JVMs (guards against a reused pid). */
function mainClassOf(pid: number): string | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.find((a) => a === ZOOKEEPER_MAIN || a === KAFKA_MAIN);
  } catch {
    return undefined;
  }
}

/**
 * Stops a server by the pid it was started with: SIGTERM (Kafka shuts down cleanly), SIGKILL after
 * `graceMs`. A pid that no longer runs our server's main class is left alone. `signal: 'SIGKILL'` stops at once.
 */
export async function stopServer(server: Pick<RunningServer, 'name' | 'pid'>, opts: { graceMs?: number; signal?: 'SIGTERM' | 'SIGKILL' } = {}): Promise<'stopped' | 'not running'> {
  const expected = server.name === 'kafka' ? KAFKA_MAIN : ZOOKEEPER_MAIN;
  if (!alive(server.pid) || mainClassOf(server.pid) !== expected) return 'not running';
  await terminate(server.pid, opts.signal ?? 'SIGTERM', opts.graceMs ?? 20_000);
  return 'stopped';
}

/** Sends `signal` to a pid this harness started, and SIGKILL if it is still alive after `graceMs` (then waits up to 5 s). */
export async function terminate(pid: number, signal: 'SIGTERM' | 'SIGKILL', graceMs: number): Promise<void> {
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      const hard = Date.now() + 5000;
      while (alive(pid) && Date.now() < hard) await sleep(100);
      return;
    }
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

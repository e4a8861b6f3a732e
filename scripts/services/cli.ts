/**
 * `npm run services -- up|down|status`: the shared ZooKeeper and Kafka servers for the Kafka-fed jobs, the
 * ZooKeeper control plane and the integration tests. `up` fetches the jars when missing and starts both on
 * loopback with free ports (pid and port files in .cache/services); `down` stops exactly the pids `up`
 * started; `status` probes them. Exit code 0 on success, 1 on failure.
 *
 * `npm run services -- flink up|down|status [--task-managers N] [--slots N] [--flink-version V] [--rest-port P]`
 * (or `flink up --flink-rest URL`: attach to a running cluster instead):
 * a Flink standalone session cluster (1 JobManager, N TaskManagers) in .cache/services/flink, recorded in
 * .cache/services/flink.json; `down` stops exactly those pids; `status` prints the REST URL and /overview.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FLINK_VERSION, fetchFlinkJars, flinkOverview, rssKb, startFlinkCluster, stopFlinkCluster } from './flink.ts';
import { alive, brokerAnswers, ensureJars, fourLetter, SERVICES_DIR, startKafka, startZooKeeper, stopServer, type ServiceName } from './servers.ts';
import { clearFlinkAttached, clearFlinkState, clearState, readFlinkAttached, readFlinkState, readState, writeFlinkState, writeState } from './state.ts';
import { FlinkRest } from '../../experiments/src/io/flink/rest-client.ts';
import { attachFlinkCluster } from './flink-attach.ts';

const log = (line: string): void => console.log(`services: ${line}`);

async function running(name: ServiceName): Promise<{ pid: number; port: number } | undefined> {
  const s = readState(SERVICES_DIR, name);
  if (s === undefined || !alive(s.pid)) return undefined;
  const ok = name === 'zookeeper' ? (await fourLetter(s.port, 'ruok').catch(() => '')) === 'imok' : await brokerAnswers(s.port).catch(() => false);
  return ok ? s : undefined;
}

async function up(): Promise<void> {
  mkdirSync(SERVICES_DIR, { recursive: true });
  await ensureJars(log);
  let zk = await running('zookeeper');
  if (zk === undefined) {
    await down(['zookeeper'], true);
    // The servers hold only test scratch. A ZooKeeper restarted on old data keeps a dead broker's ephemeral
    // registration until its session expires (Kafka then exits with NodeExists), and Kafka's log folder
    // keeps the cluster id of that data: both start empty with a new ZooKeeper.
    rmSync(join(SERVICES_DIR, 'zookeeper', 'data'), { recursive: true, force: true });
    rmSync(join(SERVICES_DIR, 'kafka', 'logs'), { recursive: true, force: true });
    const s = await startZooKeeper(join(SERVICES_DIR, 'zookeeper'));
    writeState(SERVICES_DIR, s);
    zk = s;
    log(`ZooKeeper started: 127.0.0.1:${s.port} (pid ${s.pid})`);
  } else log(`ZooKeeper already running: 127.0.0.1:${zk.port} (pid ${zk.pid})`);
  const kafka = await running('kafka');
  if (kafka === undefined) {
    await down(['kafka'], true);
    const s = await startKafka(join(SERVICES_DIR, 'kafka'), zk.port);
    writeState(SERVICES_DIR, s);
    log(`Kafka started: 127.0.0.1:${s.port} (pid ${s.pid})`);
  } else log(`Kafka already running: 127.0.0.1:${kafka.port} (pid ${kafka.pid})`);
}

async function down(names: ServiceName[] = ['kafka', 'zookeeper'], quiet = false): Promise<void> {
  for (const name of names) {
    const s = readState(SERVICES_DIR, name);
    if (s === undefined) {
      if (!quiet) log(`${name}: no pid file, nothing to stop`);
      continue;
    }
    const r = await stopServer({ name, pid: s.pid });
    clearState(SERVICES_DIR, name);
    if (!quiet) log(`${name}: ${r === 'stopped' ? `stopped pid ${s.pid}` : `pid ${s.pid} was not running`}`);
  }
}

async function status(): Promise<boolean> {
  let all = true;
  for (const name of ['zookeeper', 'kafka'] as const) {
    const s = await running(name);
    if (s === undefined) all = false;
    console.log(`${name}: ${s === undefined ? 'not running' : `running on 127.0.0.1:${s.port} (pid ${s.pid})`}`);
  }
  if (!all) console.log("start them with 'npm run services -- up'");
  return all;
}

const FLINK_CLUSTER_DIR = join(SERVICES_DIR, 'flink');

function positiveInt(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} wants a positive integer, not '${v}'`);
  return n;
}

const mb = (kb: number | undefined): string => (kb === undefined ? 'gone' : `${Math.round(kb / 1024)} MiB RSS`);

async function flinkRunning(): Promise<{ overview: Record<string, unknown> } | undefined> {
  const c = readFlinkState(SERVICES_DIR);
  if (c === undefined || !c.processes.some((p) => p.role === 'jobmanager' && alive(p.pid))) return undefined;
  const overview = await flinkOverview(c.restUrl).catch(() => undefined);
  return overview === undefined ? undefined : { overview };
}

async function flinkAttach(input: string, others: string[]): Promise<void> {
  const a = await attachFlinkCluster(SERVICES_DIR, input, others);
  log(`attached to Flink ${a.version} at ${a.restUrl}: ${a.taskManagers} TaskManagers, ${a.slotsTotal} slots; spacker.engine=flink runs use it; 'flink down' forgets it (stops nothing)`);
}

async function flinkUp(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'task-managers': { type: 'string' }, slots: { type: 'string' }, 'flink-version': { type: 'string' }, 'rest-port': { type: 'string' }, 'flink-rest': { type: 'string' } }, strict: true });
  if (values['flink-rest'] !== undefined) {
    await flinkAttach(values['flink-rest'], (['task-managers', 'slots', 'flink-version', 'rest-port'] as const).filter((k) => values[k] !== undefined));
    return;
  }
  const attached = readFlinkAttached(SERVICES_DIR);
  if (attached !== undefined) throw new Error(`attached to the cluster at ${attached.restUrl}; 'npm run services -- flink down' forgets it, then 'flink up' starts one here`);
  const taskManagers = positiveInt(values['task-managers'], 'task-managers', 1);
  const slotsPerTaskManager = positiveInt(values.slots, 'slots', 2);
  const version = values['flink-version'] ?? DEFAULT_FLINK_VERSION;
  const restPort = values['rest-port'] === undefined ? undefined : positiveInt(values['rest-port'], 'rest-port', 0);
  mkdirSync(SERVICES_DIR, { recursive: true });
  const existing = readFlinkState(SERVICES_DIR);
  if (existing !== undefined && (await flinkRunning()) !== undefined) {
    log(`Flink ${existing.version} already running: ${existing.restUrl} (${existing.taskManagers} TaskManagers x ${existing.slotsPerTaskManager} slots); 'npm run services -- flink down' first to start another shape`);
    return;
  }
  if (existing !== undefined) await flinkDown(true);
  const f = await fetchFlinkJars(version, { log });
  log(`Flink ${version} jars: ${f.jars} in ${f.libDir} (${(f.bytes / 1048576).toFixed(1)} MiB)${f.fetched ? `, fetched in ${(f.ms / 1000).toFixed(1)} s` : ', cached'}`);
  const c = await startFlinkCluster(FLINK_CLUSTER_DIR, { taskManagers, slotsPerTaskManager, version, restPort, log });
  writeFlinkState(SERVICES_DIR, c);
  log(`Flink ${version} session cluster ready in ${(c.startMs / 1000).toFixed(1)} s: ${c.restUrl} (logs in ${join(c.dir, 'log')})`);
  for (const p of c.processes) log(`  ${p.role} pid ${p.pid}: ${mb(rssKb(p.pid))}`);
}

async function flinkDown(quiet = false): Promise<void> {
  const attached = readFlinkAttached(SERVICES_DIR);
  if (attached !== undefined) {
    clearFlinkAttached(SERVICES_DIR);
    if (!quiet) log(`flink: forgot the attached cluster at ${attached.restUrl} (this machine did not start it: nothing stopped)`);
  }
  const c = readFlinkState(SERVICES_DIR);
  if (c === undefined) {
    if (attached !== undefined) return;
    if (!quiet) log('flink: no flink.json, nothing to stop');
    return;
  }
  const results = await stopFlinkCluster(c);
  clearFlinkState(SERVICES_DIR);
  if (!quiet) for (const r of results) log(`flink ${r.role}: ${r.result === 'stopped' ? `stopped pid ${r.pid}` : `pid ${r.pid} was not running`}`);
}

async function flinkStatus(): Promise<boolean> {
  const attached = readFlinkAttached(SERVICES_DIR);
  if (attached !== undefined) {
    const o = await new FlinkRest(attached.restUrl, { timeoutMs: 5000 }).overview().catch((err: unknown) => {
      console.log(`flink: attached to ${attached.restUrl}, not answering (${(err as Error).message})`);
      return undefined;
    });
    if (o === undefined) return false;
    console.log(`flink ${o['flink-version']}: attached at ${attached.restUrl} (not started here)`);
    console.log(`  taskmanagers=${o.taskmanagers} slots-total=${o['slots-total']} slots-available=${o['slots-available']} jobs-running=${o['jobs-running']}`);
    return true;
  }
  const c = readFlinkState(SERVICES_DIR);
  const r = await flinkRunning();
  if (c === undefined || r === undefined) {
    console.log(`flink: not running${c === undefined ? '' : ` (recorded at ${c.restUrl}, not answering)`}; start it with 'npm run services -- flink up'`);
    return false;
  }
  const o = r.overview;
  console.log(`flink ${String(o['flink-version'])}: running at ${c.restUrl}`);
  console.log(`  taskmanagers=${String(o.taskmanagers)} slots-total=${String(o['slots-total'])} slots-available=${String(o['slots-available'])} jobs-running=${String(o['jobs-running'])} jobs-finished=${String(o['jobs-finished'])} jobs-cancelled=${String(o['jobs-cancelled'])} jobs-failed=${String(o['jobs-failed'])}`);
  for (const p of c.processes) console.log(`  ${p.role} pid ${p.pid}: ${alive(p.pid) ? mb(rssKb(p.pid)) : 'not running'}`);
  return true;
}

async function flink(args: string[]): Promise<void> {
  const sub = args[0];
  if (sub === 'up') await flinkUp(args.slice(1));
  else if (sub === 'down') await flinkDown();
  else if (sub === 'status') process.exitCode = (await flinkStatus()) ? 0 : 1;
  else {
    console.error(`services: unknown flink command '${sub ?? ''}'; use flink up|down|status`);
    process.exitCode = 2;
  }
}

const command = process.argv[2];
try {
  if (command === 'flink') await flink(process.argv.slice(3));
  else if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'status') process.exitCode = (await status()) ? 0 : 1;
  else {
    console.error(`services: unknown command '${command ?? ''}'; use up, down, status or flink up|down|status`);
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`services: ${(err as Error).message}`);
  process.exitCode = 1;
}

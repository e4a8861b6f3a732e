/**
 * `npm run services -- up|down|status`: the shared ZooKeeper and Kafka servers for the Kafka-fed jobs, the
 * ZooKeeper control plane and the integration tests. `up` fetches the jars when missing and starts both on
 * loopback with free ports (pid and port files in .cache/services); `down` stops exactly the pids `up`
 * started; `status` probes them. Exit code 0 on success, 1 on failure.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { alive, brokerAnswers, ensureJars, fourLetter, SERVICES_DIR, startKafka, startZooKeeper, stopServer, type ServiceName } from './servers.ts';
import { clearState, readState, writeState } from './state.ts';

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

const command = process.argv[2];
try {
  if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'status') process.exitCode = (await status()) ? 0 : 1;
  else {
    console.error(`services: unknown command '${command ?? ''}'; use up, down or status`);
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`services: ${(err as Error).message}`);
  process.exitCode = 1;
}

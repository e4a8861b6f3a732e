/**
 * Finds the shared Kafka and ZooKeeper servers for the integration tests: SPACKER_KAFKA / SPACKER_ZOOKEEPER
 * (HOST:PORT), else the port files `npm run services -- up` wrote, each probed (bounded). Without them a test
 * is skipped with a message naming what is missing and how to start it; with CI=true a missing service fails.
 */
import assert from 'node:assert/strict';
import { DEFAULT_FLINK_VERSION, flinkJarsPresent, flinkLibDir } from '../../scripts/services/flink.ts';
import { brokerAnswers, fourLetter, jarsPresent, SERVICES_DIR } from '../../scripts/services/servers.ts';
import { readState } from '../../scripts/services/state.ts';

export const CI = process.env.CI === 'true';

export interface Services {
  kafka: string;
  zookeeper: string;
}

async function find(): Promise<{ services?: Services; missing: string[] }> {
  const missing: string[] = [];
  const kafka = process.env.SPACKER_KAFKA ?? portOf('kafka');
  const zookeeper = process.env.SPACKER_ZOOKEEPER ?? portOf('zookeeper');
  if (zookeeper === undefined || (await fourLetter(Number(zookeeper.split(':')[1]), 'ruok', zookeeper.split(':')[0]).catch(() => '')) !== 'imok') missing.push(`ZooKeeper (${zookeeper ?? 'no port file'})`);
  if (kafka === undefined || !(await brokerAnswers(Number(kafka.split(':')[1]), kafka.split(':')[0]).catch(() => false))) missing.push(`Kafka (${kafka ?? 'no port file'})`);
  return missing.length === 0 ? { services: { kafka: kafka as string, zookeeper: zookeeper as string }, missing } : { missing };
}

function portOf(name: 'kafka' | 'zookeeper'): string | undefined {
  const s = readState(SERVICES_DIR, name);
  return s === undefined ? undefined : `127.0.0.1:${s.port}`;
}

let found: Promise<{ services?: Services; missing: string[] }> | undefined;

/**
 * The servers, or a skip reason for `it(..., { skip })`. Under CI=true a missing server is not a skip: the
 * returned `services` is undefined and `requireServices` fails the test.
 */
export async function services(): Promise<{ services?: Services; skip: string | false }> {
  found ??= find();
  const f = await found;
  if (f.services !== undefined) return { services: f.services, skip: false };
  const reason = `integration test skipped: ${f.missing.join(' and ')} not running; start them with 'npm run services -- up'`;
  if (CI) return { skip: false };
  process.stderr.write(`# ${reason}\n`);
  return { skip: reason };
}

/** The servers; fails the test (CI=true) when they are missing. */
export async function requireServices(): Promise<Services> {
  const f = await (found ??= find());
  assert.ok(f.services !== undefined, `CI=true and ${f.missing.join(' and ')} not running: .ci/run starts them with 'npm run services -- up'`);
  return f.services;
}

/** Skip reason for tests that start their own ZooKeeper from the cached jars. */
export function jarsSkip(): string | false {
  if (jarsPresent()) return false;
  const reason = "integration test skipped: the ZooKeeper/Kafka jars are not in .cache/services/lib; fetch them with 'npm run services -- up'";
  if (CI) return false;
  process.stderr.write(`# ${reason}\n`);
  return reason;
}

/**
 * Skip reason for tests that start their own Flink cluster from the cached Flink jars; under CI=true a
 * missing cache is not a skip (the test then fails on `flinkJarsPresent`).
 */
export function flinkJarsSkip(version = DEFAULT_FLINK_VERSION): string | false {
  if (flinkJarsPresent(version)) return false;
  const reason = `integration test skipped: the Flink ${version} jars are not in ${flinkLibDir(version)}; fetch them with 'npm run services -- flink up' (and 'flink down' to stop the cluster it starts)`;
  if (CI) return false;
  process.stderr.write(`# ${reason}\n`);
  return reason;
}

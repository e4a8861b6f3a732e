/**
 * The shared services' pid and port files (`.cache/services/<name>.pid`, `<name>.port`), written by
 * `npm run services -- up` and read by `down`, `status` and the integration tests; and the Flink cluster's
 * record (`flink.json`: every pid with its role, the REST port), written by `npm run services -- flink up`, or
 * the record of a cluster attached by URL (`flink-attached.json`: no pids, this machine did not start it).
 * Imports only node:.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlinkCluster } from './flink.ts';
import type { RunningServer, ServiceName } from './servers.ts';

export function writeState(dir: string, server: RunningServer): void {
  writeFileSync(join(dir, `${server.name}.pid`), `${server.pid}\n`);
  writeFileSync(join(dir, `${server.name}.port`), `${server.port}\n`);
}

/** The pid and port a previous `up` recorded for `name`, if both files are there and parse. */
export function readState(dir: string, name: ServiceName): { pid: number; port: number } | undefined {
  const pidFile = join(dir, `${name}.pid`);
  const portFile = join(dir, `${name}.port`);
  if (!existsSync(pidFile) || !existsSync(portFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const port = Number(readFileSync(portFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 ? { pid, port } : undefined;
}

export function clearState(dir: string, name: ServiceName): void {
  rmSync(join(dir, `${name}.pid`), { force: true });
  rmSync(join(dir, `${name}.port`), { force: true });
}

const FLINK_STATE = 'flink.json';

/** Records a started Flink cluster (its pids, roles, folder and REST port) for `flink down` and `status`. */
export function writeFlinkState(dir: string, cluster: FlinkCluster): void {
  writeFileSync(join(dir, FLINK_STATE), `${JSON.stringify(cluster, null, 2)}\n`);
}

/** The cluster a previous `flink up` recorded, if the file is there and has a pid for each process. */
export function readFlinkState(dir: string): FlinkCluster | undefined {
  const file = join(dir, FLINK_STATE);
  if (!existsSync(file)) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as FlinkCluster;
    const ok = typeof c.dir === 'string' && Number.isInteger(c.restPort) && Array.isArray(c.processes) && c.processes.every((p) => Number.isInteger(p.pid) && p.pid > 0 && (p.role === 'jobmanager' || p.role === 'taskmanager'));
    return ok ? c : undefined;
  } catch {
    return undefined;
  }
}

export function clearFlinkState(dir: string): void {
  rmSync(join(dir, FLINK_STATE), { force: true });
}

/** A cluster this machine did not start, attached with `flink up --flink-rest URL` (the multi-machine path). */
export interface AttachedFlinkCluster {
  readonly restUrl: string;
  readonly version: string;
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly attachedAt: string;
}

const FLINK_ATTACHED = 'flink-attached.json';

export function writeFlinkAttached(dir: string, cluster: AttachedFlinkCluster): void {
  writeFileSync(join(dir, FLINK_ATTACHED), `${JSON.stringify(cluster, null, 2)}\n`);
}

/** The cluster a previous `flink up --flink-rest URL` attached, if the file is there and parses. */
export function readFlinkAttached(dir: string): AttachedFlinkCluster | undefined {
  const file = join(dir, FLINK_ATTACHED);
  if (!existsSync(file)) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as AttachedFlinkCluster;
    return typeof c.restUrl === 'string' && c.restUrl !== '' ? c : undefined;
  } catch {
    return undefined;
  }
}

export function clearFlinkAttached(dir: string): void {
  rmSync(join(dir, FLINK_ATTACHED), { force: true });
}

/** The REST URL of the cluster `flink up` started or attached, if any (what spacker.engine=flink runs use by default). */
export function recordedFlinkRestUrl(dir: string): string | undefined {
  return readFlinkState(dir)?.restUrl ?? readFlinkAttached(dir)?.restUrl;
}

/**
 * The shared services' pid and port files (`.cache/services/<name>.pid`, `<name>.port`), written by
 * `npm run services -- up` and read by `down`, `status` and the integration tests. Imports only node:.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

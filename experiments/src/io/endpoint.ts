/**
 * Parses the addresses of the real services: Kafka's `HOST:PORT[,HOST:PORT]` and the control plane's
 * `zookeeper://HOST:PORT[,HOST:PORT]/path`. Errors name the key or option, the value and the form allowed.
 */
import { InvalidConfigError } from '../../../engine/src/index.ts';

const HOST_PORT = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/;

/** `HOST:PORT[,HOST:PORT]` -> the list; `what` names the key or option in the error. */
export function parseBrokers(value: string, what: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0) throw new InvalidConfigError(what, value, 'HOST:PORT of a Kafka broker, e.g. 127.0.0.1:9092 (comma-separated for several)');
  for (const b of list) {
    const m = HOST_PORT.exec(b);
    if (m === null || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new InvalidConfigError(what, value, `HOST:PORT with a port from 1 to 65535 ('${b}' is not)`);
  }
  return list;
}

/** Where the ZooKeeper control plane lives: its servers and the root path of this deployment's nodes. */
export interface ZooKeeperAddress {
  /** `host:port,host:port`, as node-zookeeper-client takes it. */
  readonly servers: string;
  /** Absolute path, no trailing slash, e.g. `/spacker`. */
  readonly root: string;
}

/** `zookeeper://HOST:PORT[,HOST:PORT]/path` (path optional, default /spacker). */
export function parseZooKeeperUrl(value: string, what: string): ZooKeeperAddress {
  const allowed = 'zookeeper://HOST:PORT/path (e.g. zookeeper://127.0.0.1:2181/spacker)';
  const m = /^zookeeper:\/\/([^/]+)(\/.*)?$/.exec(value.trim());
  if (m === null) throw new InvalidConfigError(what, value, allowed);
  const servers = parseBrokers(m[1], what).join(',');
  const root = (m[2] ?? '/spacker').replace(/\/+$/, '') || '/spacker';
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(root)) throw new InvalidConfigError(what, value, `${allowed}; path segments of letters, digits, '_', '.', '-'`);
  return { servers, root };
}

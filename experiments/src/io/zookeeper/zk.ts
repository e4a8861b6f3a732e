/**
 * node-zookeeper-client behind promises with a bound on every call (a call made while the server is away
 * fails after `opTimeoutMs` instead of waiting for a reconnection that may never come), a bounded connect,
 * and connection-state changes as one callback. Knows nothing about jobs.
 */
import zookeeper, { type Client, type Event, type Stat } from 'node-zookeeper-client';
import { EngineError } from '../../../../engine/src/index.ts';

/** ZooKeeper unreachable, a call that timed out, a node that is not there. */
export class ZooKeeperError extends EngineError {
  constructor(
    message: string,
    /** node-zookeeper-client's exception code when the server answered with one (e.g. NO_NODE = -101). */
    readonly zkCode?: number,
    options?: { cause?: unknown },
  ) {
    super('ZOOKEEPER', message, options);
  }
}

export const NO_NODE = zookeeper.Exception.NO_NODE;
export const NODE_EXISTS = zookeeper.Exception.NODE_EXISTS;
export const BAD_VERSION = zookeeper.Exception.BAD_VERSION;
export const { CreateMode } = zookeeper;

export type ConnectionState = 'connected' | 'disconnected' | 'expired';

export class Zk {
  private constructor(
    private readonly client: Client,
    readonly servers: string,
    private readonly opTimeoutMs: number,
  ) {}

  /** Connects, or fails within `timeoutMs` naming the servers. `onState` hears every later change. */
  static async connect(servers: string, o: { timeoutMs: number; sessionTimeoutMs?: number; onState?: (s: ConnectionState) => void }): Promise<Zk> {
    const client = zookeeper.createClient(servers, { sessionTimeout: o.sessionTimeoutMs ?? 6000, spinDelay: 200, retries: 1 });
    const ok = await new Promise<boolean>((res) => {
      const timer = setTimeout(() => res(false), o.timeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        res(true);
      });
      client.connect();
    });
    if (!ok) {
      client.close();
      throw new ZooKeeperError(`cannot reach ZooKeeper at ${servers} within ${o.timeoutMs} ms (is it running? 'npm run services -- status')`);
    }
    const zk = new Zk(client, servers, Math.max(1000, o.timeoutMs));
    const S = zookeeper.State;
    client.on('state', (s) => {
      if (s === S.SYNC_CONNECTED) o.onState?.('connected');
      else if (s === S.DISCONNECTED) o.onState?.('disconnected');
      else if (s === S.EXPIRED) o.onState?.('expired');
    });
    return zk;
  }

  close(): void {
    this.client.close();
  }

  private call<T>(what: string, path: string, run: (cb: (err: unknown, value: T) => void) => void): Promise<T> {
    return new Promise<T>((res, rej) => {
      const timer = setTimeout(() => rej(new ZooKeeperError(`ZooKeeper at ${this.servers} did not answer ${what} ${path} within ${this.opTimeoutMs} ms (connection lost?)`)), this.opTimeoutMs);
      run((err, value) => {
        clearTimeout(timer);
        if (err === null || err === undefined) res(value);
        else {
          const code = typeof (err as { getCode?: () => number }).getCode === 'function' ? (err as { getCode: () => number }).getCode() : undefined;
          rej(new ZooKeeperError(`ZooKeeper ${what} ${path}: ${(err as Error).message ?? String(err)}`, code, { cause: err }));
        }
      });
    });
  }

  mkdirp(path: string): Promise<void> {
    return this.call<string>('mkdirp', path, (cb) => this.client.mkdirp(path, cb)).then(() => undefined);
  }

  /** Creates a node; returns its path (with the sequence number for sequential modes). */
  create(path: string, data: Buffer, mode: number): Promise<string> {
    return this.call<string>('create', path, (cb) => this.client.create(path, data, mode, cb));
  }

  /** Data and version of a node, or undefined when it does not exist. */
  async get(path: string, watcher?: (e: Event) => void): Promise<{ data: Buffer; version: number } | undefined> {
    try {
      const [data, stat] = await this.call<[Buffer, Stat]>('getData', path, (cb) =>
        watcher === undefined ? this.client.getData(path, (e, d, s) => cb(e, [d, s])) : this.client.getData(path, watcher, (e, d, s) => cb(e, [d, s])),
      );
      return { data: data ?? Buffer.alloc(0), version: stat.version };
    } catch (err) {
      if (err instanceof ZooKeeperError && err.zkCode === NO_NODE) return undefined;
      throw err;
    }
  }

  /** Sets data; `version` -1 = any. Throws ZooKeeperError with zkCode BAD_VERSION when another writer won. */
  set(path: string, data: Buffer, version = -1): Promise<number> {
    return this.call<Stat>('setData', path, (cb) => this.client.setData(path, data, version, cb)).then((s) => s.version);
  }

  /** Sets data, creating the node (persistent) when missing. */
  async put(path: string, data: Buffer): Promise<void> {
    try {
      await this.set(path, data);
    } catch (err) {
      if (!(err instanceof ZooKeeperError && err.zkCode === NO_NODE)) throw err;
      await this.create(path, data, CreateMode.PERSISTENT);
    }
  }

  async exists(path: string): Promise<boolean> {
    const stat = await this.call<Stat | null>('exists', path, (cb) => this.client.exists(path, cb));
    return stat !== null && stat !== undefined;
  }

  /** Child names, sorted; [] when the node does not exist. */
  async children(path: string, watcher?: (e: Event) => void): Promise<string[]> {
    try {
      const list = await this.call<string[]>('getChildren', path, (cb) =>
        watcher === undefined ? this.client.getChildren(path, (e, c) => cb(e, c)) : this.client.getChildren(path, watcher, (e, c) => cb(e, c)),
      );
      return [...list].sort();
    } catch (err) {
      if (err instanceof ZooKeeperError && err.zkCode === NO_NODE) return [];
      throw err;
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await this.call<void>('remove', path, (cb) => this.client.remove(path, -1, (e) => cb(e, undefined)));
    } catch (err) {
      if (!(err instanceof ZooKeeperError && err.zkCode === NO_NODE)) throw err;
    }
  }
}

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function parseJson(data: Buffer | undefined): unknown {
  if (data === undefined || data.length === 0) return undefined;
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The job's side of the ZooKeeper control plane (`spacker.coordination=zookeeper://HOST:PORT/root`): registers
 * the job, publishes its assignment and the progress of the plan in force whenever they change (from the
 * run's 100 ms tick, never from the hot path), watches its requests node and runs the valid requests as
 * migrations, writing back accepted / rejected (with the reason) / done. Losing the session or the server
 * never stops the job: it keeps processing, reports `coordination_lost`, takes no request while away, and on
 * reconnection (a new session if the old one expired, or if the client has not reconnected within
 * RECONNECT_AFTER_MS) re-registers and republishes the current state. The
 * plan itself runs in process, so an outage cannot corrupt it. Without the key, nothing here runs.
 */
import type { Assignment, EventRecord, Job, MigrationLayer, ScenarioContext, Strategy } from '../../../engine/src/index.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { inConfigTerms } from '../config/engine-parameters.ts';
import { parseZooKeeperUrl, type ZooKeeperAddress } from '../io/endpoint.ts';
import { alivePath, assignmentPath, jobIdOf, jobPath, progressPath, requestsPath, type ReconfigRequest } from '../io/zookeeper/layout.ts';
import { BAD_VERSION, CreateMode, json, NODE_EXISTS, parseJson, Zk, ZooKeeperError, type ConnectionState } from '../io/zookeeper/zk.ts';
import { judgeRequest } from './reconfig-request.ts';

/** Bound on connecting to ZooKeeper and on each call. */
export const COORDINATION_TIMEOUT_MS = 5000;
/**
 * How long a lost connection is left to node-zookeeper-client's own reconnection before a new session is
 * opened: after a server restart it was seen (on a loaded CI machine) to stay disconnected for the rest of a
 * run. The old session's alive node is replaced by register().
 */
export const RECONNECT_AFTER_MS = 2000;

export interface Coordination {
  attach(ctx: { job: Job; layer: MigrationLayer; runName: string; config: ResolvedConfig; strategy: Strategy | undefined }): Promise<void>;
  /** Called about every 100 ms while the job runs: publishes changes, takes requests. */
  tick(): void;
  finish(status: 'finished' | 'failed'): Promise<void>;
  close(): Promise<void>;
  report(): Record<string, unknown>;
}

/** Connects the control plane the configuration asks for (bounded), or undefined for the in-process default. */
export async function openCoordination(config: ResolvedConfig, emit: (e: EventRecord) => void): Promise<Coordination | undefined> {
  const url = config.get('spacker.coordination');
  if (url === '') return undefined;
  const address = parseZooKeeperUrl(url, 'spacker.coordination');
  const c = new ZooKeeperCoordination(address, emit);
  await c.connect();
  return c;
}

interface Attached {
  job: Job;
  layer: MigrationLayer;
  id: string;
  operator: string;
  strategy: Strategy;
  config: ResolvedConfig;
  startedAt: string;
}

class ZooKeeperCoordination implements Coordination {
  private zk: Zk | undefined;
  private a: Attached | undefined;
  private connected = false;
  private closed = false;
  private losses = 0;
  private lostAtMs = 0;
  /** The connection whose state changes count; a replaced one's are ignored. */
  private generation = 0;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly published = new Map<string, string>();
  private writing = false;
  private readonly seen = new Set<string>();
  private readonly queue: string[] = [];
  private handling = false;
  private current: { request: string; strategy: Strategy } | undefined;
  private externalMigrations = 0;
  private readonly answered = { accepted: 0, rejected: 0 };

  constructor(
    private readonly address: ZooKeeperAddress,
    private readonly emit: (e: EventRecord) => void,
  ) {}

  async connect(): Promise<void> {
    const gen = ++this.generation;
    this.zk = await Zk.connect(this.address.servers, { timeoutMs: COORDINATION_TIMEOUT_MS, onState: (s) => this.onState(s, gen) });
    this.connected = true;
  }

  async attach(ctx: { job: Job; layer: MigrationLayer; runName: string; config: ResolvedConfig; strategy: Strategy | undefined }): Promise<void> {
    const operator = ctx.layer.options.operator;
    const c = ctx.config;
    const strategy = ctx.strategy ?? {
      order: c.get('spector.reconfig.order_function'),
      syncKeys: c.get('spector.reconfig.sync_keys'),
      replicateFilter: c.get('spector.replicate_keys_filter'),
      hotRatio: c.get('spacker.replication.hot_ratio'),
      seed: c.get('spacker.seed'),
    };
    this.a = { job: ctx.job, layer: ctx.layer, id: jobIdOf(ctx.runName), operator, strategy, config: c, startedAt: new Date().toISOString() };
    await this.register('running');
    this.emit({ event: 'coordination', zookeeper: this.address.servers, root: this.address.root, job: this.a.id });
  }

  /** Writes the registry entry, the alive node, the requests folder and the current state; sets the watch. */
  private async register(status: string): Promise<void> {
    const a = this.a as Attached;
    const zk = this.zk as Zk;
    const r = this.address.root;
    await zk.mkdirp(requestsPath(r, a.id));
    await zk.put(jobPath(r, a.id), json({ id: a.id, operator: a.operator, status, pid: process.pid, startedAt: a.startedAt, updatedAt: new Date().toISOString() }));
    await zk.remove(alivePath(r, a.id));
    try {
      await zk.create(alivePath(r, a.id), json({ pid: process.pid }), CreateMode.EPHEMERAL);
    } catch (err) {
      if (!(err instanceof ZooKeeperError && err.zkCode === NODE_EXISTS)) throw err;
    }
    this.published.clear();
    await this.publish();
    await this.watchRequests();
  }

  private async watchRequests(): Promise<void> {
    const a = this.a;
    if (a === undefined || this.zk === undefined || this.closed) return;
    const zk = this.zk;
    const names = await zk.children(requestsPath(this.address.root, a.id), () => {
      if (this.connected && zk === this.zk) this.watchRequests().catch(() => undefined);
    });
    for (const n of names) {
      if (this.seen.has(n)) continue;
      this.seen.add(n);
      this.queue.push(n);
    }
  }

  private onState(s: ConnectionState, gen: number): void {
    if (this.closed || gen !== this.generation) return;
    if (s === 'disconnected' || s === 'expired') {
      if (this.connected) {
        this.connected = false;
        this.losses++;
        this.lostAtMs = performance.now();
        this.emit({ event: 'coordination_lost', zookeeper: this.address.servers, reason: s === 'expired' ? 'session expired' : 'disconnected' });
      }
      if (s === 'expired') this.reconnect();
      else if (this.stallTimer === undefined) {
        this.stallTimer = setTimeout(() => {
          this.stallTimer = undefined;
          if (!this.connected && !this.closed && gen === this.generation) this.reconnect();
        }, RECONNECT_AFTER_MS);
      }
      return;
    }
    if (!this.connected) this.restored();
  }

  /** A new session (the old one expired, or did not come back): retried every second until it works or the run ends. */
  private reconnect(): void {
    this.clearStallTimer();
    const gen = ++this.generation;
    this.zk?.close();
    this.zk = undefined;
    const attempt = (): void => {
      if (this.closed || gen !== this.generation) return;
      Zk.connect(this.address.servers, { timeoutMs: 2000, onState: (s) => this.onState(s, gen) }).then(
        (zk) => {
          if (this.closed || gen !== this.generation) return zk.close();
          this.zk = zk;
          this.restored();
        },
        () => setTimeout(attempt, 1000),
      );
    };
    attempt();
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  private restored(): void {
    this.clearStallTimer();
    this.connected = true;
    this.emit({ event: 'coordination_restored', zookeeper: this.address.servers, afterMs: Math.round(performance.now() - this.lostAtMs) });
    if (this.a !== undefined) this.register('running').catch((err) => this.emit({ event: 'coordination_error', message: oneLine(err) }));
  }

  tick(): void {
    if (!this.connected || this.a === undefined) return;
    void this.publish();
    if (!this.handling && this.queue.length > 0) {
      this.handling = true;
      const name = this.queue.shift() as string;
      this.handle(name)
        .catch((err) => this.emit({ event: 'coordination_error', request: name, message: oneLine(err) }))
        .finally(() => (this.handling = false));
    }
  }

  /** Writes the assignment and progress nodes when they changed since the last successful write. */
  private async publish(): Promise<void> {
    const a = this.a;
    const zk = this.zk;
    if (a === undefined || zk === undefined || this.writing || !this.connected) return;
    this.writing = true;
    try {
      const r = this.address.root;
      for (const [path, value] of [
        [assignmentPath(r, a.id), this.assignmentJson()],
        [progressPath(r, a.id), this.progressJson()],
      ] as const) {
        const text = JSON.stringify(value);
        if (this.published.get(path) === text) continue;
        await zk.put(path, Buffer.from(JSON.stringify({ ...value, updatedAt: new Date().toISOString() })));
        this.published.set(path, text);
      }
    } catch {
      // Retried at the next tick; a lost connection is reported by onState.
    } finally {
      this.writing = false;
    }
  }

  private assignmentJson(): Record<string, unknown> {
    const a = this.a as Attached;
    const asg = a.job.assignment(a.operator);
    return { operator: a.operator, maxParallelism: asg.maxParallelism, parallelism: asg.parallelism, assignment: asg.toMap() };
  }

  private progressJson(): Record<string, unknown> {
    const a = this.a as Attached;
    const st = a.layer.status();
    const migrations = st.finished;
    const state = st.state === 'idle' ? 'idle' : st.mechanism === 'restart' ? 'restarting' : 'migrating';
    const strategy = this.current?.strategy ?? a.strategy;
    const p = st.progress;
    return {
      state,
      migrations,
      losses: this.losses,
      ...(p === undefined
        ? {}
        : { current: { request: this.current?.request ?? 'scenario', mechanism: st.mechanism, unit: p.unit, chunk: p.done, chunks: p.total, strategy: { order: strategy.order, syncKeys: strategy.syncKeys, replicateFilter: strategy.replicateFilter } } }),
    };
  }

  private async handle(name: string): Promise<void> {
    const a = this.a as Attached;
    const zk = this.zk as Zk;
    const path = `${requestsPath(this.address.root, a.id)}/${name}`;
    const node = await zk.get(path);
    if (node === undefined) return;
    const req = parseJson(node.data) as ReconfigRequest | undefined;
    if (req === undefined || req.status !== 'pending') {
      if (req === undefined) await this.answer(path, node.version, { status: 'rejected', reason: 'the request is not valid JSON' }, {});
      return;
    }
    const asg = a.job.assignment(a.operator);
    const mechanism = a.config.get('spacker.strategy');
    const verdict = judgeRequest(req, { current: asg, maxParallelism: asg.maxParallelism, parallelism: asg.parallelism, context: this.context(asg), strategy: a.strategy, mechanism, busy: this.busyReason() }, name);
    if (!verdict.ok) {
      this.answered.rejected++;
      this.emit({ event: 'reconfig_rejected', request: name, reason: verdict.reason });
      await this.answer(path, node.version, { status: 'rejected', reason: verdict.reason }, req);
      return;
    }
    const version = await this.answer(path, node.version, { status: 'accepted' }, req);
    if (version === undefined) return; // withdrawn by its writer meanwhile
    this.answered.accepted++;
    this.current = { request: name, strategy: verdict.strategy };
    this.emit({ event: 'reconfig_accepted', request: name, mechanism: verdict.mechanism, order: verdict.strategy.order, syncKeys: verdict.strategy.syncKeys });
    try {
      // The layer plans with the rates it measured (hot-first, cold-first and hot replication need them).
      const report = await a.layer.request({ target: verdict.target, strategy: verdict.strategy }, verdict.mechanism);
      this.externalMigrations++;
      this.current = undefined;
      await this.publish();
      await this.answerLater(path, { ...req, status: 'done', report: { ...report } });
    } catch (err) {
      this.current = undefined;
      await this.answerLater(path, { ...req, status: 'failed', reason: oneLine(inConfigTerms(err)) });
      throw inConfigTerms(err);
    }
  }

  private context(asg: Assignment): ScenarioContext {
    const c = (this.a as Attached).config;
    return {
      maxParallelism: asg.maxParallelism,
      parallelism: asg.parallelism,
      affectedKeys: c.get('spector.reconfig.affected_keys'),
      affectedTasks: c.get('spector.reconfig.affected_tasks'),
      zipfSkew: c.get('spector.reconfig.workload.zipf_skew'),
      seed: c.get('spacker.seed'),
    };
  }

  private busyReason(): string | undefined {
    const a = this.a as Attached;
    const st = a.layer.status();
    const p = st.progress;
    if (st.mechanism === 'restart') return 'a restart is in progress; try again when it is done';
    if (st.state !== 'idle') return `a migration is in progress (${st.mechanism}${p === undefined ? '' : `, ${p.unit} ${p.done + 1} of ${p.total}`}); try again when it is done`;
    if (st.scenarioRunning) return `the job runs scenario '${a.config.get('spector.reconfig.scenario')}'; requests are taken once it has finished (or run the job with spector.reconfig.scenario=none)`;
    if (a.job.sourcesDone()) return 'the job has consumed all its input';
    if (!this.connected) return 'the job lost its ZooKeeper session; try again when it has reconnected';
    return undefined;
  }

  /** Writes the answer if the request is unchanged since read (version); undefined when another writer won. */
  private async answer(path: string, version: number, fields: Partial<ReconfigRequest>, req: object): Promise<number | undefined> {
    try {
      return await (this.zk as Zk).set(path, json({ ...req, ...fields, answeredAt: new Date().toISOString() }), version);
    } catch (err) {
      if (err instanceof ZooKeeperError && err.zkCode === BAD_VERSION) return undefined;
      throw err;
    }
  }

  /** The final answer of a request; waits out a connection loss (bounded) so that it is not lost. */
  private async answerLater(path: string, value: ReconfigRequest): Promise<void> {
    const deadline = performance.now() + 60_000;
    while (!this.closed && performance.now() < deadline) {
      if (this.connected && this.zk !== undefined) {
        try {
          await this.zk.set(path, json({ ...value, answeredAt: new Date().toISOString() }));
          return;
        } catch {
          // retried below
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async finish(status: 'finished' | 'failed'): Promise<void> {
    const a = this.a;
    if (a === undefined) return;
    // A final state worth waiting a little for: the last assignment and the job's status.
    const deadline = performance.now() + COORDINATION_TIMEOUT_MS;
    while (!this.connected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!this.connected || this.zk === undefined) {
      this.emit({ event: 'coordination_error', message: `could not write the final status '${status}': ZooKeeper unreachable` });
      return;
    }
    this.published.clear();
    while (this.writing) await new Promise((r) => setTimeout(r, 10));
    await this.publish();
    await this.zk.put(jobPath(this.address.root, a.id), json({ id: a.id, operator: a.operator, status, pid: process.pid, startedAt: a.startedAt, updatedAt: new Date().toISOString() }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearStallTimer();
    const zk = this.zk;
    if (zk !== undefined && this.connected && this.a !== undefined) await zk.remove(alivePath(this.address.root, this.a.id)).catch(() => undefined);
    zk?.close();
  }

  report(): Record<string, unknown> {
    return { zookeeper: this.address.servers, root: this.address.root, job: this.a?.id, losses: this.losses, connectedAtEnd: this.connected, requests: { ...this.answered }, externalMigrations: this.externalMigrations };
  }
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/[;\n]/g, ' ');
}

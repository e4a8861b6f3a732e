/**
 * A client for the REST API of a Flink 1.20 session cluster (issue 18), on node's global fetch. Every call
 * is bounded (AbortSignal.timeout): a cluster that is down or stuck is an error naming the call and the
 * endpoint within the bound, never a hang. Flink's JSON error bodies (`{"errors": [...]}`) become the
 * message, first line of each entry (the stack traces stay on `FlinkRestError.flinkErrors`).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError } from '../../../../engine/src/index.ts';

/** An HTTP error, an unreachable or silent cluster, a body that is not the JSON expected, a failed job. */
export class FlinkRestError extends EngineError {
  constructor(
    message: string,
    /** The HTTP status when the cluster answered with an error. */
    readonly status?: number,
    /** The `errors` array of Flink's error body, untrimmed (stack traces included). */
    readonly flinkErrors: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super('FLINK_REST', message, options);
  }
}

export type JobState =
  | 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED'
  | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';

const TERMINAL: readonly JobState[] = ['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED'];

export interface Overview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'jobs-finished': number;
  'jobs-cancelled': number;
  'jobs-failed': number;
  'flink-version': string;
  'flink-commit': string;
}

export interface JobSummary {
  jid: string;
  name: string;
  state: JobState;
  'start-time': number;
  'end-time': number;
  duration: number;
}

export interface JobVertex {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  status: string;
}

export interface JobDetails {
  jid: string;
  name: string;
  state: JobState;
  'start-time': number;
  duration: number;
  /** State name -> when the job last entered it (0 = never). */
  timestamps: Partial<Record<JobState, number>>;
  vertices: JobVertex[];
}

/** Per job vertex id: the adaptive scheduler's bounds on its parallelism. */
export type ResourceRequirements = Record<string, { parallelism: { lowerBound: number; upperBound: number } }>;

export interface CheckpointsSummary {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  /** The latest completed checkpoint, when there is one. */
  latestCompleted?: { id: number; externalPath: string; triggerTimestamp: number; stateSize: number; endToEndDuration: number };
}

export interface RunJarOptions {
  entryClass: string;
  parallelism: number;
  programArgs: readonly string[];
  savepointPath?: string;
  allowNonRestoredState?: boolean;
}

export interface FlinkRestOptions {
  /** Bound on every single call, ms (default 10 000). */
  timeoutMs?: number;
  /** Pause between polls in pollSavepoint/waitForJobState, ms (default 250). */
  pollIntervalMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `http(s)://host:port` with an optional path prefix; no query, no fragment, no credentials. */
export function parseRestUrl(input: string): string {
  const allowed = 'http(s)://HOST:PORT, e.g. http://127.0.0.1:8081';
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new FlinkRestError(`invalid Flink REST URL ${JSON.stringify(input)}: expected ${allowed}`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '' || u.port === '' || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    throw new FlinkRestError(`invalid Flink REST URL ${JSON.stringify(input)}: expected ${allowed} (an explicit port, no query, no credentials)`);
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** First line of each Flink error entry, joined; "Internal server error." + "<Exception on server side: ..." made readable. */
function errorText(errors: readonly string[]): string {
  return errors
    .map((e) => e.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== '<Exception on server side:').slice(0, 2).join(' '))
    .filter((s) => s !== '')
    .join('; ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class FlinkRest {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(baseUrl: string, o: FlinkRestOptions = {}) {
    this.baseUrl = parseRestUrl(baseUrl);
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.pollIntervalMs = o.pollIntervalMs ?? 250;
  }

  /** One bounded call; JSON in and out. `path` starts with '/'. */
  private async call(method: Method, path: string, body?: { json: unknown } | { form: FormData }): Promise<unknown> {
    const what = `Flink REST ${method} ${path.split('?')[0]} at ${this.baseUrl}`;
    let res: Response;
    let text: string;
    try {
      const init: RequestInit = { method, signal: AbortSignal.timeout(this.timeoutMs), headers: { Accept: 'application/json' } };
      if (body !== undefined && 'json' in body) {
        init.body = JSON.stringify(body.json);
        init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
      } else if (body !== undefined) init.body = body.form;
      res = await fetch(this.baseUrl + path, init);
      text = await res.text();
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new FlinkRestError(`${what}: did not answer within ${this.timeoutMs} ms`, undefined, [], { cause: err });
      const code = e.cause?.code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
        throw new FlinkRestError(`${what}: cannot reach the Flink cluster at ${this.baseUrl} (${code}; is it running? 'npm run services -- flink status')`, undefined, [], { cause: err });
      }
      throw new FlinkRestError(`${what}: ${(err as Error).message}${code === undefined ? '' : ` (${code})`}`, undefined, [], { cause: err });
    }
    let parsed: unknown;
    let parseError: unknown;
    if (text.trim() !== '') {
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        parseError = err;
      }
    }
    if (!res.ok) {
      const errors = isObject(parsed) && Array.isArray(parsed.errors) ? parsed.errors.map(String) : [];
      const detail = errors.length > 0 ? errorText(errors) : text.trim().slice(0, 200) || '(empty body)';
      throw new FlinkRestError(`${what}: ${res.status} ${res.statusText}: ${detail}`, res.status, errors);
    }
    if (parseError !== undefined) {
      throw new FlinkRestError(`${what}: ${res.status} with a body that is not JSON (${(parseError as Error).message}): ${text.slice(0, 120)}`, res.status, [], { cause: parseError });
    }
    return parsed;
  }

  /** Reads a field of the expected type, or names the call and the field in the error. */
  private field<T>(what: string, value: unknown, key: string, type: 'string' | 'number' | 'object'): T {
    const v = isObject(value) ? value[key] : undefined;
    if (type === 'object' ? !isObject(v) : typeof v !== type) {
      throw new FlinkRestError(`Flink REST ${what} at ${this.baseUrl}: answer without ${type} field '${key}': ${JSON.stringify(value)?.slice(0, 200)}`);
    }
    return v as T;
  }

  /** GET /overview: TaskManagers, slots, job counts, version. */
  async overview(): Promise<Overview> {
    const o = await this.call('GET', '/overview');
    this.field('GET /overview', o, 'slots-total', 'number');
    return o as Overview;
  }

  /** GET /config: the dashboard config (flink-version, refresh interval, features). */
  async config(): Promise<Record<string, unknown>> {
    const c = await this.call('GET', '/config');
    this.field('GET /config', c, 'flink-version', 'string');
    return c as Record<string, unknown>;
  }

  /** POST /jars/upload (multipart, field `jarfile`); returns the jar id (the last segment of `filename`). */
  async uploadJar(path: string): Promise<string> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new FlinkRestError(`Flink REST POST /jars/upload at ${this.baseUrl}: cannot read the jar ${path}: ${(err as Error).message}`, undefined, [], { cause: err });
    }
    const form = new FormData();
    form.append('jarfile', new Blob([bytes], { type: 'application/java-archive' }), basename(path));
    const r = await this.call('POST', '/jars/upload', { form });
    const filename = this.field<string>('POST /jars/upload', r, 'filename', 'string');
    return filename.split('/').pop() ?? filename;
  }

  /** POST /jars/:jarid/run; returns the job id. */
  async runJar(jarId: string, o: RunJarOptions): Promise<string> {
    const body: Record<string, unknown> = { entryClass: o.entryClass, parallelism: o.parallelism, programArgsList: [...o.programArgs] };
    if (o.savepointPath !== undefined) body.savepointPath = o.savepointPath;
    if (o.allowNonRestoredState !== undefined) body.allowNonRestoredState = o.allowNonRestoredState;
    const r = await this.call('POST', `/jars/${encodeURIComponent(jarId)}/run`, { json: body });
    return this.field<string>(`POST /jars/${jarId}/run`, r, 'jobid', 'string');
  }

  /** DELETE /jars/:jarid. */
  async deleteJar(jarId: string): Promise<void> {
    await this.call('DELETE', `/jars/${encodeURIComponent(jarId)}`);
  }

  /** GET /jobs/overview: every job the cluster knows, with its state. */
  async listJobs(): Promise<JobSummary[]> {
    const r = await this.call('GET', '/jobs/overview');
    if (!isObject(r) || !Array.isArray(r.jobs)) throw new FlinkRestError(`Flink REST GET /jobs/overview at ${this.baseUrl}: answer without a 'jobs' array`);
    return r.jobs as JobSummary[];
  }

  /** GET /jobs/:jobid: state, timestamps, vertices with their parallelism. */
  async job(jobId: string): Promise<JobDetails> {
    const r = await this.call('GET', `/jobs/${encodeURIComponent(jobId)}`);
    this.field(`GET /jobs/${jobId}`, r, 'state', 'string');
    if (!isObject(r) || !Array.isArray(r.vertices)) throw new FlinkRestError(`Flink REST GET /jobs/${jobId} at ${this.baseUrl}: answer without a 'vertices' array`);
    return r as unknown as JobDetails;
  }

  /**
   * GET /jobs/:jobid/exceptions: the root exception's text, or undefined when there is none. Flink 1.20
   * leaves the deprecated `root-exception` null and puts the failures in `exceptionHistory.entries`
   * (newest first); both are read.
   */
  async jobException(jobId: string): Promise<string | undefined> {
    const r = await this.call('GET', `/jobs/${encodeURIComponent(jobId)}/exceptions`);
    if (!isObject(r)) return undefined;
    if (typeof r['root-exception'] === 'string' && r['root-exception'] !== '') return r['root-exception'];
    const history = isObject(r.exceptionHistory) && Array.isArray(r.exceptionHistory.entries) ? r.exceptionHistory.entries : [];
    const first: unknown = history[0];
    if (isObject(first) && typeof first.stacktrace === 'string') return first.stacktrace;
    return undefined;
  }

  /** POST /jobs/:jobid/stop (stop with a savepoint); returns the trigger id for pollSavepoint. */
  async stopWithSavepoint(jobId: string, targetDirectory: string, o: { drain?: boolean } = {}): Promise<string> {
    const r = await this.call('POST', `/jobs/${encodeURIComponent(jobId)}/stop`, { json: { targetDirectory, drain: o.drain ?? false } });
    return this.field<string>(`POST /jobs/${jobId}/stop`, r, 'request-id', 'string');
  }

  /**
   * GET /jobs/:jobid/savepoints/:triggerid until COMPLETED (bounded by `timeoutMs`): the savepoint's
   * location, or a FlinkRestError carrying Flink's failure-cause.
   */
  async pollSavepoint(jobId: string, triggerId: string, o: { timeoutMs: number }): Promise<string> {
    const what = `GET /jobs/${jobId}/savepoints/${triggerId}`;
    const deadline = Date.now() + o.timeoutMs;
    for (;;) {
      const r = await this.call('GET', `/jobs/${encodeURIComponent(jobId)}/savepoints/${encodeURIComponent(triggerId)}`);
      const status = this.field<{ id?: unknown }>(what, r, 'status', 'object');
      if (status.id === 'COMPLETED') {
        const op = isObject(r) && isObject(r.operation) ? r.operation : {};
        if (typeof op.location === 'string') return op.location;
        const cause = isObject(op['failure-cause']) ? op['failure-cause'] : {};
        const trace = typeof cause['stack-trace'] === 'string' ? cause['stack-trace'] : JSON.stringify(cause);
        throw new FlinkRestError(`Flink REST ${what} at ${this.baseUrl}: the savepoint failed: ${trace.split('\n')[0]}`, undefined, [trace]);
      }
      if (Date.now() + this.pollIntervalMs > deadline) {
        throw new FlinkRestError(`Flink REST ${what} at ${this.baseUrl}: savepoint still ${String(status.id)} after ${o.timeoutMs} ms`);
      }
      await sleep(this.pollIntervalMs);
    }
  }

  /** PATCH /jobs/:jobid?mode=cancel (202: accepted; the job goes CANCELLING, then CANCELED). */
  async cancel(jobId: string): Promise<void> {
    await this.call('PATCH', `/jobs/${encodeURIComponent(jobId)}?mode=cancel`);
  }

  /** GET /jobs/:jobid/resource-requirements (adaptive scheduler only). */
  async resourceRequirements(jobId: string): Promise<ResourceRequirements> {
    const r = await this.call('GET', `/jobs/${encodeURIComponent(jobId)}/resource-requirements`);
    if (!isObject(r)) throw new FlinkRestError(`Flink REST GET /jobs/${jobId}/resource-requirements at ${this.baseUrl}: answer is not an object`);
    return r as ResourceRequirements;
  }

  /**
   * PUT /jobs/:jobid/resource-requirements: new per-vertex bounds (every vertex of the job). The adaptive
   * scheduler answers at once; the rescale itself (a restart from the latest checkpoint) follows.
   */
  async putResourceRequirements(jobId: string, requirements: ResourceRequirements): Promise<void> {
    await this.call('PUT', `/jobs/${encodeURIComponent(jobId)}/resource-requirements`, { json: requirements });
  }

  /** GET /jobs/:jobid/vertices/:vertexid/metrics?get=a,b: name -> value (Flink sends strings; unknown names are left out). */
  async vertexMetrics(jobId: string, vertexId: string, names: readonly string[]): Promise<Record<string, string>> {
    const path = `/jobs/${encodeURIComponent(jobId)}/vertices/${encodeURIComponent(vertexId)}/metrics?get=${names.map(encodeURIComponent).join(',')}`;
    const r = await this.call('GET', path);
    if (!Array.isArray(r)) throw new FlinkRestError(`Flink REST GET /jobs/${jobId}/vertices/${vertexId}/metrics at ${this.baseUrl}: answer is not an array`);
    const out: Record<string, string> = {};
    for (const m of r) if (isObject(m) && typeof m.id === 'string' && m.value !== undefined) out[m.id] = String(m.value);
    return out;
  }

  /** GET /jobs/:jobid/checkpoints: counts and the latest completed checkpoint. */
  async checkpoints(jobId: string): Promise<CheckpointsSummary> {
    const what = `GET /jobs/${jobId}/checkpoints`;
    const r = await this.call('GET', `/jobs/${encodeURIComponent(jobId)}/checkpoints`);
    const counts = this.field<CheckpointsSummary['counts']>(what, r, 'counts', 'object');
    const latest = isObject(r) && isObject(r.latest) && isObject(r.latest.completed) ? r.latest.completed : undefined;
    const out: CheckpointsSummary = { counts };
    if (latest !== undefined) {
      out.latestCompleted = {
        id: Number(latest.id),
        externalPath: String(latest.external_path),
        triggerTimestamp: Number(latest.trigger_timestamp),
        stateSize: Number(latest.state_size),
        endToEndDuration: Number(latest.end_to_end_duration),
      };
    }
    return out;
  }

  /**
   * Polls GET /jobs/:jobid until the job is in one of `states` (bounded). A job that ends in another
   * terminal state fails at once; when it FAILED the error carries the root exception from /exceptions. So
   * does a job FAILING or RESTARTING after a failure (with checkpoints on, Flink's default restart strategy
   * retries forever): waiting for it to run would only time out.
   */
  async waitForJobState(jobId: string, states: readonly JobState[], timeoutMs: number): Promise<JobDetails> {
    const deadline = Date.now() + timeoutMs;
    let last: JobState | undefined;
    for (;;) {
      const j = await this.job(jobId);
      last = j.state;
      if (states.includes(j.state)) return j;
      if (TERMINAL.includes(j.state)) {
        let root: string | undefined;
        if (j.state === 'FAILED') root = await this.jobException(jobId).catch(() => undefined);
        throw new FlinkRestError(
          `Flink job ${jobId} at ${this.baseUrl} is ${j.state}, not ${states.join('/')}${root === undefined ? '' : `: ${root.split('\n')[0]}`}`,
          undefined,
          root === undefined ? [] : [root],
        );
      }
      if ((j.state === 'RESTARTING' || j.state === 'FAILING') && !states.includes(j.state)) {
        const root = await this.jobException(jobId).catch(() => undefined);
        if (root !== undefined) throw new FlinkRestError(`Flink job ${jobId} at ${this.baseUrl} is ${j.state} after a failure, not ${states.join('/')}: ${root.split('\n')[0]}`, undefined, [root]);
      }
      if (Date.now() + this.pollIntervalMs > deadline) {
        throw new FlinkRestError(`Flink job ${jobId} at ${this.baseUrl} still ${last} after ${timeoutMs} ms (waited for ${states.join('/')})`);
      }
      await sleep(this.pollIntervalMs);
    }
  }
}

/**
 * The other side of the control plane, for `spacker reconfigure` and `spacker status` run from any process:
 * reads the registry, writes a reconfiguration request for a running job and waits (bounded) for its answer.
 */
import { EngineError } from '../../../../engine/src/index.ts';
import type { ZooKeeperAddress } from '../endpoint.ts';
import { alivePath, assignmentPath, isJobId, jobPath, jobsPath, progressPath, requestsPath, type ReconfigRequest } from './layout.ts';
import { BAD_VERSION, CreateMode, json, parseJson, Zk, ZooKeeperError } from './zk.ts';

/** A job id that does not exist, a job that cannot take a request, a request refused or not answered. */
export class ControlPlaneError extends EngineError {
  constructor(message: string) {
    super('CONTROL_PLANE', message);
  }
}

export interface JobStatus {
  id: string;
  registry: Record<string, unknown> | undefined;
  alive: boolean;
  assignment: { operator: string; maxParallelism: number; parallelism: number; assignment: number[][] } | undefined;
  progress: Record<string, unknown> | undefined;
  requests: { name: string; request: ReconfigRequest | undefined }[];
}

export async function withControlPlane<T>(address: ZooKeeperAddress, timeoutMs: number, run: (zk: Zk) => Promise<T>): Promise<T> {
  const zk = await Zk.connect(address.servers, { timeoutMs });
  try {
    return await run(zk);
  } finally {
    zk.close();
  }
}

export async function jobIds(zk: Zk, address: ZooKeeperAddress): Promise<string[]> {
  return zk.children(jobsPath(address.root));
}

/** The status of one job; a clear error naming the jobs there when `id` is not one of them. */
export async function jobStatus(zk: Zk, address: ZooKeeperAddress, id: string): Promise<JobStatus> {
  await requireJob(zk, address, id);
  const r = address.root;
  const [registry, alive, assignment, progress, names] = await Promise.all([
    zk.get(jobPath(r, id)),
    zk.exists(alivePath(r, id)),
    zk.get(assignmentPath(r, id)),
    zk.get(progressPath(r, id)),
    zk.children(requestsPath(r, id)),
  ]);
  const requests = await Promise.all(names.map(async (name) => ({ name, request: parseJson((await zk.get(`${requestsPath(r, id)}/${name}`))?.data) as ReconfigRequest | undefined })));
  return {
    id,
    registry: parseJson(registry?.data) as Record<string, unknown> | undefined,
    alive,
    assignment: parseJson(assignment?.data) as JobStatus['assignment'],
    progress: parseJson(progress?.data) as Record<string, unknown> | undefined,
    requests,
  };
}

async function requireJob(zk: Zk, address: ZooKeeperAddress, id: string): Promise<void> {
  if (!isJobId(id) || !(await zk.exists(jobPath(address.root, id)))) {
    const ids = await jobIds(zk, address);
    throw new ControlPlaneError(`no job '${id}' under zookeeper://${address.servers}${address.root} (jobs there: ${ids.length ? ids.join(', ') : 'none'})`);
  }
}

/**
 * Writes a request for a running job and waits for the job's answer. Resolves with the final request node
 * (status done); throws ControlPlaneError when the job cannot take it, refuses it (with the job's reason),
 * fails it, or does not answer within `timeoutMs` (the request is then withdrawn).
 */
export async function reconfigure(
  zk: Zk,
  address: ZooKeeperAddress,
  id: string,
  body: { target?: unknown; scenario?: string; mechanism?: string; strategy?: Record<string, unknown> },
  o: { timeoutMs: number; onUpdate?: (r: ReconfigRequest, progress: Record<string, unknown> | undefined) => void },
): Promise<ReconfigRequest> {
  await requireJob(zk, address, id);
  const r = address.root;
  const registry = parseJson((await zk.get(jobPath(r, id)))?.data) as { status?: string } | undefined;
  if (registry?.status !== 'running') throw new ControlPlaneError(`job '${id}' is not running (status: ${registry?.status ?? 'unknown'}); it takes no request`);
  if (!(await zk.exists(alivePath(r, id)))) throw new ControlPlaneError(`job '${id}' has no live ZooKeeper session (it lost the connection or stopped); try again when it has reconnected`);
  const path = await zk.create(`${requestsPath(r, id)}/req-`, json({ ...body, status: 'pending', requestedAt: new Date().toISOString() }), CreateMode.PERSISTENT_SEQUENTIAL);
  const deadline = performance.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    const node = await zk.get(path);
    const req = parseJson(node?.data) as ReconfigRequest | undefined;
    if (node !== undefined && req !== undefined) {
      if (req.status !== last) {
        last = req.status;
        o.onUpdate?.(req, undefined);
      } else if (req.status === 'accepted') o.onUpdate?.(req, parseJson((await zk.get(progressPath(r, id)))?.data) as Record<string, unknown> | undefined);
      if (req.status === 'done') return req;
      if (req.status === 'rejected') throw new ControlPlaneError(`job '${id}' rejected the request ${path}: ${req.reason ?? 'no reason given'}`);
      if (req.status === 'failed') throw new ControlPlaneError(`the migration of request ${path} failed in job '${id}': ${req.reason ?? 'no reason given'}`);
      if (performance.now() > deadline) {
        if (req.status === 'pending') {
          try {
            await zk.set(path, json({ ...req, status: 'withdrawn', reason: `no answer within ${o.timeoutMs} ms` }), node.version);
            throw new ControlPlaneError(`job '${id}' did not answer request ${path} within ${o.timeoutMs} ms; the request was withdrawn`);
          } catch (err) {
            if (!(err instanceof ZooKeeperError && err.zkCode === BAD_VERSION)) throw err;
            continue; // the job answered meanwhile
          }
        }
        throw new ControlPlaneError(`request ${path} was accepted by job '${id}' but not done within ${o.timeoutMs} ms; see 'spacker status'`);
      }
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}

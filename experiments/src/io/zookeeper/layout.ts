/**
 * Where the control plane keeps what in ZooKeeper, under the root of `zookeeper://HOST:PORT/root`:
 *   <root>/jobs/<id>             {id, run, operator, status: running|finished|failed, pid, startedAt, updatedAt}
 *   <root>/jobs/<id>/alive       ephemeral: present while the job's session is
 *   <root>/jobs/<id>/assignment  {operator, maxParallelism, parallelism, assignment: [[kg, ...], ...], updatedAt}
 *   <root>/jobs/<id>/progress    {state: idle|migrating|restarting, connected, migrations, current?: {request?,
 *                                 chunk, chunks, strategy}, last?: {...}, updatedAt}
 *   <root>/jobs/<id>/requests/req-<seq>  written by `spacker reconfigure`: {target | scenario, strategy?, status:
 *                                 pending}; the job writes back status accepted|rejected|done|failed and a reason
 * Pure: paths and the shapes of the nodes' JSON.
 */

export const jobsPath = (root: string): string => `${root}/jobs`;
export const jobPath = (root: string, id: string): string => `${root}/jobs/${id}`;
export const alivePath = (root: string, id: string): string => `${jobPath(root, id)}/alive`;
export const assignmentPath = (root: string, id: string): string => `${jobPath(root, id)}/assignment`;
export const progressPath = (root: string, id: string): string => `${jobPath(root, id)}/progress`;
export const requestsPath = (root: string, id: string): string => `${jobPath(root, id)}/requests`;

export type RequestStatus = 'pending' | 'accepted' | 'rejected' | 'done' | 'failed' | 'withdrawn';

/** A reconfiguration request as `spacker reconfigure` writes it (target: the JSON of a target-assignment file). */
export interface ReconfigRequest {
  readonly target?: unknown;
  readonly scenario?: string;
  /** Strategy fields for this migration (order, syncKeys, replicateFilter, hotRatio); default: the job's. */
  readonly strategy?: Record<string, unknown>;
  /** A registered migration mechanism for this migration; default: the job's (spacker.strategy). */
  readonly mechanism?: string;
  readonly status: RequestStatus;
  readonly reason?: string;
  readonly report?: Record<string, unknown>;
  readonly requestedAt?: string;
  readonly answeredAt?: string;
}

/** A job id: letters, digits, '_', '.', '-' (a ZooKeeper node name of ours). */
export function isJobId(id: string): boolean {
  return /^[A-Za-z0-9_.-]{1,200}$/.test(id) && id !== '.' && id !== '..';
}

/** The job id a run gets: its run name with every other character replaced by '_'. */
export function jobIdOf(runName: string): string {
  return runName.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 200) || 'job';
}

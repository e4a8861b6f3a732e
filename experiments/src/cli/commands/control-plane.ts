/**
 * `spacker reconfigure --coordination zookeeper://... --job ID (--target FILE | --scenario NAME)` and
 * `spacker status --coordination zookeeper://... [--job ID] [--json]`: the ZooKeeper control plane seen from
 * another process. A running job started with --set spacker.coordination=<the same URL> takes the request.
 */
import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidConfigError, IoError, MECHANISM_NAMES, SCENARIO_NAMES } from '../../../../engine/src/index.ts';
import { parseZooKeeperUrl } from '../../io/endpoint.ts';
import { jobIds, jobStatus, reconfigure, withControlPlane, type JobStatus } from '../../io/zookeeper/control-client.ts';

interface ReconfigureArgs {
  coordination: string;
  job: string;
  target?: string;
  scenario?: string;
  mechanism?: string;
  order?: string;
  'sync-keys'?: number;
  'replicate-filter'?: number;
  timeout: number;
}

export const reconfigureCommand: CommandModule<object, ReconfigureArgs> = {
  command: 'reconfigure',
  describe: 'ask a running job (through ZooKeeper) to migrate to a target assignment or a scenario',
  builder: (y) =>
    y
      .option('coordination', { type: 'string', demandOption: true, describe: 'zookeeper://HOST:PORT/path (the job\'s spacker.coordination)' })
      .option('job', { type: 'string', demandOption: true, describe: 'job id (see spacker status)' })
      .option('target', { type: 'string', describe: 'JSON target assignment file (as spacker.reconfig.target_file)' })
      .option('scenario', { type: 'string', describe: `scenario whose first phase to run: ${SCENARIO_NAMES.join(', ')}` })
      .option('mechanism', { type: 'string', choices: MECHANISM_NAMES, describe: 'migration mechanism for this migration (default: the job\'s spacker.strategy)' })
      .option('order', { type: 'string', describe: 'order function for this migration (default: the job\'s)' })
      .option('sync-keys', { type: 'number', describe: 'key groups per source subtask per chunk (0 = all at once)' })
      .option('replicate-filter', { type: 'number', describe: 'replicate kg % f == 0 (0 = none)' })
      .option('timeout', { type: 'number', default: 60000, describe: 'ms to wait for the job to answer and finish' })
      .check((a) => {
        if ((a.target === undefined) === (a.scenario === undefined)) throw new Error('give exactly one of --target FILE and --scenario NAME');
        return true;
      }),
  handler: async (args) => {
    const address = parseZooKeeperUrl(args.coordination, '--coordination');
    if (!Number.isInteger(args.timeout) || args.timeout < 100) throw new InvalidConfigError('--timeout', args.timeout, 'a whole number of ms >= 100');
    const body: { target?: unknown; scenario?: string; mechanism?: string; strategy?: Record<string, unknown> } = {};
    if (args.target !== undefined) body.target = readTarget(args.target);
    if (args.scenario !== undefined) body.scenario = args.scenario;
    if (args.mechanism !== undefined) body.mechanism = args.mechanism;
    const strategy: Record<string, unknown> = {};
    if (args.order !== undefined) strategy.order = args.order;
    if (args['sync-keys'] !== undefined) strategy.syncKeys = args['sync-keys'];
    if (args['replicate-filter'] !== undefined) strategy.replicateFilter = args['replicate-filter'];
    if (Object.keys(strategy).length > 0) body.strategy = strategy;
    const done = await withControlPlane(address, 5000, (zk) =>
      reconfigure(zk, address, args.job, body, {
        timeoutMs: args.timeout,
        onUpdate: (req, progress) => {
          if (progress === undefined) console.log(`request ${req.status}`);
          else {
            const c = progress.current as { chunk?: number; chunks?: number; unit?: string; mechanism?: string } | undefined;
            if (c?.chunks !== undefined) console.log(`migrating${c.mechanism === undefined ? '' : ` (${c.mechanism})`}: ${c.unit ?? 'chunk'} ${(c.chunk ?? 0) + 1} of ${c.chunks}`);
          }
        },
      }),
    );
    const rep = done.report ?? {};
    console.log(`done: ${rep.keyGroups ?? '?'} key groups in ${rep.chunks ?? '?'} chunk(s), completion ${typeof rep.completionMs === 'number' ? rep.completionMs.toFixed(1) : '?'} ms`);
  },
};

function readTarget(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (cause) {
    throw new IoError(resolve(file), `cannot read the target assignment (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new IoError(resolve(file), `not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

interface StatusArgs {
  coordination: string;
  job?: string;
  json: boolean;
}

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'print the jobs, assignments and plan progress kept in ZooKeeper',
  builder: (y) =>
    y
      .option('coordination', { type: 'string', demandOption: true, describe: 'zookeeper://HOST:PORT/path' })
      .option('job', { type: 'string', describe: 'only this job' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: async (args) => {
    const address = parseZooKeeperUrl(args.coordination, '--coordination');
    const all = await withControlPlane(address, 5000, async (zk) => {
      const ids = args.job !== undefined ? [args.job] : await jobIds(zk, address);
      const out: JobStatus[] = [];
      for (const id of ids) out.push(await jobStatus(zk, address, id));
      return out;
    });
    if (args.json) {
      console.log(JSON.stringify(all, null, 2));
      return;
    }
    if (all.length === 0) console.log(`no jobs under zookeeper://${address.servers}${address.root}`);
    for (const s of all) console.log(formatStatus(s));
  },
};

function formatStatus(s: JobStatus): string {
  const lines = [`job ${s.id}: ${String(s.registry?.status ?? 'unknown')}${s.alive ? ' (session alive)' : ' (no live session)'}`];
  if (s.assignment !== undefined) {
    lines.push(`  assignment of '${s.assignment.operator}' (${s.assignment.maxParallelism} key groups over ${s.assignment.parallelism} subtasks):`);
    s.assignment.assignment.forEach((kgs, i) => lines.push(`    subtask ${i}: ${kgs.length} key groups ${ranges(kgs)}`));
  }
  const p = s.progress;
  if (p !== undefined) {
    const c = p.current as { request?: string; chunk?: number; chunks?: number; strategy?: Record<string, unknown> } | undefined;
    lines.push(`  progress: ${String(p.state)}, ${String(p.migrations)} migration(s) done, ${String(p.losses ?? 0)} ZooKeeper outage(s)`);
    if (c !== undefined) lines.push(`    plan of ${c.request}: chunk ${(c.chunk ?? 0) + 1} of ${c.chunks}, strategy ${JSON.stringify(c.strategy)}`);
  }
  for (const r of s.requests.slice(-5)) lines.push(`  request ${r.name}: ${r.request?.status ?? 'unreadable'}${r.request?.reason ? ` (${r.request.reason})` : ''}`);
  return lines.join('\n');
}

/** `[0-63, 128-191]`: key groups as ranges. */
function ranges(kgs: readonly number[]): string {
  const sorted = [...kgs].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.length > 12 ? `[${parts.slice(0, 12).join(', ')}, ...]` : `[${parts.join(', ')}]`;
}

/**
 * The steps of one Spacker-on-Flink run as data, in order (the reference's config.sh: configFlink, runFlink,
 * `flink run` in the background, sleep runtime + 10 s, stopFlink, analyze): write the run's conf dir, start the
 * cluster, wait until its REST overview shows every TaskManager (instead of the reference's fixed sleep),
 * run the job, stop the cluster (always), collect the `.output` logs into the run folder. Pure: the executor
 * (execute.ts) does the I/O.
 */
import { join } from 'node:path';
import { confEntries, parseFlink18Conf, profileKeys, renderFlinkConf, renderSlaves } from './flink-conf.ts';
import type { SofPlan } from './plan.ts';

/** Flink 1.8's defaults for the ports the cluster binds (jobmanager.rpc.port, rest.port). */
const DEFAULT_PORTS = { 'jobmanager.rpc.port': 6123, 'rest.port': 8081 } as const;

/** Files of the build's conf/ that the run renders itself instead of copying. */
export const RENDERED_FILES = ['flink-conf.yaml', 'slaves'] as const;

export type SofStep =
  | { readonly step: 'write-conf'; readonly dir: string; readonly copyFrom: string; readonly files: readonly { name: string; text: string }[] }
  | { readonly step: 'start-cluster'; readonly command: string; readonly args: readonly string[]; readonly timeoutMs: number }
  | { readonly step: 'wait-ready'; readonly url: string; readonly taskManagers: number; readonly slotsNeeded: number; readonly timeoutMs: number }
  | { readonly step: 'run-job'; readonly command: string; readonly args: readonly string[]; readonly waitMs: number }
  | { readonly step: 'stop-cluster'; readonly command: string; readonly args: readonly string[]; readonly timeoutMs: number }
  | { readonly step: 'collect'; readonly from: string; readonly to: string };

export type SofStepName = SofStep['step'];

export interface SofSteps {
  /** Set for every command (besides the harness's own environment): where Flink reads its conf, writes logs and pids. */
  readonly env: Readonly<Record<string, string>>;
  /** The ports the cluster will bind, with the key that sets each (checked free before starting). */
  readonly ports: readonly { key: string; host: string; port: number }[];
  readonly steps: readonly SofStep[];
}

export interface SofTimeouts {
  /** Bound on bin/start-cluster.sh (it only launches the daemons). */
  startMs: number;
  /** Bound on the REST overview showing every TaskManager. */
  readyMs: number;
  /** Bound on bin/stop-cluster.sh. */
  stopMs: number;
  /** After the job's runtime, how long `flink run` may still take (the reference sleeps runtime + 10 s). */
  graceMs: number;
}

export const DEFAULT_TIMEOUTS: SofTimeouts = { startMs: 60_000, readyMs: 90_000, stopMs: 60_000, graceMs: 10_000 };

/** The steps of `plan` writing into the run folder `runDir` (the temporary folder the run writes). */
export function planSofSteps(plan: SofPlan, runDir: string, timeouts: SofTimeouts = DEFAULT_TIMEOUTS): SofSteps {
  const dir = { conf: join(runDir, 'conf'), log: join(runDir, 'log'), pid: join(runDir, 'pid'), exp: join(runDir, 'spector') };
  const flinkConf = renderFlinkConf(plan.profile.text, confEntries(plan.config, profileKeys(plan.profile.text), dir.exp), plan.profile.source);
  const read = parseFlink18Conf(flinkConf);
  const host = read.get('rest.address') ?? read.get('jobmanager.rpc.address') ?? 'localhost';
  const ports = (Object.keys(DEFAULT_PORTS) as (keyof typeof DEFAULT_PORTS)[]).map((key) => ({ key, host, port: Number(read.get(key) ?? DEFAULT_PORTS[key]) }));
  const restPort = ports.find((p) => p.key === 'rest.port')!.port;
  const bin = (s: string): string => join(plan.home, 'bin', s);
  return {
    env: { FLINK_CONF_DIR: dir.conf, FLINK_LOG_DIR: dir.log, FLINK_PID_DIR: dir.pid },
    ports,
    steps: [
      { step: 'write-conf', dir: dir.conf, copyFrom: join(plan.home, 'conf'), files: [{ name: 'flink-conf.yaml', text: flinkConf }, { name: 'slaves', text: renderSlaves(plan.taskManagers) }] },
      { step: 'start-cluster', command: bin('start-cluster.sh'), args: [], timeoutMs: timeouts.startMs },
      // With slot sharing the job's tasks need as many slots as its widest operator.
      { step: 'wait-ready', url: `http://${host}:${restPort}/overview`, taskManagers: plan.taskManagers, slotsNeeded: Math.max(plan.config.get('spacker.parallelism'), plan.config.get('spacker.source_parallelism')), timeoutMs: timeouts.readyMs },
      { step: 'run-job', command: bin('flink'), args: ['run', '-c', plan.job.entryClass, plan.jar, ...plan.jobArgs], waitMs: plan.runtimeS * 1000 + timeouts.graceMs },
      { step: 'stop-cluster', command: bin('stop-cluster.sh'), args: [], timeoutMs: timeouts.stopMs },
      { step: 'collect', from: dir.exp, to: runDir },
    ],
  };
}

/** A step as one shell-like line for messages and the run's record. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w./:=,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

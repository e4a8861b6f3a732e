/**
 * Before a measured run, the same job and migration at a tiny scale on a manual clock: every code path the
 * run's migration takes (barriers, alignment, holding, snapshot, transfer, install, drain, checkpoints,
 * replication or restart) is compiled before it matters. Without it the first migration of a run pays for
 * compiling them, milliseconds during which every record waits on the one thread all tasks share.
 */
import { Job, ManualClock } from '../../../engine/src/index.ts';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.ts';
import { migrationSetup, TimerLog } from './migration-setup.ts';
import type { BuiltJob } from './run-job.ts';

/** Most wall time the warm-up takes, ms. */
const WARM_UP_BUDGET_MS = 1000;

/** The run's configuration, shrunk to a second of input over small state, with its migration at 0.4 s. */
function tiny(config: ResolvedConfig): ResolvedConfig {
  const checkpoints = config.get('spacker.checkpoint.interval') > 0;
  return resolveConfig([
    { source: 'run', values: config.toJSON() },
    {
      source: 'warm-up',
      values: {
        'spacker.runtime': 1,
        'spacker.rate.per_task': Math.min(400, config.get('spacker.rate.per_task')),
        'spacker.workload.n_keys': Math.min(256, config.get('spacker.workload.n_keys')),
        'spacker.workload.per_key_size': Math.min(64, config.get('spacker.workload.per_key_size')),
        'spacker.workload.preload': false,
        'spacker.checkpoint.interval': checkpoints ? 100 : 0,
        'spector.reconfig.start': 400,
        'spector.reconfig.affected_keys': Math.min(64, config.get('spector.reconfig.affected_keys')),
        'spacker.time_scale': 0.005,
        'spacker.output.latency_log': false,
        'spacker.output.spector': false,
      },
    },
  ]);
}

/**
 * Runs the tiny version of the run to its end; says whether it ended, how many migrations ran and how long it
 * took. A failure is returned, not thrown: the measured run does not depend on the warm-up (and fails on its
 * own if its configuration is wrong); the run's events.csv records either.
 */
export type WarmUpResult = { done: boolean; migrations: number; ms: number } | { skipped: string };

export function warmUp(config: ResolvedConfig, build: (config: ResolvedConfig) => BuiltJob): WarmUpResult {
  const t0 = performance.now();
  try {
    const small = tiny(config);
    const built = build(small);
    // A job fed from outside (Kafka) has nothing to replay on a manual clock.
    if (built.prepare !== undefined) return { skipped: 'the job reads its input from outside the process' };
    const clock = new ManualClock(0);
    const job = new Job(built.graph, {
      clock,
      taskManagers: small.get('spacker.task_managers'),
      channelCapacity: small.get('spacker.channel.capacity'),
      checkpointIntervalMs: small.get('spacker.checkpoint.interval'),
    });
    const layer = job.attachMigration({ ...migrationSetup(small, built.graph), timers: new TimerLog() });
    // Bounded in wall time too: a large scenario (a rescale of 32,768 key groups) compiles its paths early on.
    for (let ms = 0; ms < 5_000 && !job.done && performance.now() - t0 < WARM_UP_BUDGET_MS; ms++) {
      job.runUntilIdle();
      clock.advance(1);
    }
    return { done: job.done, migrations: layer.controller?.reports.length ?? 0, ms: performance.now() - t0 };
  } catch (err) {
    return { skipped: err instanceof Error ? err.message : String(err) };
  }
}

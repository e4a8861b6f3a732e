/**
 * `spacker job <name> [--set key=value ...] [--out DIR] [--name RUN]`: runs one job and writes one results
 * folder `<out>/<name>/<run>/`. Every key is validated before anything is written.
 */
import type { CommandModule } from 'yargs';
import { resolve } from 'node:path';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import { parseSetArgs } from '../../config/parse.ts';
import { resolveConfig } from '../../config/resolve.ts';
import { JOBS, jobNamed } from '../../jobs/index.ts';
import { assertWritableFolder } from '../../results/run-folder.ts';
import { runJob } from '../../run/run-job.ts';
import { migrationSetup } from '../../run/migration-setup.ts';
import { jobProgress } from '../progress.ts';
import { flinkPlan } from '../../flink/flink-plan.ts';
import { runFlinkJob } from '../../flink/flink-run.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { spackerOnFlinkJob } from './job-spacker-on-flink.ts';

interface JobArgs {
  name: string;
  set: string[];
  out: string;
  run?: string;
  profile?: string;
}

export const jobCommand: CommandModule<object, JobArgs> = {
  command: 'job <name>',
  describe: 'run one job and write one results folder',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: `job: ${JOBS.map((j) => j.name).join(', ')}` })
      .option('set', { type: 'string', array: true, default: [], describe: 'configuration override key=value (repeatable)' })
      .option('out', { type: 'string', default: 'results', describe: 'results root; the run goes to <out>/<job>/<run>' })
      .option('run', { type: 'string', describe: 'run folder name (default: from the parameters and the time)' })
      .option('profile', { type: 'string', describe: 'spacker.engine=spacker-on-flink: the profile under flink-conf/ its flink-conf.yaml starts from (default conf-server)' })
      .example('$0 job micro-benchmark --set spacker.runtime=20 --set spacker.rate.per_task=2000', ''),
  handler: async (args) => {
    const def = jobNamed(args.name);
    if (def === undefined) throw new InvalidConfigError('job', args.name, `one of: ${JOBS.map((j) => j.name).join(', ')}`);
    const sets = parseSetArgs(args.set);
    if (sets.values['spacker.engine'] === 'spacker-on-flink') {
      await spackerOnFlinkJob({ ...args, job: def.name, runName: (c) => `sof-${def.runName(c)}-${timestamp()}` });
      return;
    }
    if (args.profile !== undefined) throw new InvalidConfigError('--profile', args.profile, 'only with spacker.engine=spacker-on-flink (spacker run takes a profile for its families)');
    const config = resolveConfig([sets]);
    if (config.get('spacker.engine') === 'flink') {
      await flinkJob(def.name, config, args, def.runName(config));
      return;
    }
    const job = def.build(config); // validates the graph before anything is written
    for (const note of job.notes ?? []) console.warn(note);
    const migration = migrationSetup(config, job.graph);
    const parent = resolve(args.out, def.name);
    assertWritableFolder(parent, '--out');
    const runName = args.run ?? `${def.runName(config)}-${timestamp()}`;
    const progress = jobProgress(def.name);
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    try {
      const { dir, summary } = await runJob({ resultsParent: parent, runName, config, job, migration, rebuild: (c) => def.build(c), onProgress: (p) => progress.update(p), signal: abort.signal });
      progress.stop();
      const l = summary.latencyMs;
      console.log(`run complete: ${dir}`);
      console.log(`records ${summary.records} of ${summary.expectedRecords}, ${summary.throughputRecPerS.toFixed(0)} rec/s`);
      if (l !== undefined) {
        console.log(`latency ms: p50 ${l.p50.toFixed(3)}  p99 ${l.p99.toFixed(3)}  p99.9 ${l.p999.toFixed(3)}  max ${l.max.toFixed(3)}`);
        console.log(`per-second p99: steady max ${summary.steadyP99MaxMs?.toFixed(3)} ms, mean ${summary.steadyP99MeanMs?.toFixed(3)} ms`);
      }
      for (const m of summary.migrations) {
        console.log(
          `migration ${m.phase} (${m.mode}, order ${m.order}, sync_keys ${m.syncKeys}, filter ${m.replicateFilter}): ${m.keyGroups} key groups in ${m.chunks} chunk(s), ` +
            `${(m.bytes / 2 ** 20).toFixed(1)} MiB, completion ${m.completionMs.toFixed(1)} ms, spike ${m.spikeMs?.toFixed(3)} ms, ` +
            `mean during scaling ${m.meanDuringScalingMs?.toFixed(3) ?? '-'} ms, re-stable ${m.restableMs === null ? 'never' : `${m.restableMs?.toFixed(0) ?? '-'} ms`}, ` +
            `p99 migrating ${m.p99MigratingMs?.toFixed(3) ?? '-'} ms / others ${m.p99OtherMs?.toFixed(3) ?? '-'} ms (steady before ${m.steadyP99BeforeMs?.toFixed(3) ?? '-'} ms)`,
        );
      }
      console.log(`state ${(summary.stateBytes / 2 ** 20).toFixed(1)} MiB; process array buffers ${(summary.memory.arrayBuffersBytes / 2 ** 20).toFixed(1)} MiB, rss ${(summary.memory.rssBytes / 2 ** 20).toFixed(1)} MiB`);
    } finally {
      progress.stop();
      process.removeListener('SIGINT', onSigint);
    }
  },
};

/** spacker.engine=flink: the job on the Flink cluster (experiments/src/flink/). */
async function flinkJob(name: string, config: ResolvedConfig, args: JobArgs, defaultRun: string): Promise<void> {
  const plan = flinkPlan(config, name); // every key checked before anything is written
  const parent = resolve(args.out, name);
  assertWritableFolder(parent, '--out');
  const runName = args.run ?? `flink-${plan.strategy}-${defaultRun}-${timestamp()}`;
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const params = plan.job.params(config);
    const { dir, summary: s, checkLine } = await runFlinkJob({ resultsParent: parent, runName, config, plan, workload: { name, params }, signal: abort.signal, onProgress: (p) => process.stderr.write(`\r${p.elapsedS.toFixed(0)}/${p.runtimeS} s ${p.phase}   `) });
    process.stderr.write('\n');
    console.log(`run complete: ${dir}`);
    console.log(`records ${s.records} (scheduled ${s.expectedRecords}, replayed ${s.replayedRecords}), ${s.throughputRecPerS.toFixed(0)} rec/s`);
    console.log(`latency ms: p50 ${s.latencyMs.p50.toFixed(3)}  p99 ${s.latencyMs.p99.toFixed(3)}  max ${s.latencyMs.max.toFixed(3)}`);
    if (s.downtimeMs !== undefined) console.log(`${s.strategy}: parallelism ${s.flink.parallelismBefore} -> ${s.flink.parallelismAfter}, downtime ${s.downtimeMs.toFixed(1)} ms (longest gap in completed records), peak latency ${s.peakLatencyMs.toFixed(1)} ms`);
    console.log(checkLine);
    for (const e of s.errors) console.error(`error: ${e}`);
    if (s.errors.length > 0) process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

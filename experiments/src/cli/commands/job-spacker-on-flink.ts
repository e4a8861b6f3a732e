/**
 * `spacker job <name> --set spacker.engine=spacker-on-flink --set spacker.flink.home=DIR ...`: resolves the
 * configuration over the profile (`--profile`, default conf-server, as the reference's FLINK_CONF_DIR), checks
 * it and the user's build, runs it and prints where the results are.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSetArgs } from '../../config/parse.ts';
import { DEFAULT_PROFILE, loadProfile } from '../../config/profile.ts';
import { resolveConfig, type ResolvedConfig } from '../../config/resolve.ts';
import { assertWritableFolder } from '../../results/run-folder.ts';
import { runSpackerOnFlink } from '../../flink/spacker-on-flink/execute.ts';
import { spackerOnFlinkPlan } from '../../flink/spacker-on-flink/plan.ts';

export interface SofJobArgs {
  /** The job's name (spacker job <name>). */
  job: string;
  set: readonly string[];
  profile?: string;
  out: string;
  run?: string;
  /** The run's folder name when --run is not given, from its configuration. */
  runName: (config: ResolvedConfig) => string;
}

/** Runs the job on the user's build; every input is checked before anything is written. */
export async function spackerOnFlinkJob(args: SofJobArgs): Promise<void> {
  const profileName = args.profile ?? DEFAULT_PROFILE;
  const layer = loadProfile(profileName);
  const config = resolveConfig([layer, parseSetArgs([...args.set])]);
  const plan = spackerOnFlinkPlan(config, args.job, { name: profileName, source: layer.source, text: readFileSync(resolve(layer.source), 'utf8') });
  const parent = resolve(args.out, args.job);
  assertWritableFolder(parent, '--out');
  const runName = args.run ?? args.runName(config);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await runSpackerOnFlink({
      resultsParent: parent,
      runName,
      plan,
      workload: { name: args.job, params: { entryClass: plan.job.entryClass, args: plan.jobArgs } },
      signal: abort.signal,
      onProgress: (p) => process.stderr.write(`\r${p.step} ${p.elapsedS.toFixed(0)} s (runtime ${p.runtimeS} s)   `),
      onNote: (n) => console.warn(`\nnote: ${n}`),
    });
    process.stderr.write('\n');
    console.log(`run complete: ${r.dir}`);
    console.log(`collected: ${r.outputs.join(', ')}`);
    console.log('the analysis reads the folder as a reference run (timer.output, <operator>-<i>.output); conf/ holds what Flink read');
  } finally {
    process.stderr.write('\n');
    process.removeListener('SIGINT', onSigint);
  }
}

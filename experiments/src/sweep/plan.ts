/**
 * A sweep's plan: every run of an experiment with its configuration resolved (schema defaults <- profile <- the
 * family's per-run overrides <- --set) and its job and migration setup validated, before anything is written
 * (a spacker.engine=flink run: its keys; its jar and cluster are looked for when the sweep starts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidConfigError, IoError } from '../../../engine/src/index.ts';
import { EXPERIMENTS, experimentNamed, type Experiment, type RunSpec } from '../catalogue/index.ts';
import { parseSetArgs } from '../config/parse.ts';
import { DEFAULT_PROFILE, loadProfile } from '../config/profile.ts';
import { resolveConfig, type ResolvedConfig } from '../config/resolve.ts';
import { JOBS, jobNamed, type JobDefinition } from '../jobs/index.ts';
import { assertWritableFolder } from '../results/run-folder.ts';
import { migrationSetup } from '../run/migration-setup.ts';
import { flinkRunKeys } from '../flink/flink-plan.ts';

export interface SweepOptions {
  /** A family of the catalogue by name, or an experiment built by a command (e.g. `compare`). */
  experiment: string | Experiment;
  profile?: string;
  /** --set items, `key=value`. */
  sets?: readonly string[];
  quick?: boolean;
  /** How many times each run is repeated; text as given on the command line, or a number. */
  repeat?: number | string;
  resume?: boolean;
  /** The results root; runs go to `<out>/<experiment>/<run>`. */
  out?: string;
}

export interface PlannedRun {
  readonly spec: RunSpec;
  /** The folder name: the run's name, with `-r<i>` when repeated. */
  readonly folder: string;
  /** The run's name without the repeat suffix (the table's row). */
  readonly run: string;
  readonly repeat: number;
  readonly job: JobDefinition;
  readonly config: ResolvedConfig;
}

export interface SweepPlan {
  readonly experiment: Experiment;
  readonly profile: string;
  readonly dir: string;
  readonly quick: boolean;
  readonly repeats: number;
  readonly resume: boolean;
  readonly runs: readonly PlannedRun[];
}

/**
 * Resolves and validates everything a sweep needs.
 * @throws InvalidConfigError / UnknownKeyError / IoError naming the bad input and what is allowed.
 */
export function planSweep(opts: SweepOptions): SweepPlan {
  const experiment = typeof opts.experiment === 'string' ? experimentNamed(opts.experiment) : opts.experiment;
  if (experiment === undefined) throw new InvalidConfigError('experiment', opts.experiment as string, `one of: ${EXPERIMENTS.map((e) => e.name).join(', ')}`);
  const repeats = parseRepeat(opts.repeat ?? 1);
  const profileName = opts.profile ?? DEFAULT_PROFILE;
  const profile = loadProfile(profileName);
  const setLayer = parseSetArgs(opts.sets ?? []);
  const quick = opts.quick ?? false;
  const specs = experiment.runs({ quick });
  const runs: PlannedRun[] = [];
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) throw new InvalidConfigError('run name', spec.name, `a name unique within experiment ${experiment.name}`);
    names.add(spec.name);
    const job = jobNamed(spec.job);
    if (job === undefined) throw new InvalidConfigError('job', spec.job, `one of: ${JOBS.map((j) => j.name).join(', ')}`);
    const source = `experiment ${experiment.name}, run ${spec.name}`;
    const config = resolveConfig([profile, { source, values: spec.sets }, setLayer]);
    if (config.get('spacker.engine') === 'flink') {
      // Its keys now; the jar and the cluster (its free slots) just before the sweep runs (run-sweep.ts).
      flinkRunKeys(config, job.name);
    } else {
      const built = job.build(config); // validates the job graph
      migrationSetup(config, built.graph); // validates the migration keys against it
    }
    for (let r = 1; r <= repeats; r++) {
      runs.push({ spec, run: spec.name, folder: repeats > 1 ? `${spec.name}-r${r}` : spec.name, repeat: r, job, config });
    }
  }
  const dir = resolve(opts.out ?? 'results', experiment.name);
  assertWritableFolder(dir, '--out');
  const resume = opts.resume ?? false;
  if (!resume) {
    const done = runs.filter((r) => existsSync(resolve(dir, r.folder)));
    if (done.length > 0) {
      throw new IoError(dir, `holds complete runs already (${done.slice(0, 3).map((r) => r.folder).join(', ')}${done.length > 3 ? ', ...' : ''}); add --resume to skip them, or choose another --out`);
    }
  }
  return { experiment, profile: profileName, dir, quick, repeats, resume, runs };
}

/** --repeat: a whole number from 1 to 1000. */
export function parseRepeat(value: number | string): number {
  const text = String(value).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new InvalidConfigError('--repeat', value, 'an integer from 1 to 1000');
  return n;
}

/**
 * Seconds a run takes: its runtime plus about 1 s to build state and write results, or on the Flink cluster
 * about 8 s to upload, submit, start and finish the job (an estimate for `list`).
 */
export function expectedSeconds(config: ResolvedConfig): number {
  return config.get('spacker.runtime') + (config.get('spacker.engine') === 'flink' ? 8 : 1);
}

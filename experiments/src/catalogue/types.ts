/** The experiment catalogue's data shapes: an experiment is a named list of runs, each a job plus overrides. */

/** A configuration override as an experiment writes it; validated like any other layer. */
export type SetValue = string | number | boolean;

/** One run of an experiment: its readable folder name, the job, and the keys it sets. */
export interface RunSpec {
  /** The run's folder name under `<out>/<experiment>/`, e.g. `sync-8`, `filter-2`. */
  readonly name: string;
  /** A job of `spacker job` (experiments/src/jobs). */
  readonly job: string;
  /** The family's per-run overrides (the keys the reference's configFlink substitutes, plus job parameters). */
  readonly sets: Readonly<Record<string, SetValue>>;
  /** How figures group this run (study, x value, series); informative only. */
  readonly figureHints?: Readonly<Record<string, SetValue>>;
}

export interface RunOptions {
  /** Shrink time, state and rates (see quick.ts) so that the family finishes in minutes. */
  readonly quick: boolean;
}

/** One experiment family (one reference script). */
export interface Experiment {
  readonly name: string;
  readonly description: string;
  /** The npm script that runs the whole family at the reference's scale. */
  readonly npmScript: string;
  /**
   * Real services its runs need (Kafka: `npm run services -- up`; a Flink session cluster: `npm run services --
   * flink up`); none for the embedded families.
   */
  readonly requires?: readonly ('kafka' | 'flink')[];
  runs(opts: RunOptions): RunSpec[];
}

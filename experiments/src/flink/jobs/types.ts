/**
 * What the harness needs to know of one Flink job of workloads/flink (a line in FLINK_JOB_SPECS): its entry
 * class, its stateful vertex (rescaled, and the one whose latency files are read), the `--key value`
 * arguments it takes, what it checks before anything runs, and how its output is checked after it finished.
 * flink-plan.ts and flink-run.ts are the same for every job; a new Flink job is one file here and one line in
 * index.ts.
 */
import type { ResolvedConfig } from '../../config/resolve.ts';

/** What a finished job's own output says: records scheduled, and whatever is wrong (a key lost, a wrong result). */
export interface FlinkJobCheck {
  /** Records the job's sources scheduled over the whole run (the latency logs hold at least these). */
  expectedRecords: number;
  /** Each a sentence naming what is wrong; empty when the output is right. */
  errors: string[];
  /** The check's figures, written to summary.json as `check` (e.g. keys, duplicates, lost, reset). */
  report: Record<string, unknown>;
  /** One line for the console (e.g. "per-key counts: 1024 keys, duplicates 0, lost 0, reset 0"). */
  line: string;
}

export interface FlinkJobSpec {
  /** The harness's job name (`spacker job NAME`, the catalogue's workload). */
  name: string;
  /** The Java main class in the jobs jar. */
  entryClass: string;
  /** The stateful vertex's name: the one rescaled, and the prefix of its latency files (latency/<operator>-<subtask>.csv). */
  operator: string;
  /** The stateful vertex when it depends on the configuration (e.g. the query); flinkPlan puts it in `operator`. */
  operatorFor?(config: ResolvedConfig): string;
  /**
   * Refuses settings the Flink job cannot honour, before anything is written (InvalidConfigError naming the key).
   * The keys every Flink job shares (engine, strategy, scenario, parallelism) are checked by flinkPlan.
   */
  validate?(config: ResolvedConfig): void;
  /**
   * The job's own arguments for a run at `parallelism` (the run started at `runParallelism`), as
   * `--key value` pairs; flinkPlan adds `--output DIR --start-epoch-ms T`. The total input rate must not
   * change with the parallelism.
   */
  args(config: ResolvedConfig, parallelism: number, runParallelism: number): string[];
  /** Reads the job's output in `runDir` once it finished. */
  check(runDir: string, config: ResolvedConfig): FlinkJobCheck;
  /** The workload's parameters recorded in config.json. */
  params(config: ResolvedConfig): Record<string, unknown>;
}

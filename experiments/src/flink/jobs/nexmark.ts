/**
 * Nexmark Q5 and Q8 on Flink (workloads/flink NexmarkJob): the embedded job's keys, generator and window
 * semantics; the stateful vertex is the query's (`window` for q5, `join` for q8). The check compares the
 * results the job wrote (results/<operator>-<subtask>.csv) with the batch results of the same events
 * (workloads/src/nexmark/batch.ts), as multisets of lines:
 * - wrong: a line the batch never produces; missing: fewer copies of a line than the batch has. Both are errors.
 * - duplicates. The job's result files are plain appends, at-least-once across restarts: a result emitted
 *   after the last completed checkpoint is emitted again when the job restarts from it (flink-rescale's
 *   adaptive-scheduler restart), by a new deployment of the subtask (each line carries its deployment's
 *   random id). Copies beyond the batch's that come from different deployments are counted as `replayed`
 *   and reported, not errors: a transactional (exactly-once) sink would have dropped them. Copies beyond the
 *   batch's from one deployment cannot be a replay: they are the query's own error (`duplicated`).
 * A stop-with-savepoint (flink-restart) replays nothing, so replayed is 0 there unless Flink restarted the job.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidConfigError } from '../../../../engine/src/index.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { nexmarkParams } from '../../jobs/nexmark.ts';
import { batchResults, generateAll } from '../../../../workloads/src/nexmark/batch.ts';
import { GENERATOR_KEYS } from '../../../../workloads/src/nexmark/generator-config.ts';
import { countKinds, eventCount, generatorOf, QUERY_SHAPES } from '../../../../workloads/src/nexmark/nexmark.ts';
import { RESULT_FIELDS, resultLine, type ResultQuery } from '../../../../workloads/src/nexmark/result-csv.ts';
import type { ConfigKey } from '../../config/schema.ts';
import type { FlinkJobSpec } from './types.ts';

/** The queries the Flink job runs. */
export const FLINK_NEXMARK_QUERIES: readonly ResultQuery[] = ['q5', 'q8'];

/**
 * The harness keys the Flink job reads (workloads/flink NexmarkParams.HARNESS_DEFAULTS), passed as they are:
 * spacker.parallelism is the run's (events/s = spacker.rate.per_task x spacker.parallelism, as the embedded
 * job computes it), so a resubmission at another parallelism has the same rate to the last bit; the keyed
 * operators run at the submission's parallelism.
 */
const JOB_KEYS: readonly ConfigKey[] = [
  'spacker.runtime', 'spacker.rate.per_task', 'spacker.parallelism', 'spacker.source_parallelism', 'spacker.max_parallelism',
  'spacker.checkpoint.interval', 'spacker.seed', 'spacker.time_scale', 'spacker.nexmark.query', 'spacker.nexmark.window_size_ms',
  'spacker.nexmark.window_slide_ms', 'spacker.nexmark.watermark_interval_ms', 'spacker.nexmark.generate_all',
  ...(Object.values(GENERATOR_KEYS) as ConfigKey[]),
];

/** The query of a configuration the Flink job runs, or an InvalidConfigError naming the key and the allowed values. */
function flinkQuery(config: ResolvedConfig): ResultQuery {
  const query = config.get('spacker.nexmark.query');
  if (!(FLINK_NEXMARK_QUERIES as readonly string[]).includes(query)) {
    throw new InvalidConfigError('spacker.nexmark.query', query, `${FLINK_NEXMARK_QUERIES.join(' or ')} with spacker.engine=flink (the other queries run with spacker.engine=embedded)`);
  }
  return query as ResultQuery;
}

/** What the results of a run are, against the batch results. */
export interface NexmarkResultsCheck {
  query: ResultQuery;
  /** Results the batch computes for the run's events. */
  expectedResults: number;
  /** Result lines in results/ (every copy). */
  resultLines: number;
  /** Lines the batch never produces (every copy). */
  wrong: number;
  /** Copies the batch has and results/ lacks. */
  missing: number;
  /** Copies beyond the batch's from other deployments: emitted again after a restart from a checkpoint. */
  replayed: number;
  /** Copies beyond the batch's from one deployment: the query's own error. */
  duplicated: number;
  /** Deployments (subtask instances) that wrote results. */
  deployments: number;
  errors: string[];
}

/** Compares the results/ folder of `runDir` with the batch's `expected` lines (of `query`'s format). */
export function checkResults(runDir: string, query: ResultQuery, expected: readonly string[]): NexmarkResultsCheck {
  const dir = join(runDir, 'results');
  const errors: string[] = [];
  /** line -> deployment -> copies. */
  const seen = new Map<string, Map<string, number>>();
  let resultLines = 0;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv')).sort() : [];
  if (files.length === 0) errors.push(`no results in ${dir}: the job wrote none`);
  const header = `deployment,${RESULT_FIELDS[query]}`;
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    if (lines[0] !== header) {
      errors.push(`${join(dir, f)}: header '${lines[0]}', expected '${header}'`);
      continue;
    }
    for (const l of lines.slice(1)) {
      if (l === '') continue;
      const at = l.indexOf(',');
      const line = l.slice(at + 1);
      const deployment = l.slice(0, at);
      let by = seen.get(line);
      if (by === undefined) seen.set(line, (by = new Map()));
      by.set(deployment, (by.get(deployment) ?? 0) + 1);
      resultLines++;
    }
  }
  const want = new Map<string, number>();
  for (const line of expected) want.set(line, (want.get(line) ?? 0) + 1);
  let wrong = 0;
  let missing = 0;
  let replayed = 0;
  let duplicated = 0;
  const examples = { wrong: [] as string[], missing: [] as string[], duplicated: [] as string[] };
  const note = (list: string[], s: string): void => void (list.length < 3 && list.push(s));
  const deployments = new Set<string>();
  for (const [line, by] of seen) {
    const e = want.get(line) ?? 0;
    let total = 0;
    let most = 0;
    for (const [d, n] of by) {
      deployments.add(d);
      total += n;
      most = Math.max(most, n);
    }
    if (e === 0) {
      wrong += total;
      note(examples.wrong, line);
    } else if (total < e) {
      missing += e - total;
      note(examples.missing, line);
    } else if (most > e) {
      duplicated += most - e;
      replayed += total - most;
      note(examples.duplicated, line);
    } else {
      replayed += total - e;
    }
  }
  for (const [line, e] of want) {
    if (seen.has(line)) continue;
    missing += e;
    note(examples.missing, line);
  }
  const fields = RESULT_FIELDS[query];
  if (wrong > 0) errors.push(`${wrong} wrong result line(s) (${fields}) that the batch check never produces, e.g. ${examples.wrong.join('; ')}`);
  if (missing > 0) errors.push(`${missing} result(s) missing (${fields}), e.g. ${examples.missing.join('; ')}`);
  if (duplicated > 0) errors.push(`${duplicated} result(s) written twice by one deployment (not a replay), e.g. ${examples.duplicated.join('; ')}`);
  return { query, expectedResults: expected.length, resultLines, wrong, missing, replayed, duplicated, deployments: deployments.size, errors };
}

export const nexmarkOnFlink: FlinkJobSpec = {
  name: 'nexmark',
  entryClass: 'spacker.flink.NexmarkJob',
  operator: QUERY_SHAPES.q5.operator,
  operatorFor(config) {
    return QUERY_SHAPES[flinkQuery(config)].operator;
  },
  validate(config) {
    flinkQuery(config);
    nexmarkParams(config); // q5's size a multiple of its slide
  },
  args(config): string[] {
    return JOB_KEYS.flatMap((key) => [`--${key}`, String(config.get(key))]);
  },
  check(runDir, config) {
    const query = flinkQuery(config);
    const p = nexmarkParams(config);
    const kinds = QUERY_SHAPES[query].kinds;
    const generator = generatorOf(p);
    const expected = batchResults(p, generateAll(p, generator, kinds)).map((r) => resultLine(query, r));
    const c = checkResults(runDir, query, expected);
    return {
      expectedRecords: countKinds(generator, eventCount(p), kinds),
      errors: c.errors,
      report: { ...c },
      line: `${query} results: ${c.resultLines} lines for ${c.expectedResults} expected; wrong ${c.wrong}, missing ${c.missing}, replayed ${c.replayed} (emitted again after a restart from a checkpoint), duplicated ${c.duplicated}`,
    };
  },
  params(config) {
    return { ...nexmarkParams(config) };
  },
};

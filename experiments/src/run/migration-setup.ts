/**
 * From configuration to the migration layer's options: the target operator, the scenario's phases (or a
 * target assignment read from a JSON file), the base strategy, start and interval, the links. Everything is
 * checked here, before a run writes anything; errors name the key, the value and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidConfigError, IoError, MECHANISMS, mechanismNamed, parseTargetAssignment, rescale, resolveOptions, scenarioNamed } from '../../../engine/src/index.ts';
import type { JobGraph, KeyedVertex, MigrationLayerOptions, ScenarioPhase, TimerSink } from '../../../engine/src/index.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { DEFAULT_SOURCE } from '../config/resolve.ts';
import { optionKey, withConfigKeys } from '../config/engine-parameters.ts';
import type { ConfigKey } from '../config/schema.ts';
import { FLINK_STRATEGIES } from '../config/keys-spacker.ts';

/** The migration layer's options for a job, without the timer sink (the run supplies it). */
export type MigrationSetup = Omit<MigrationLayerOptions, 'timers'>;

export function migrationSetup(config: ResolvedConfig, graph: JobGraph): MigrationSetup {
  assertEmbeddedChoice(config);
  const targets = config.get('controller.target.operators').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const keyed = graph.all().filter((v) => v.kind === 'keyed');
  if (targets.length !== 1) throw new InvalidConfigError('controller.target.operators', config.get('controller.target.operators'), `exactly one keyed operator of the job (${keyed.map((v) => v.name).join(', ')})`);
  const operator = targets[0];
  const vertex = keyed.find((v) => v.name === operator);
  if (vertex === undefined || vertex.kind !== 'keyed') throw new InvalidConfigError('controller.target.operators', operator, `a keyed operator of the job: ${keyed.map((v) => v.name).join(', ')}`);
  const link = { bandwidthMBps: config.get('spacker.link.bandwidth_mbps') / 8, latencyMs: config.get('spacker.link.latency_ms') };
  const replicateFilter = config.get('spector.replicate_keys_filter');
  const { mechanism, mechanismOptions } = mechanismChoice(config, vertex);
  const scenario = config.get('spector.reconfig.scenario');
  if (scenario === 'none') return { operator, link, replicateFilter, mechanism, mechanismOptions };
  const starts = config.get('spector.reconfig.start');
  if (starts.length !== 1) throw new InvalidConfigError('spector.reconfig.start', starts.join(','), 'one start time (ms) for the one target operator');
  const timeScale = config.get('spacker.time_scale');
  const phases =
    scenario === 'file' ? filePhases(config, vertex.maxParallelism, vertex.parallelism)
    : scenario === 'rescale' ? rescalePhases(config, vertex)
    : withConfigKeys(() => scenarioNamed(scenario)).map((p) => ({ ...p, atMs: p.atMs * timeScale }));
  if (scenario === 'stock' && vertex.parallelism < 8) throw new InvalidConfigError('spector.reconfig.scenario', scenario, `a job whose '${operator}' has at least 8 subtasks (it rescales 16 -> 4 -> 8 -> 6); spacker.parallelism is ${vertex.parallelism}`);
  if (scenario === 'load_balance' && (vertex.parallelism !== 2 || vertex.maxParallelism !== 16)) {
    throw new InvalidConfigError('spector.reconfig.scenario', scenario, 'a job with spacker.parallelism=2 and spacker.max_parallelism=16 (the reference\'s fixed example)');
  }
  return {
    operator,
    link,
    replicateFilter,
    mechanism,
    mechanismOptions,
    controller: {
      phases,
      context: {
        maxParallelism: vertex.maxParallelism,
        parallelism: vertex.parallelism,
        affectedKeys: config.get('spector.reconfig.affected_keys'),
        affectedTasks: config.get('spector.reconfig.affected_tasks'),
        zipfSkew: config.get('spector.reconfig.workload.zipf_skew'),
        seed: config.get('spacker.seed'),
      },
      strategy: {
        order: config.get('spector.reconfig.order_function'),
        syncKeys: config.get('spector.reconfig.sync_keys'),
        replicateFilter: config.get('spector.replicate_keys_filter'),
        hotRatio: config.get('spacker.replication.hot_ratio'),
        seed: config.get('spacker.seed'),
      },
      mechanism,
      startMs: starts[0],
      intervalMs: config.get('spector.reconfig.interval'),
    },
  };
}

/**
 * The embedded engine runs no Flink strategy, and a run of the embedded engine's code path is never a
 * spacker.engine=flink run (experiments/src/flink/ runs those).
 */
export function assertEmbeddedChoice(config: ResolvedConfig): void {
  if (config.get('spacker.engine') !== 'embedded') {
    throw new InvalidConfigError('spacker.engine', config.get('spacker.engine'), "embedded for this command; spacker.engine=flink and spacker-on-flink run through 'spacker job <name>' (experiments/src/flink/)");
  }
  const strategy = config.get('spacker.strategy');
  if ((FLINK_STRATEGIES as readonly string[]).includes(strategy)) {
    throw new InvalidConfigError('spacker.strategy', strategy, `with spacker.engine=embedded one of ${MECHANISMS.map((m) => m.name).join(', ')} (${FLINK_STRATEGIES.join(' and ')} need spacker.engine=flink)`);
  }
}

/**
 * Scenario `rescale` as Flink rescales: from Flink's contiguous ranges over spacker.parallelism = p (the job's
 * initial assignment; a scale-out job deploys max(p, q) subtasks, see jobs/micro-benchmark.ts) to Flink's
 * ranges over spacker.reconfig.target_parallelism = q, once, at spector.reconfig.start. The key groups that
 * move are exactly those whose Flink range changes.
 */
function rescalePhases(config: ResolvedConfig, vertex: KeyedVertex): ScenarioPhase[] {
  const key = 'spacker.reconfig.target_parallelism';
  const p = config.get('spacker.parallelism');
  const q = config.get(key);
  const { maxParallelism } = vertex;
  if (q < 1 || q === p || q > maxParallelism) {
    throw new InvalidConfigError(key, q, `a parallelism from 1 to spacker.max_parallelism (${maxParallelism}) other than spacker.parallelism (${p}), for scenario rescale`);
  }
  if (Math.max(p, q) > vertex.parallelism) {
    throw new InvalidConfigError(key, q, `at most ${vertex.parallelism}: this job deploys ${vertex.parallelism} subtasks of '${vertex.name}' (only the micro-benchmark jobs deploy max(spacker.parallelism, ${key}) for a scale-out)`);
  }
  return [{ atMs: 0, target: (assignment) => rescale(maxParallelism, assignment.parallelism, q) }];
}

/**
 * The run's mechanism and its options from the `spacker.<family>.<option>` keys, checked against the job: an
 * option set for a mechanism other than the run's, a value out of range, a bin count the key groups do not
 * divide. Options of other mechanisms keep their defaults (a ZooKeeper request may name one).
 */
export function mechanismChoice(config: ResolvedConfig, shape: { maxParallelism: number; parallelism: number }): { mechanism: string; mechanismOptions: Record<string, Record<string, unknown>> } {
  const mechanism = config.get('spacker.strategy');
  const spec = withConfigKeys(() => mechanismNamed(mechanism));
  const given: Record<string, unknown> = {};
  for (const m of MECHANISMS) {
    for (const name of Object.keys(m.options)) {
      const key = optionKey(m, name) as ConfigKey;
      const value = config.get(key);
      // A value at the option's default selects nothing (a run's config.json lists every key).
      if (config.sourceOf(key) === DEFAULT_SOURCE || value === m.options[name].default) continue;
      if (m.family === spec.family && spec.options[name] !== undefined) given[name] = value;
      else {
        const owners = MECHANISMS.filter((x) => x.options[name] !== undefined && x.family === m.family).map((x) => x.name);
        throw new InvalidConfigError(key, value, `only with spacker.strategy = ${owners.join(' or ')} (this run's mechanism '${mechanism}' has ${Object.keys(spec.options).length === 0 ? 'no options' : `options ${Object.keys(spec.options).map((o) => optionKey(spec, o)).join(', ')}`})`);
      }
    }
  }
  withConfigKeys(() => resolveOptions(spec, given, shape));
  return { mechanism, mechanismOptions: { [mechanism]: given } };
}

function filePhases(config: ResolvedConfig, maxParallelism: number, parallelism: number): ScenarioPhase[] {
  const path = config.get('spacker.reconfig.target_file');
  if (path === '') throw new InvalidConfigError('spacker.reconfig.target_file', path, 'the path of a JSON target assignment when spector.reconfig.scenario=file');
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (cause) {
    throw new IoError(resolve(path), `cannot read the target assignment (${(cause as NodeJS.ErrnoException).code ?? 'error'}); set spacker.reconfig.target_file to a readable JSON file`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IoError(resolve(path), `not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const mapping = parseTargetAssignment(json, maxParallelism, parallelism, path);
  return [{ atMs: 0, target: () => mapping }];
}

/** Collects timer rows, in order, for timers.csv and the reference's timer.output. */
export class TimerLog implements TimerSink {
  readonly rows: [number, number, string, number, number][] = [];
  timer(reconfigId: number, chunk: number, timer: string, startMs: number, durationMs: number): void {
    this.rows.push([reconfigId, chunk, timer, round3(startMs), round3(durationMs)]);
  }
}

/** The reference's `timer.output` (reference 3.7): `++++++<name>Timer : <N>ms`, a time line after endToEnd. */
export function spectorTimerOutput(rows: TimerLog['rows'], startEpochMs: number): string {
  const out: string[] = [];
  for (const [, , timer, startMs, durationMs] of [...rows].sort((a, b) => a[3] + a[4] - (b[3] + b[4]))) {
    out.push(`++++++${timer}Timer : ${Math.round(durationMs)}ms`);
    if (timer === 'endToEnd') out.push(`+++++++ cur time in ms: ${Math.round(startEpochMs + startMs + durationMs)}`, '');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Reads results folders: ours (config.json, series/timers/events CSVs, summary.json, latency/) and folders of
 * the reference's raw logs (`<operator>-<i>.output`, `timer.output`). Incomplete runs (`<run>.tmp-<pid>`,
 * `<run>.failed`) and unreadable files are reported as problems; the other runs are still read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError, num, parseCsv } from './csv.ts';
import { parseTimerOutput } from './timer-output.ts';
import { MalformedEventError, parseEvent } from '../../../engine/src/events/index.ts';
import type { ConfigValue, EventRow, Problem, Run, Scope, SeriesPoint, SummaryInfo, TimerName, TimerRow } from '../model.ts';

const SERIES = ['ts_s', 'subtask', 'scope', 'count', 'p50', 'p95', 'p99', 'p999', 'max'] as const;
const TIMERS = ['reconfig_id', 'chunk', 'timer', 'start_ms', 'duration_ms'] as const;
const EVENTS = ['ts_ms', 'event', 'detail'] as const;
const SCOPES: readonly string[] = ['migrating', 'other', 'all'];
const TIMER_NAMES: readonly string[] = ['sync', 'update', 'endToEnd', 'replication'];

export function parseSeries(text: string, path: string): SeriesPoint[] {
  return parseCsv(text, path, SERIES).map((r) => {
    const sub = r.fields[1];
    const scope = r.fields[2];
    if (!SCOPES.includes(scope)) throw new InputError(path, r.line, `scope must be migrating, other or all, found ${JSON.stringify(scope)}`);
    return {
      ts_s: num(r, 0, path, 'ts_s'),
      subtask: sub === 'all' ? 'all' : num(r, 1, path, 'subtask'),
      scope: scope as Scope,
      count: num(r, 3, path, 'count'),
      p50: num(r, 4, path, 'p50'),
      p95: num(r, 5, path, 'p95'),
      p99: num(r, 6, path, 'p99'),
      p999: num(r, 7, path, 'p999'),
      max: num(r, 8, path, 'max'),
    };
  });
}

export function parseTimers(text: string, path: string): TimerRow[] {
  return parseCsv(text, path, TIMERS).map((r) => {
    const timer = r.fields[2];
    if (!TIMER_NAMES.includes(timer)) throw new InputError(path, r.line, `timer must be one of ${TIMER_NAMES.join(', ')}, found ${JSON.stringify(timer)}`);
    return {
      reconfigId: num(r, 0, path, 'reconfig_id'),
      chunk: num(r, 1, path, 'chunk'),
      timer: timer as TimerName,
      startMs: num(r, 3, path, 'start_ms'),
      durationMs: num(r, 4, path, 'duration_ms'),
    };
  });
}

/** events.csv's rows, each detail read by the engine's own reader (parseEvent); a malformed one names its line. */
export function parseEvents(text: string, path: string): EventRow[] {
  return parseCsv(text, path, EVENTS).map((r) => {
    try {
      return { tsMs: num(r, 0, path, 'ts_ms'), record: parseEvent(r.fields[1], r.fields[2]) };
    } catch (e) {
      if (e instanceof MalformedEventError) throw new InputError(path, r.line, e.message);
      throw e;
    }
  });
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(path, undefined, `not valid JSON (${(e as Error).message})`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => join(dir, f));
}

/** One of our run folders. Throws InputError for a missing or malformed required file. */
export function readOurRun(dir: string, experiment = basename(join(dir, '..'))): Run {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new InputError(configPath, undefined, 'missing: not a complete run folder');
  const cfg = readJson(configPath);
  if (!isObject(cfg) || !isObject(cfg.config)) throw new InputError(configPath, undefined, 'expected an object with a "config" object');
  const explicit = explicitKeys(cfg.explicit);
  const need = (file: string): string => {
    const p = join(dir, file);
    if (!existsSync(p)) throw new InputError(p, undefined, 'missing: the run folder is partial');
    return readFileSync(p, 'utf8');
  };
  let summary: SummaryInfo | undefined;
  const summaryPath = join(dir, 'summary.json');
  if (existsSync(summaryPath)) {
    const s = readJson(summaryPath);
    if (!isObject(s) || !Array.isArray(s.migrations)) throw new InputError(summaryPath, undefined, 'expected an object with a "migrations" list');
    summary = s as unknown as SummaryInfo;
  }
  return {
    dir,
    experiment,
    name: basename(dir),
    config: cfg.config as Record<string, ConfigValue>,
    workload: isObject(cfg.workload) && typeof cfg.workload.name === 'string' ? cfg.workload.name : undefined,
    explicit,
    startEpochMs: typeof cfg.startEpochMs === 'number' ? cfg.startEpochMs : undefined,
    summary,
    series: parseSeries(need('series.csv'), join(dir, 'series.csv')),
    timers: parseTimers(need('timers.csv'), join(dir, 'timers.csv')),
    events: parseEvents(need('events.csv'), join(dir, 'events.csv')),
    latencyFiles: listFiles(join(dir, 'latency'), '.csv'),
    format: 'ours',
  };
}

/** The keys of a recorded `explicit` list (entries `{ key, ... }`, or names). */
function explicitKeys(list: unknown): string[] {
  return Array.isArray(list) ? list.map((e) => (isObject(e) ? String(e.key) : String(e))) : [];
}

/** What a Spacker-on-Flink run of the harness records beside the reference's logs (its configuration). */
const SPACKER_ON_FLINK_RECORD = 'spacker-on-flink.json';

/**
 * A folder of the reference's raw logs: `*.output` latency logs and an optional timer.output. When the
 * harness ran the user's Spacker-on-Flink build (experiments/src/flink/spacker-on-flink/), its record
 * gives the run's configuration, so figures label and group it like one of ours.
 */
export function readReferenceRun(dir: string, experiment = basename(join(dir, '..'))): Run {
  const files = listFiles(dir, '.output').filter((f) => basename(f) !== 'timer.output');
  if (files.length === 0) throw new InputError(dir, undefined, 'no <operator>-<i>.output latency logs');
  const timerPath = join(dir, 'timer.output');
  const recordPath = join(dir, SPACKER_ON_FLINK_RECORD);
  let config: Record<string, ConfigValue> = {};
  let explicit: string[] = [];
  if (existsSync(recordPath)) {
    let record: { config?: unknown; explicit?: unknown };
    try {
      record = JSON.parse(readFileSync(recordPath, 'utf8')) as typeof record;
    } catch (err) {
      throw new InputError(recordPath, undefined, `not JSON: ${(err as Error).message}`);
    }
    if (record.config !== undefined && (typeof record.config !== 'object' || record.config === null)) throw new InputError(recordPath, undefined, "'config' is not an object");
    config = (record.config ?? {}) as Record<string, ConfigValue>;
    explicit = explicitKeys(record.explicit);
  }
  return {
    dir,
    experiment,
    name: basename(dir),
    config,
    explicit,
    series: [],
    timers: existsSync(timerPath) ? parseTimerOutput(readFileSync(timerPath, 'utf8'), timerPath) : [],
    events: [],
    latencyFiles: files,
    format: 'reference',
  };
}

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) || listFiles(dir, '.output').some((f) => basename(f) !== 'timer.output');
}

export interface ResultsScan {
  runs: Run[];
  problems: Problem[];
}

/**
 * Every run under a results root (`<root>/<experiment>/<run>/`), skipping `figures/` and `report/`.
 * Incomplete or unreadable runs become problems.
 */
export function scanResults(root: string): ResultsScan {
  const runs: Run[] = [];
  const problems: Problem[] = [];
  if (!existsSync(root)) return { runs, problems: [{ path: root, message: 'no such results folder' }] };
  for (const experiment of readdirSync(root).sort()) {
    const expDir = join(root, experiment);
    if (experiment === 'figures' || experiment === 'report' || !statSync(expDir).isDirectory()) continue;
    for (const name of readdirSync(expDir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
      const dir = join(expDir, name);
      if (!statSync(dir).isDirectory()) continue;
      if (/\.tmp-\d+$/.test(name)) {
        problems.push({ path: dir, message: 'incomplete run (still running, or its process died): skipped' });
        continue;
      }
      if (name.endsWith('.failed')) {
        const reason = existsSync(join(dir, 'FAILED')) ? readFileSync(join(dir, 'FAILED'), 'utf8').trim().split('\n')[0] : 'no reason given';
        problems.push({ path: dir, message: `failed run: skipped (${reason})` });
        continue;
      }
      try {
        if (existsSync(join(dir, 'config.json'))) runs.push(readOurRun(dir, experiment));
        else if (isRunFolder(dir)) runs.push(readReferenceRun(dir, experiment));
        else problems.push({ path: dir, message: 'not a run folder (no config.json, no *.output logs): skipped' });
      } catch (e) {
        problems.push({ path: dir, message: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return { runs, problems };
}

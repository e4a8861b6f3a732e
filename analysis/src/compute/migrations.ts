/**
 * Migrations of a run: their windows (events.csv, or summary.json), the latency spike in each window and in
 * each phase, and their completion time from the timers with its breakdown (sync = "Synchronization",
 * update = "Redistribution", replication = the periodic checkpoints before it).
 */
import { latencySumsDuring, meanOf, spikeMs, windowMetrics } from './metrics.ts';
import { maxOver, overall } from './series.ts';
import type { EventRow, LatencyLog, Run, SeriesPoint, TimerRow } from '../model.ts';

export interface MigrationWindow {
  startMs: number;
  endMs: number;
  /** 'spacker' or 'restart' (or what summary.json says). */
  mode: string;
}

/** Windows from events (migration_start..migration_end, restart_start..restart_end), else from summary.json. */
export function migrationWindows(run: Pick<Run, 'events' | 'summary'>): MigrationWindow[] {
  const out: MigrationWindow[] = [];
  const open = new Map<string, { ts: number; mode: string }>();
  for (const e of [...run.events].sort((a: EventRow, b: EventRow) => a.tsMs - b.tsMs)) {
    const { event } = e.record;
    if (event === 'migration_start' || event === 'restart_start') open.set(event === 'restart_start' ? 'restart' : 'migration', { ts: e.tsMs, mode: event === 'restart_start' ? 'restart' : 'spacker' });
    if (event === 'migration_end' || event === 'restart_end') {
      const kind = event === 'restart_end' ? 'restart' : 'migration';
      const s = open.get(kind);
      if (s) out.push({ startMs: s.ts, endMs: e.tsMs, mode: s.mode });
      open.delete(kind);
    }
  }
  if (out.length > 0) return out;
  return (run.summary?.migrations ?? [])
    .filter((m) => m.startMs !== undefined && m.endMs !== undefined)
    .map((m) => ({ startMs: m.startMs as number, endMs: m.endMs as number, mode: m.mode }));
}

/** Spike = max per-second p99 (overall) from the window's start second to one second after its end (metrics.ts). */
export function windowSpike(series: readonly SeriesPoint[], w: Pick<MigrationWindow, 'startMs' | 'endMs'>, metric: 'p99' | 'max' = 'p99', scope: SeriesPoint['scope'] = 'all'): number | undefined {
  return spikeMs(overall(series, scope), w, metric);
}

/** The headline figures of one migration, as summary.json gives them (experiments/src/run/summary.ts). */
export interface MigrationFigures {
  /** {@link windowSpike} of the overall series. */
  spikeMs?: number;
  /** The same over the key groups that do not move (scope 'other'). */
  p99OtherMs?: number;
  /** The mechanism's own duration (PlanReport.completionMs); without a summary Σ sync + update from timers.csv. */
  completionMs?: number;
}

/**
 * Per migration window of a run, its spike, the others' p99 and its completion: the i-th migration of
 * summary.json when it has the figure (computed by the same functions over the report's own window), else
 * computed here from the series over the window and from the timers. Every figure, report and comparison
 * takes these from here, so they agree with summary.json.
 */
export function migrationFigures(run: Pick<Run, 'summary' | 'timers'>, series: readonly SeriesPoint[], windows: readonly MigrationWindow[], timers: readonly MigrationTimers[] = migrationTimers(run.timers, windows)): MigrationFigures[] {
  return windows.map((w, i) => {
    const given = run.summary?.migrations[i];
    const spike = given?.spikeMs ?? windowSpike(series, w);
    const other = given?.p99OtherMs ?? windowSpike(series, w, 'p99', 'other');
    const completion = given?.completionMs ?? timers[i]?.completionMs;
    return {
      ...(spike === undefined ? {} : { spikeMs: spike }),
      ...(other === undefined ? {} : { p99OtherMs: other }),
      ...(completion === undefined ? {} : { completionMs: completion }),
    };
  });
}

/** The mean latency during scaling and the re-stable time of one migration of a run (metrics.ts). */
export interface ScalingMetrics {
  meanDuringScalingMs?: number;
  /** The records behind the mean. */
  recordsDuringScaling?: number;
  steadyPeakMs?: number;
  /** null = never re-stable. */
  restableMs?: number | null;
}

/**
 * Per migration window of a run: summary.json's mean latency during scaling and re-stable time (the i-th
 * migration of the summary for the i-th window) when it has them; else the re-stable time from the series and
 * the run's length, and the mean from `logs` (the per-record logs) when given.
 */
export function scalingMetrics(run: Pick<Run, 'summary' | 'config'>, series: readonly SeriesPoint[], windows: readonly MigrationWindow[], logs?: () => Iterable<LatencyLog>): ScalingMetrics[] {
  const all = overall(series);
  const configured = run.config['spacker.runtime'];
  const runtimeS = run.summary?.runtimeS ?? (typeof configured === 'number' ? configured : all.length ? all[all.length - 1].ts_s + 1 : 0);
  const computed = windowMetrics(all, windows, runtimeS);
  const given = run.summary?.migrations ?? [];
  const needMean = windows.some((_, i) => given[i]?.meanDuringScalingMs === undefined);
  const sums = needMean && logs !== undefined ? latencySumsDuring(logs(), windows) : [];
  return windows.map((_, i) => {
    const g = given[i];
    const mean = g?.meanDuringScalingMs ?? (sums[i] === undefined ? undefined : meanOf(sums[i]));
    const records = g?.meanDuringScalingMs !== undefined ? g.recordsDuringScaling : (g?.recordsDuringScaling ?? sums[i]?.count);
    const restable = g !== undefined && g.restableMs !== undefined ? g.restableMs : computed[i].restableMs;
    const peak = g?.steadyPeakMs ?? computed[i].steadyPeakMs;
    return {
      ...(mean === undefined ? {} : { meanDuringScalingMs: mean }),
      ...(records === undefined ? {} : { recordsDuringScaling: records }),
      ...(peak === undefined ? {} : { steadyPeakMs: peak }),
      ...(restable === undefined ? {} : { restableMs: restable }),
    };
  });
}

/** Over several migrations: the mean over all their records (each mean weighed by its records; 1 if unknown). */
export function overallMeanDuringScaling(ms: readonly ScalingMetrics[]): number | undefined {
  const known = ms.filter((m) => m.meanDuringScalingMs !== undefined);
  const n = known.reduce((a, m) => a + (m.recordsDuringScaling ?? 1), 0);
  return known.length && n > 0 ? known.reduce((a, m) => a + (m.meanDuringScalingMs as number) * (m.recordsDuringScaling ?? 1), 0) / n : undefined;
}

/** Over several migrations: the longest re-stable time; null when one never re-stabilized; undefined if none has one. */
export function overallRestable(ms: readonly ScalingMetrics[]): number | null | undefined {
  const vs = ms.map((m) => m.restableMs).filter((v) => v !== undefined);
  if (vs.length === 0) return undefined;
  return vs.includes(null) ? null : Math.max(...(vs as number[]));
}

/** Spike per phase: max per-second p99 over seconds [b_i, b_{i+1}) for boundaries b (reference: 0/20/60/100). */
export function phaseSpikes(series: readonly SeriesPoint[], boundariesS: readonly number[], metric: 'p99' | 'max' = 'p99'): (number | undefined)[] {
  const all = overall(series);
  const out: (number | undefined)[] = [];
  for (let i = 0; i + 1 < boundariesS.length; i++) out.push(maxOver(all, boundariesS[i], boundariesS[i + 1] - 1e-9, metric));
  return out;
}

export interface MigrationTimers {
  chunks: number;
  syncMs: number;
  updateMs: number;
  endToEndMs: number;
  /** Σ over chunks (sync + update). */
  completionMs: number;
  /** Mean checkpoint (replication) duration since the previous migration; undefined without checkpoints. */
  replicationMeanMs?: number;
  /** Σ of those checkpoint durations. */
  replicationTotalMs: number;
}

/**
 * Timers grouped by migration. With windows (ours), a chunk row belongs to the window its start falls in
 * (1 ms slack); without (the reference's timer.output), a migration is a maximal run of chunk rows between
 * replication rows (the reference's breakdown_*_overview convention).
 */
export function migrationTimers(timers: readonly TimerRow[], windows?: readonly MigrationWindow[]): MigrationTimers[] {
  const empty = (): MigrationTimers => ({ chunks: 0, syncMs: 0, updateMs: 0, endToEndMs: 0, completionMs: 0, replicationTotalMs: 0 });
  const add = (m: MigrationTimers, t: TimerRow): void => {
    if (t.timer === 'sync') {
      m.syncMs += t.durationMs;
      m.chunks++;
    } else if (t.timer === 'update') m.updateMs += t.durationMs;
    else if (t.timer === 'endToEnd') m.endToEndMs += t.durationMs;
    m.completionMs = m.syncMs + m.updateMs;
  };
  const finishReplication = (m: MigrationTimers, reps: number[]): void => {
    m.replicationTotalMs = reps.reduce((a, b) => a + b, 0);
    if (reps.length) m.replicationMeanMs = m.replicationTotalMs / reps.length;
  };
  const timed = windows !== undefined && windows.length > 0 && timers.every((t) => Number.isFinite(t.startMs));
  if (timed) {
    const ws = [...windows].sort((a, b) => a.startMs - b.startMs);
    const out = ws.map(empty);
    const reps: number[][] = ws.map(() => []);
    for (const t of timers) {
      if (t.timer === 'replication') {
        const i = ws.findIndex((w) => t.startMs < w.startMs);
        const prevEnd = i > 0 ? ws[i - 1].endMs : -Infinity;
        if (i >= 0 && t.startMs >= prevEnd) reps[i].push(t.durationMs);
        continue;
      }
      const i = ws.findIndex((w) => t.startMs >= w.startMs - 1 && t.startMs <= w.endMs + 1);
      if (i >= 0) add(out[i], t);
    }
    out.forEach((m, i) => finishReplication(m, reps[i]));
    return out;
  }
  const out: MigrationTimers[] = [];
  let cur: MigrationTimers | undefined;
  let reps: number[] = [];
  for (const t of timers) {
    if (t.timer === 'replication') {
      if (cur) {
        out.push(cur);
        cur = undefined;
        reps = [];
      }
      reps.push(t.durationMs);
      continue;
    }
    if (!cur) {
      cur = empty();
      finishReplication(cur, reps);
    }
    add(cur, t);
  }
  if (cur) out.push(cur);
  return out;
}

export interface TimerTotals {
  sync: number;
  update: number;
  replication: number;
  endToEnd: number;
}

/** Σ of every occurrence per timer over the whole run (the reference's breakdown_total). */
export function timerTotals(timers: readonly TimerRow[]): TimerTotals {
  const t: TimerTotals = { sync: 0, update: 0, replication: 0, endToEnd: 0 };
  for (const r of timers) t[r.timer] += r.durationMs;
  return t;
}

/** The first occurrence of each timer (the reference's breakdown, counter_limit 1); 0 when absent. */
export function timerFirst(timers: readonly TimerRow[]): TimerTotals {
  const t: TimerTotals = { sync: 0, update: 0, replication: 0, endToEnd: 0 };
  const seen = new Set<string>();
  for (const r of timers) {
    if (seen.has(r.timer)) continue;
    seen.add(r.timer);
    t[r.timer] = r.durationMs;
  }
  return t;
}

/**
 * Migrations of a run: their windows (events.csv, or summary.json), the latency spike in each window and in
 * each phase, and their completion time from the timers with its breakdown (sync = "Synchronization",
 * update = "Redistribution", replication = the periodic checkpoints before it).
 */
import { spikeMs } from './metrics.ts';
import { maxOver, overall } from './series.ts';
import type { EventRow, Run, SeriesPoint, TimerRow } from '../model.ts';

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
    if (e.event === 'migration_start' || e.event === 'restart_start') open.set(e.event.split('_')[0], { ts: e.tsMs, mode: e.event === 'restart_start' ? 'restart' : 'spacker' });
    if (e.event === 'migration_end' || e.event === 'restart_end') {
      const kind = e.event.split('_')[0];
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

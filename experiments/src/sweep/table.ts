/**
 * The family table: per run, the migration spike (max over the run's migrations of the per-second p99 in the
 * migration window), the mean latency during scaling (over the records of every migration window), the
 * re-stable time (the longest of the run's migrations; "never" if one never re-stabilized), the completion
 * time (sum over migrations), the throughput and the bytes moved (sum over migrations); with repeats, mean and
 * 95 % confidence interval. Printed, and written as table.csv / table.json. The per-migration figures are
 * summary.json's (analysis/src/compute/metrics.ts defines them).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { RunSummary } from '../run/summary.ts';
import { meanCi, type MeanCi } from '../../../analysis/src/compute/stats.ts';
import { overallMeanDuringScaling, overallRestable } from '../../../analysis/src/compute/migrations.ts';

export interface RunResult {
  run: string;
  folder: string;
  /** summary.json: an embedded run's RunSummary or a Flink run's FlinkRunSummary (both have these). */
  summary: Pick<RunSummary, 'migrations' | 'throughputRecPerS'>;
}

export interface TableRow {
  run: string;
  repeats: number;
  spikeMs?: MeanCi;
  meanDuringScalingMs?: MeanCi;
  /** Over the repeats that re-stabilized. */
  restableMs?: MeanCi;
  /** Repeats in which some migration never re-stabilized (their re-stable time is not in `restableMs`). */
  neverRestable?: number;
  completionMs?: MeanCi;
  throughputRecPerS?: MeanCi;
  movedMiB?: MeanCi;
}

const METRICS = [
  ['spikeMs', 'spike (ms)', 'spike_ms'],
  ['meanDuringScalingMs', 'mean during scaling (ms)', 'mean_during_scaling_ms'],
  ['restableMs', 're-stable (ms)', 'restable_ms'],
  ['completionMs', 'completion (ms)', 'completion_ms'],
  ['throughputRecPerS', 'throughput (rec/s)', 'throughput_rec_s'],
  ['movedMiB', 'moved (MiB)', 'moved_mib'],
] as const;

type Metric = (typeof METRICS)[number][0];

/** A run's figures; `restableMs` null = some migration never re-stabilized. */
function metrics(s: RunResult['summary']): Partial<Record<Exclude<Metric, 'restableMs'>, number>> & { restableMs?: number | null } {
  const spikes = s.migrations.map((m) => m.spikeMs).filter((v): v is number => v !== undefined);
  const hasMigrations = s.migrations.length > 0;
  return {
    spikeMs: spikes.length ? Math.max(...spikes) : undefined,
    meanDuringScalingMs: overallMeanDuringScaling(s.migrations),
    restableMs: overallRestable(s.migrations),
    completionMs: hasMigrations ? s.migrations.reduce((a, m) => a + m.completionMs, 0) : undefined,
    throughputRecPerS: s.throughputRecPerS,
    movedMiB: hasMigrations ? s.migrations.reduce((a, m) => a + m.bytes, 0) / 2 ** 20 : undefined,
  };
}

/** One row per run name, in the order the runs first appear. */
export function buildTable(results: readonly RunResult[]): TableRow[] {
  const byRun = new Map<string, RunResult[]>();
  for (const r of results) byRun.set(r.run, [...(byRun.get(r.run) ?? []), r]);
  return [...byRun].map(([run, rs]) => {
    const row: TableRow = { run, repeats: rs.length };
    const all = rs.map((r) => metrics(r.summary));
    for (const [key] of METRICS) {
      const values = all.map((m) => m[key]).filter((v): v is number => typeof v === 'number');
      const stat = meanCi(values);
      if (stat !== undefined) row[key] = stat;
    }
    const never = all.filter((m) => m.restableMs === null).length;
    if (never > 0) row.neverRestable = never;
    return row;
  });
}

function cell(v: MeanCi | undefined, digits: number, withCi: boolean): string {
  if (v === undefined) return '-';
  return withCi ? `${v.mean.toFixed(digits)} ± ${v.ci95.toFixed(digits)}` : v.mean.toFixed(digits);
}

const DIGITS: Record<Metric, number> = { spikeMs: 1, meanDuringScalingMs: 2, restableMs: 0, completionMs: 1, throughputRecPerS: 0, movedMiB: 1 };

/** A row's cell: the re-stable time says "never" (and in how many repeats, with repeats) when it was. */
function rowCell(r: TableRow, key: Metric, withCi: boolean): string {
  const text = cell(r[key], DIGITS[key], withCi);
  if (key !== 'restableMs' || r.neverRestable === undefined) return text;
  if (r.neverRestable === r.repeats) return 'never';
  return `${text} (never in ${r.neverRestable} of ${r.repeats})`;
}

/** The table as aligned text; with repeats each cell is `mean ± ci95`. */
export function formatTable(title: string, rows: readonly TableRow[]): string {
  const withCi = rows.some((r) => r.repeats > 1);
  const header = ['run', ...(withCi ? ['n'] : []), ...METRICS.map(([, label]) => label)];
  const body = rows.map((r) => [r.run, ...(withCi ? [String(r.repeats)] : []), ...METRICS.map(([key]) => rowCell(r, key, withCi))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * Writes `table.csv` (mean and ci95 columns per metric, and `restable_never`: the repeats that never
 * re-stabilized) and `table.json` into `dir`.
 */
export function writeTable(dir: string, rows: readonly TableRow[]): void {
  const header = ['run', 'repeats', ...METRICS.flatMap(([, , col]) => [col, `${col}_ci95`]), 'restable_never'];
  const body = rows.map((r) => [r.run, r.repeats, ...METRICS.flatMap(([key]) => [r[key]?.mean ?? '', r[key]?.ci95 ?? '']), r.neverRestable ?? 0]);
  writeFileSync(join(dir, 'table.csv'), stringify([header, ...body]));
  writeFileSync(join(dir, 'table.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * The family table: per run, the migration spike (max over the run's migrations of the per-second p99 in the
 * migration window), the completion time (sum over migrations), the throughput and the bytes moved (sum over
 * migrations); with repeats, mean and 95 % confidence interval. Printed, and written as table.csv / table.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { RunSummary } from '../run/summary.ts';
import { meanCi, type MeanCi } from '../../../analysis/src/compute/stats.ts';

export interface RunResult {
  run: string;
  folder: string;
  summary: RunSummary;
}

export interface TableRow {
  run: string;
  repeats: number;
  spikeMs?: MeanCi;
  completionMs?: MeanCi;
  throughputRecPerS?: MeanCi;
  movedMiB?: MeanCi;
}

const METRICS = [
  ['spikeMs', 'spike (ms)', 'spike_ms'],
  ['completionMs', 'completion (ms)', 'completion_ms'],
  ['throughputRecPerS', 'throughput (rec/s)', 'throughput_rec_s'],
  ['movedMiB', 'moved (MiB)', 'moved_mib'],
] as const;

type Metric = (typeof METRICS)[number][0];

function metrics(s: RunSummary): Partial<Record<Metric, number>> {
  const spikes = s.migrations.map((m) => m.spikeMs).filter((v): v is number => v !== undefined);
  const hasMigrations = s.migrations.length > 0;
  return {
    spikeMs: spikes.length ? Math.max(...spikes) : undefined,
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
    for (const [key] of METRICS) {
      const values = rs.map((r) => metrics(r.summary)[key]).filter((v): v is number => v !== undefined);
      const stat = meanCi(values);
      if (stat !== undefined) row[key] = stat;
    }
    return row;
  });
}

function cell(v: MeanCi | undefined, digits: number, withCi: boolean): string {
  if (v === undefined) return '-';
  return withCi ? `${v.mean.toFixed(digits)} ± ${v.ci95.toFixed(digits)}` : v.mean.toFixed(digits);
}

const DIGITS: Record<Metric, number> = { spikeMs: 1, completionMs: 1, throughputRecPerS: 0, movedMiB: 1 };

/** The table as aligned text; with repeats each cell is `mean ± ci95`. */
export function formatTable(title: string, rows: readonly TableRow[]): string {
  const withCi = rows.some((r) => r.repeats > 1);
  const header = ['run', ...(withCi ? ['n'] : []), ...METRICS.map(([, label]) => label)];
  const body = rows.map((r) => [r.run, ...(withCi ? [String(r.repeats)] : []), ...METRICS.map(([key]) => cell(r[key], DIGITS[key], withCi))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Writes `table.csv` (mean and ci95 columns per metric) and `table.json` into `dir`. */
export function writeTable(dir: string, rows: readonly TableRow[]): void {
  const header = ['run', 'repeats', ...METRICS.flatMap(([, , col]) => [col, `${col}_ci95`])];
  const body = rows.map((r) => [r.run, r.repeats, ...METRICS.flatMap(([key]) => [r[key]?.mean ?? '', r[key]?.ci95 ?? ''])]);
  writeFileSync(join(dir, 'table.csv'), stringify([header, ...body]));
  writeFileSync(join(dir, 'table.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * The comparison's output: per metric a strategy x workload table (terminal), `matrix.csv` (one row per cell
 * and metric), `matrix.json` (cells, recommendations, what each metric means) and the recommendations text.
 * The numbers come from analysis/src/compute/compare.ts, which the figures and the report use too.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { COMPARE_METRICS, GOALS, cellLabel, type CompareCell, type Recommendation, tieNote } from '../../../analysis/src/compute/compare.ts';

/** One table per metric: a row per strategy, a column per workload. */
export function formatMatrix(cells: readonly CompareCell[], workloads: readonly string[], strategies: readonly string[]): string {
  const out: string[] = [];
  for (const m of COMPARE_METRICS) {
    const header = ['strategy', ...workloads];
    const body = strategies.map((s) => [s, ...workloads.map((w) => cellLabel(cells.find((c) => c.workload === w && c.strategy === s), m, (v, d) => v.toFixed(d)) ?? '-')]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    out.push(`${m.label} — ${m.doc}`, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '');
  }
  return out.join('\n');
}

const metricLabel = (id: string): string => COMPARE_METRICS.find((m) => m.id === id)?.label ?? id;

/** Per workload, the strategy for each goal with the numbers behind it. */
export function formatRecommendations(recs: readonly Recommendation[]): string {
  const lines = ['Recommended strategy per workload:'];
  for (const w of [...new Set(recs.map((r) => r.workload))]) {
    lines.push(`  ${w}`);
    for (const r of recs.filter((x) => x.workload === w)) {
      const goal = GOALS.find((g) => g.id === r.goal)?.label ?? r.goal;
      const digits = COMPARE_METRICS.find((m) => m.id === r.metric)?.digits ?? 2;
      const note = tieNote(r);
      const tie = note === undefined ? '' : ` (${note})`;
      const runner = r.runnerUp === undefined ? '' : `; next: ${r.runnerUp.strategy} ${r.runnerUp.value.toFixed(digits)}${tie}`;
      lines.push(`    ${goal.padEnd(20)} ${r.strategy.padEnd(15)} ${metricLabel(r.metric)} ${r.value.toFixed(digits)}${runner}`);
    }
  }
  return lines.join('\n');
}

/**
 * Writes matrix.csv and matrix.json into `dir`. A cell none of whose runs re-stabilized has `never` as its
 * re-stable mean in the CSV; matrix.json's cells say how many runs never did (`never`).
 */
export function writeMatrix(dir: string, cells: readonly CompareCell[], recs: readonly Recommendation[]): void {
  const rows: (string | number)[][] = [['workload', 'strategy', 'runs', 'metric', 'mean', 'ci95']];
  for (const c of cells) for (const m of COMPARE_METRICS) {
    const v = c.values[m.id];
    if (v !== undefined) rows.push([c.workload, c.strategy, c.runs, m.slug, v.mean, v.ci95]);
    else if (c.never?.[m.id] !== undefined) rows.push([c.workload, c.strategy, c.runs, m.slug, 'never', '']);
  }
  writeFileSync(join(dir, 'matrix.csv'), stringify(rows));
  const metrics = COMPARE_METRICS.map(({ id, label, slug, doc }) => ({ id, label, slug, doc }));
  writeFileSync(join(dir, 'matrix.json'), `${JSON.stringify({ metrics, cells, recommendations: recs }, null, 2)}\n`);
}

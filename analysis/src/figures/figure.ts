/**
 * A figure = a Vega-Lite spec with its data inlined, built by a pure function from runs. Each family module
 * exports FigureDefs; a def whose runs do not exist returns undefined and names the npm script producing them.
 */
import { overall } from '../compute/series.ts';
import type { LatencyLog, Run, SeriesPoint } from '../model.ts';

export type VlSpec = Record<string, unknown>;

/** What figures may read: the runs, and their series and latency logs through functions (I/O stays outside). */
export interface FigureContext {
  runs: readonly Run[];
  /** Per-second series of a run (series.csv, or recomputed from its logs). */
  series: (run: Run) => SeriesPoint[];
  /** Latency logs of a run (read on demand, cached by the caller). */
  logs: (run: Run) => LatencyLog[];
}

export interface Figure {
  id: string;
  family: string;
  title: string;
  /** What was run and how it was measured. */
  caption: string;
  spec: VlSpec;
  runs: readonly Run[];
}

export interface FigureDef {
  id: string;
  family: string;
  title: string;
  /** The npm script producing the runs this figure needs. */
  produce: string;
  build: (ctx: FigureContext) => Figure | undefined;
}

export const FONT = 'DejaVu Sans';

/** Top-level properties every chart shares: font, white background, sizes. */
export function chart(title: string, body: VlSpec, size: { width?: number; height?: number } = {}): VlSpec {
  const sized = 'hconcat' in body || 'vconcat' in body || 'facet' in body ? {} : { width: size.width ?? 420, height: size.height ?? 240 };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    ...sized,
    ...body,
    config: { font: FONT, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } },
  };
}

/** Overall per-second p99 (and count) of a run, as chart rows. */
export function p99Rows(series: readonly SeriesPoint[], label: string, fromS = -Infinity, toS = Infinity): { t: number; p99: number; max: number; count: number; strategy: string }[] {
  return overall(series)
    .filter((p) => p.ts_s >= fromS && p.ts_s <= toS)
    .map((p) => ({ t: p.ts_s, p99: Math.max(p.p99, 0.01), max: p.max, count: p.count, strategy: label }));
}

export const round = (v: number | undefined, digits = 3): number | null => (v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

export function describeRuns(runs: readonly Run[]): string {
  const names = runs.map((r) => `${r.experiment}/${r.name}`);
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

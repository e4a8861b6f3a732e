/**
 * A per-second p99 timeline of a few runs on one axis (log scale), one line per label, the migration window
 * marked: a grey band from the earliest migration start to the latest end, a dashed rule at the start. The
 * mechanisms and flink-rescale figures share it. Pure.
 */
import { chart, p99Rows, round, type FigureContext, type VlSpec } from './figure.ts';
import { runFacts } from './run-facts.ts';
import type { Run } from '../model.ts';

export interface TimelineOptions {
  /** The data field and the legend's title of the labels (e.g. 'mechanism', 'Mechanism'). */
  field: string;
  legend: string;
  /** What the band marks (e.g. 'migration', 'rescale'). */
  what: string;
}

/** The spec, or undefined when the runs have no series or no migration window. */
export function p99Timeline(title: string, ctx: FigureContext, picked: readonly { run: Run; label: string }[], opts: TimelineOptions): VlSpec | undefined {
  const labels = picked.map((p) => p.label);
  // Each second's point in its middle, so that the window marks fall where they belong.
  const values = picked.flatMap(({ run, label }) => p99Rows(ctx.series(run), label).map(({ t, p99 }) => ({ t: t + 0.5, p99: round(p99, 4), [opts.field]: label })));
  const windows = picked.flatMap(({ run }) => runFacts(run, ctx.series(run)).windows);
  if (values.length === 0 || windows.length === 0) return undefined;
  const start = Math.min(...windows.map((w) => w.startMs)) / 1000;
  // At least 50 ms wide: an all-at-once migration of a quick family takes a few ms.
  const end = Math.max(start + 0.05, ...windows.map((w) => w.endMs / 1000));
  const band = [{ start: round(start, 3), end: round(end, 3), what: opts.what }];
  return chart(title, {
    layer: [
      {
        data: { values: band },
        mark: { type: 'rect', color: '#bbb', opacity: 0.35 },
        encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
      },
      {
        data: { values: band },
        mark: { type: 'rule', color: 'gray', strokeDash: [4, 3] },
        encoding: { x: { field: 'start', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, point: { size: 18 } },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'Elapsed Time (s)' },
          y: { field: 'p99', type: 'quantitative', title: 'P99 Latency (ms, log)', scale: { type: 'log' } },
          color: { field: opts.field, type: 'nominal', title: opts.legend, sort: labels, scale: { scheme: 'tableau10' }, legend: { labelLimit: 400 } },
          tooltip: [{ field: opts.field }, { field: 't' }, { field: 'p99' }],
        },
      },
    ],
  }, { width: 560, height: 260 });
}

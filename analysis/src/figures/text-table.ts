/**
 * A table drawn as a Vega-Lite text chart: one row per label, one column per figure, bold headers on top. The
 * mechanisms and flink-rescale tables share it. Pure.
 */
import { chart, type VlSpec } from './figure.ts';

/** `cells` hold `{ [field]: label, column, text }`; rows in `labels` order, columns in `columns` order. */
export function textTable(title: string, cells: readonly Record<string, string>[], opts: { field: string; labels: readonly string[]; columns: readonly string[]; columnWidth: number }): VlSpec {
  return chart(title, {
    data: { values: cells },
    mark: { type: 'text', fontSize: 12 },
    encoding: {
      x: { field: 'column', type: 'nominal', sort: [...opts.columns], title: null, axis: { orient: 'top', labelAngle: 0, domain: false, ticks: false, labelFontWeight: 'bold', labelLimit: 400 } },
      y: { field: opts.field, type: 'nominal', sort: [...opts.labels], title: null, axis: { domain: false, ticks: false, labelFontWeight: 'bold', labelLimit: 400 } },
      text: { field: 'text' },
    },
  }, { width: opts.columnWidth * opts.columns.length, height: 26 * opts.labels.length });
}

/**
 * The shared chart shapes of the sweep figures: stacked timer bars with a spike line on a second axis (the
 * reference's pareto_curve_*), stacked timer bars (breakdown_*), and grouped bars side by side (workloads/).
 */
import { chart, round, type VlSpec } from './figure.ts';

export const TIMER_LABELS = { sync: 'Synchronization', update: 'Redistribution', replication: 'Replication' } as const;

export interface ParetoRow {
  x: string;
  order: number;
  syncMs: number;
  updateMs: number;
  spikeMs: number | undefined;
}

/** Stacked sync/redistribution bars (left axis) and the spike as a line with points (right axis). */
export function paretoSpec(title: string, xTitle: string, rows: readonly ParetoRow[]): VlSpec {
  const bars = rows.flatMap((r) => [
    { x: r.x, order: r.order, part: TIMER_LABELS.sync, ms: round(r.syncMs) },
    { x: r.x, order: r.order, part: TIMER_LABELS.update, ms: round(r.updateMs) },
  ]);
  const line = rows.map((r) => ({ x: r.x, order: r.order, spike: round(r.spikeMs), part: 'Latency Spike' }));
  const xEnc = { field: 'x', type: 'ordinal', title: xTitle, sort: rows.map((r) => r.x), axis: { labelAngle: 0 } };
  return chart(title, {
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar' },
        encoding: {
          x: xEnc,
          y: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'Completion Time (ms)' },
          color: { field: 'part', type: 'nominal', title: null, scale: { domain: [TIMER_LABELS.sync, TIMER_LABELS.update, 'Latency Spike'], range: ['#4c78a8', '#f58518', '#e45756'] } },
        },
      },
      {
        data: { values: line },
        mark: { type: 'line', point: true, color: '#e45756' },
        encoding: {
          x: xEnc,
          y: { field: 'spike', type: 'quantitative', title: 'P99 Latency Spike (ms)', axis: { orient: 'right' } },
          color: { field: 'part', type: 'nominal', title: null },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  });
}

export interface BreakdownRow {
  x: string;
  syncMs: number;
  replicationMs: number;
  updateMs: number;
}

/** Stacked sync / replication / redistribution bars per x. */
export function breakdownSpec(title: string, xTitle: string, rows: readonly BreakdownRow[]): VlSpec {
  const values = rows.flatMap((r) => [
    { x: r.x, part: TIMER_LABELS.sync, k: 0, ms: round(r.syncMs) },
    { x: r.x, part: TIMER_LABELS.replication, k: 1, ms: round(r.replicationMs) },
    { x: r.x, part: TIMER_LABELS.update, k: 2, ms: round(r.updateMs) },
  ]);
  return chart(title, {
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xTitle, sort: rows.map((r) => r.x), axis: { labelAngle: 0 } },
      y: { field: 'ms', type: 'quantitative', title: 'Time (ms)', stack: 'zero' },
      color: { field: 'part', type: 'nominal', title: null, sort: [TIMER_LABELS.sync, TIMER_LABELS.replication, TIMER_LABELS.update] },
      order: { field: 'k' },
    },
  });
}

export interface GroupedRow {
  x: string;
  series: string;
  completionMs: number;
  spikeMs: number | undefined;
}

/** Two panels of grouped bars: completion time and P99 spike per x and series. */
export function groupedSpec(title: string, xTitle: string, rows: readonly GroupedRow[], xOrder: readonly string[]): VlSpec {
  const values = rows.map((r) => ({ x: r.x, series: r.series, completion: round(r.completionMs), spike: round(r.spikeMs) }));
  const panel = (field: string, yTitle: string): VlSpec => ({
    width: 260,
    height: 200,
    mark: 'bar',
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xTitle, sort: xOrder, axis: { labelAngle: 0 } },
      xOffset: { field: 'series' },
      y: { field, type: 'quantitative', title: yTitle },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
  return chart(title, { data: { values }, hconcat: [panel('completion', 'Completion Time (ms)'), panel('spike', 'P99 Latency Spike (ms)')] });
}

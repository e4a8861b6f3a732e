// figures > mechanisms: the family's runs are recognised by configuration (both Spacker points and another
// mechanism of one shuffle, the latest run per point), one p99 line per mechanism with the migration window
// marked, and the table's spike, mean during scaling, re-stable time ("never", "no record") and completion.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MECHANISMS_FIGURES, mechanismPoint, mechanismRow, mechanismRuns } from './mechanisms.ts';
import type { FigureContext } from './figure.ts';
import type { MigrationInfo, Run, SeriesPoint } from '../model.ts';
import { MIGRATION_END, MIGRATION_START } from '../fixtures/events.ts';

function run(name: string, strategy: string, sync: number, opts: { start?: number; extra?: Record<string, number>; migration?: Partial<MigrationInfo>; spike?: number } = {}): Run {
  const series: SeriesPoint[] = Array.from({ length: 10 }, (_, s) => ({ ts_s: s, subtask: 'all', scope: 'all', count: 100, p50: 0.01, p95: 0.02, p99: s === 5 ? (opts.spike ?? 5) : 0.05, p999: 0.1, max: 0.1 }));
  return {
    dir: `/r/mechanisms/${name}`,
    experiment: 'mechanisms',
    name,
    config: { 'spacker.strategy': strategy, 'spector.reconfig.sync_keys': sync, 'spector.replicate_keys_filter': 0, 'spector.reconfig.scenario': 'shuffle', 'spacker.runtime': 10, ...opts.extra },
    workload: 'micro-benchmark',
    explicit: [],
    startEpochMs: opts.start ?? 1,
    summary: { runtimeS: 10, migrations: [{ mode: strategy, startMs: 5100, endMs: 5300, completionMs: 200, spikeMs: opts.spike ?? 5, ...opts.migration }] },
    series,
    timers: [],
    events: [{ tsMs: 5100, record: MIGRATION_START }, { tsMs: 5300, record: MIGRATION_END }],
    latencyFiles: [],
    format: 'ours',
  };
}

const ctx = (runs: Run[]): FigureContext => ({ runs, series: (r) => r.series, logs: () => [] });

describe('figures > mechanisms', () => {
  const family = [
    run('spacker-all-at-once', 'spacker', 0, { migration: { meanDuringScalingMs: 2.5, restableMs: 900 } }),
    run('spacker-fluid', 'spacker', 1, { spike: 0.3, migration: { meanDuringScalingMs: 0.04, restableMs: null } }),
    run('restart', 'restart', 0, { spike: 60, migration: { recordsDuringScaling: 0, restableMs: 1900 } }),
    run('one-shot', 'one-shot', 0),
  ];

  it('names the points: Spacker all-at-once and fluid, other mechanisms by name; other Spacker points are none', () => {
    assert.deepEqual(family.map(mechanismPoint), ['spacker (all-at-once)', 'spacker (fluid)', 'restart', 'one-shot']);
    assert.equal(mechanismPoint(run('sync-8', 'spacker', 8)), undefined);
  });

  it('recognises the family by configuration: Spacker first, then the others by name; the latest run per point', () => {
    const newer = run('restart', 'restart', 0, { start: 9 });
    const other = run('x', 'restart', 0, { extra: { 'spacker.rate.per_task': 7 } });
    const picked = mechanismRuns([...family, newer, other, run('sync-8', 'spacker', 8)]);
    assert.deepEqual(picked.map((p) => p.label), ['spacker (all-at-once)', 'spacker (fluid)', 'one-shot', 'restart']);
    assert.equal(picked[3].run, newer);
    assert.deepEqual(mechanismRuns(family.slice(1)), [], 'without both Spacker points it is not the family');
    // A mechanism that replicates at checkpoints runs with them: the same family.
    const rhino = run('rhino', 'rhino', 0, { extra: { 'spacker.checkpoint.interval': 1000 } });
    assert.ok(mechanismRuns([...family, rhino]).some((p) => p.label === 'rhino'));
  });

  it('the latency figure: a line per mechanism, per-second p99 in the middle of each second, the window marked', () => {
    const fig = MECHANISMS_FIGURES[0].build(ctx(family)) ?? assert.fail('built');
    const layers = (fig.spec.layer as { data: { values: Record<string, unknown>[] }; mark: { type: string } }[]);
    assert.deepEqual(layers.map((l) => l.mark.type), ['rect', 'rule', 'line']);
    assert.deepEqual(layers[0].data.values, [{ start: 5.1, end: 5.3, what: 'migration' }]);
    const lines = layers[2].data.values;
    assert.deepEqual([...new Set(lines.map((v) => v.mechanism))], ['spacker (all-at-once)', 'spacker (fluid)', 'one-shot', 'restart']);
    assert.deepEqual(lines.find((v) => v.mechanism === 'restart' && v.t === 5.5), { t: 5.5, p99: 60, mechanism: 'restart' });
  });

  it('the table: spike, mean during scaling, re-stable time, completion', () => {
    const c = ctx(family);
    assert.deepEqual(mechanismRow(family[0], c), { 'spike (ms)': '5.000', 'mean during scaling (ms)': '2.500', 're-stable (ms)': '900', 'completion (ms)': '200.0' });
    assert.equal(mechanismRow(family[1], c)['re-stable (ms)'], 'never');
    assert.equal(mechanismRow(family[2], c)['mean during scaling (ms)'], 'no record');
    // not in summary.json: computed from the series (steady peak 0.05; second 5 above; re-stable at 6 s)
    assert.equal(mechanismRow(family[3], c)['re-stable (ms)'], '900');
    const table = MECHANISMS_FIGURES[1].build(c) ?? assert.fail('built');
    const cells = (table.spec.data as { values: { mechanism: string; column: string; text: string }[] }).values;
    assert.equal(cells.length, 16);
    assert.deepEqual(cells.find((x) => x.mechanism === 'restart' && x.column === 're-stable (ms)')?.text, '1900');
  });
});

// The comparison's numbers: per-run metrics from a synthetic run (spike and p99 of the others in the migration
// window, completion, bytes, throughput dip, checkpoint time, memory), cells with mean ± CI over repeats in
// the order the runs started, recommendations (lowest, ties broken by the second metric), the frontier.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARE_METRICS, cellLabel, compareCells, frontier, recommend, runMetrics, tieNote, type CompareCell } from './compare.ts';
import { reportHtml } from '../report/html.ts';
import { COMPARE } from '../figures/compare.ts';
import type { Run, SeriesPoint } from '../model.ts';
import { MIGRATION_END, MIGRATION_START } from '../fixtures/events.ts';

function point(ts_s: number, scope: SeriesPoint['scope'], p99: number, count = 1000): SeriesPoint {
  return { ts_s, subtask: 'all', scope, count, p50: p99 / 2, p95: p99, p99, p999: p99, max: p99 };
}

function run(opts: { workload?: string; strategy?: string; start?: number; spikeAt5?: number; otherAt5?: number; countAt5?: number; completionMs?: number; bytes?: number; checkpointMs?: number[] }): Run {
  const series: SeriesPoint[] = [];
  for (let s = 0; s < 10; s++) {
    series.push(point(s, 'all', s === 5 ? (opts.spikeAt5 ?? 1) : 1, s === 5 ? (opts.countAt5 ?? 1000) : 1000));
    series.push(point(s, 'other', s === 5 ? (opts.otherAt5 ?? 1) : 1));
  }
  return {
    dir: `/x/${opts.strategy}`,
    experiment: 'compare',
    name: `${opts.workload}--${opts.strategy}`,
    config: { 'spacker.compare.workload': opts.workload ?? '', 'spacker.compare.strategy': opts.strategy ?? '' },
    explicit: [],
    startEpochMs: opts.start,
    summary: {
      runtimeS: 10,
      // The process's memory is not the job's (a sweep shares the process): memory = the peak of state + replicas.
      memory: { rssBytes: 0, heapUsedBytes: 0, arrayBuffersBytes: 999 * 2 ** 20, externalBytes: 0 },
      stateBytes: 8 * 2 ** 20,
      replicaBytes: 16 * 2 ** 20,
      peakHeldBytes: 64 * 2 ** 20,
      migrations: [{ mode: 'spacker', startMs: 5100, endMs: 5300, completionMs: opts.completionMs ?? 200, bytes: opts.bytes ?? 2 ** 20 }],
    },
    series,
    timers: (opts.checkpointMs ?? []).map((d, i) => ({ reconfigId: 0, chunk: i + 1, timer: 'replication' as const, startMs: i * 1000, durationMs: d })),
    events: [
      { tsMs: 5100, record: MIGRATION_START },
      { tsMs: 5300, record: MIGRATION_END },
    ],
    latencyFiles: [],
    format: 'ours',
  };
}

describe('compare: metrics of one run', () => {
  it('reads the window from the events: spike, others, completion, bytes, dip, checkpoint time, memory', () => {
    const m = runMetrics(run({ workload: 'w', strategy: 's', spikeAt5: 40, otherAt5: 3, countAt5: 700, completionMs: 250, bytes: 3 * 2 ** 20, checkpointMs: [10, 20, 30] }));
    assert.equal(m.spikeMs, 40);
    assert.equal(m.p99OtherMs, 3);
    assert.equal(m.completionMs, 250);
    assert.equal(m.movedMiB, 3);
    assert.ok(Math.abs((m.throughputDipPct as number) - 30) < 1e-9, String(m.throughputDipPct));
    assert.equal(m.checkpointMsPerS, 6);
    assert.equal(m.memoryMiB, 64);
    // steady peak 1 (seconds 1..4), second 5 at 40: re-stable at the end of second 5, 900 ms after 5.1 s
    assert.equal(m.restableMs, 900);
    assert.equal(m.meanDuringScalingMs, undefined, 'the mean needs the per-record log or summary.json');
  });

  it('takes the mean during scaling and the re-stable time from summary.json when it has them (null = never)', () => {
    const r = run({ workload: 'w', strategy: 's', spikeAt5: 40 });
    r.summary?.migrations.push({ ...(r.summary.migrations[0]), startMs: 7100, endMs: 7200 });
    Object.assign(r.summary?.migrations[0] ?? {}, { meanDuringScalingMs: 4, recordsDuringScaling: 300, restableMs: 700 });
    Object.assign(r.summary?.migrations[1] ?? {}, { meanDuringScalingMs: 8, recordsDuringScaling: 100, restableMs: null });
    r.events.push({ tsMs: 7100, record: MIGRATION_START }, { tsMs: 7200, record: MIGRATION_END });
    const m = runMetrics(r);
    assert.equal(m.meanDuringScalingMs, 5, 'over both windows\' records');
    assert.equal(m.restableMs, null);
  });

  it('a run without migrations has no migration metrics', () => {
    const r = run({ workload: 'w', strategy: 's' });
    r.events = [];
    r.summary = { runtimeS: 10, migrations: [] };
    const m = runMetrics(r);
    assert.equal(m.spikeMs, undefined);
    assert.equal(m.completionMs, undefined);
    assert.equal(m.throughputDipPct, undefined);
  });
});

describe('compare: cells, recommendations, frontier', () => {
  const runs = [
    run({ workload: 'w1', strategy: 'fluid', start: 3, spikeAt5: 2, completionMs: 400 }),
    run({ workload: 'w1', strategy: 'fluid', start: 4, spikeAt5: 4, completionMs: 400 }),
    run({ workload: 'w1', strategy: 'all-at-once', start: 1, spikeAt5: 50, completionMs: 100 }),
    run({ workload: 'w1', strategy: 'restart', start: 5, spikeAt5: 500, completionMs: 450 }),
    run({ workload: 'w2', strategy: 'fluid', start: 6, spikeAt5: 9, completionMs: 90 }),
    { ...run({ workload: 'w2', strategy: 'x' }), config: {} },
  ];

  it('groups repeats into one cell with mean and 95 % interval, in the order the runs started; unlabelled runs are left out', () => {
    const cells = compareCells(runs);
    assert.deepEqual(cells.map((c) => `${c.workload}/${c.strategy}`), ['w1/all-at-once', 'w1/fluid', 'w1/restart', 'w2/fluid']);
    const fluid = cells[1];
    assert.equal(fluid.runs, 2);
    assert.equal(fluid.values.spikeMs?.mean, 3);
    assert.ok(Math.abs((fluid.values.spikeMs?.ci95 as number) - 12.706) < 1e-9);
    const ordered = compareCells(runs, { workloads: ['w2', 'w1'], strategies: ['restart', 'fluid', 'all-at-once'] });
    assert.deepEqual(ordered.map((c) => `${c.workload}/${c.strategy}`), ['w2/fluid', 'w1/restart', 'w1/fluid', 'w1/all-at-once']);
  });

  it('recommends the lowest per goal, names the runner-up, and breaks ties within 1 % by the second metric', () => {
    const recs = recommend(compareCells(runs));
    const w1 = recs.filter((r) => r.workload === 'w1');
    assert.deepEqual(w1.find((r) => r.goal === 'lowest-spike'), { workload: 'w1', goal: 'lowest-spike', strategy: 'fluid', metric: 'spikeMs', value: 3, runnerUp: { strategy: 'all-at-once', value: 50 } });
    assert.equal(w1.find((r) => r.goal === 'shortest-completion')?.strategy, 'all-at-once');
    const tie: CompareCell[] = [
      { workload: 'w', strategy: 'a', runs: 1, values: { spikeMs: { mean: 10.05, ci95: 0, n: 1 }, completionMs: { mean: 300, ci95: 0, n: 1 } } },
      { workload: 'w', strategy: 'b', runs: 1, values: { spikeMs: { mean: 10, ci95: 0, n: 1 }, completionMs: { mean: 900, ci95: 0, n: 1 } } },
    ];
    const r = recommend(tie).find((x) => x.goal === 'lowest-spike');
    assert.equal(r?.strategy, 'a');
    assert.equal(r?.decidedBy, 'completionMs', 'a tie says which metric chose');
    assert.equal(r && tieNote(r), 'within 1 %: the lower completion (ms) decides');
    assert.equal(w1.find((x) => x.goal === 'lowest-spike')?.decidedBy, undefined, 'no tie, nothing to say');
  });

  it('the frontier keeps the strategies no other beats on both spike and completion', () => {
    const w1 = compareCells(runs).filter((c) => c.workload === 'w1');
    assert.deepEqual(frontier(w1).map((c) => c.strategy), ['all-at-once', 'fluid']);
  });
});

describe('compare: never re-stable', () => {
  const never = (strategy: string, start: number, restableMs: number | null): Run => {
    const r = run({ workload: 'w', strategy, start, spikeAt5: 40 });
    Object.assign(r.summary?.migrations[0] ?? {}, { restableMs });
    return r;
  };
  const restable = COMPARE_METRICS.find((m) => m.id === 'restableMs') ?? assert.fail('restableMs');

  it('a cell counts the runs that never re-stabilized; its value is over the others', () => {
    const [some, all] = compareCells([never('a', 1, 1000), never('a', 2, null), never('b', 3, null)]);
    assert.deepEqual([some.values.restableMs?.mean, some.never], [1000, { restableMs: 1 }]);
    assert.deepEqual([all.values.restableMs, all.never], [undefined, { restableMs: 1 }]);
    const fmt = (v: number, d: number): string => v.toFixed(d);
    assert.equal(cellLabel(some, restable, fmt), '1000 (never in 1 of 2)');
    assert.equal(cellLabel(all, restable, fmt), 'never');
    assert.equal(cellLabel(undefined, restable, fmt), undefined);
  });
});

describe('compare: the report', () => {
  it('says which strategy per workload and goal, with the numbers behind it', () => {
    const runs = [run({ workload: 'w1', strategy: 'fluid', start: 1, spikeAt5: 2, completionMs: 400 }), run({ workload: 'w1', strategy: 'all-at-once', start: 2, spikeAt5: 50, completionMs: 100 })];
    const html = reportHtml({ generatedAt: 'now', results: '/r', figures: [], missing: [], problems: [] }, runs, 'figures');
    assert.match(html, /<h2>Which strategy\?<\/h2>/);
    assert.match(html, /<td>w1<\/td><td>lowest spike<\/td><td><b>fluid<\/b><\/td><td>spike \(ms\): 2\.00<\/td><td>all-at-once \(50\.00\)<\/td>/);
    assert.match(html, /<td>shortest completion<\/td><td><b>all-at-once<\/b><\/td>/);
    assert.doesNotMatch(reportHtml({ generatedAt: 'now', results: '/r', figures: [], missing: [], problems: [] }, [], 'figures'), /Which strategy/);
  });
});

describe('compare: a Flink run (spacker.engine=flink) among the cells', () => {
  /** A Flink run's summary.json has no memory, state or replica bytes, and its timers.csv no row. */
  function flinkRun(strategy: string, spikeAt5: number, completionMs: number): Run {
    const r = run({ workload: 'w', strategy, spikeAt5, completionMs, start: 9 });
    return {
      ...r,
      config: { ...r.config, 'spacker.engine': 'flink', 'spacker.strategy': strategy },
      summary: { runtimeS: 10, throughputRecPerS: 1000, migrations: [{ mode: strategy, startMs: 5100, endMs: 5300, completionMs, bytes: 0 }] },
      events: [{ tsMs: 5100, record: { event: 'restart_start', operator: 'op', keyGroups: 128 } }, { tsMs: 5300, record: { event: 'restart_end', downtimeMs: completionMs, bytes: 0 } }],
    };
  }
  const runs = [run({ workload: 'w', strategy: 'fluid', spikeAt5: 2, completionMs: 300, checkpointMs: [5], start: 1 }), flinkRun('flink-restart', 900, 2000), flinkRun('flink-rescale', 300, 400)];

  it('its metrics: spike, completion and re-stable; no checkpoint time (not reported, not 0) and no memory', () => {
    const m = runMetrics(runs[1]);
    assert.equal(m.spikeMs, 900);
    assert.equal(m.completionMs, 2000);
    assert.equal(m.checkpointMsPerS, undefined);
    assert.equal(m.memoryMiB, undefined);
  });

  it('cells, recommendations and the frontier: the Flink cells compete on spike and completion, not on overhead', () => {
    const cells = compareCells(runs);
    assert.deepEqual(cells.map((c) => c.strategy), ['fluid', 'flink-restart', 'flink-rescale']);
    assert.equal(cells[1].values.checkpointMsPerS, undefined);
    const recs = recommend(cells);
    assert.deepEqual(recs.map((r) => [r.goal, r.strategy, r.runnerUp?.strategy]), [['lowest-spike', 'fluid', 'flink-rescale'], ['shortest-completion', 'fluid', 'flink-rescale'], ['least-overhead', 'fluid', undefined]]);
    assert.deepEqual(frontier(cells).map((c) => c.strategy), ['fluid']);
    assert.match(reportHtml({ generatedAt: 'now', results: '/r', figures: [], missing: [], problems: [] }, runs, 'figures'), /<td><b>fluid<\/b><\/td>/);
    // The heat-maps and the trade-off scatter build with the Flink cells in them (mean during scaling needs logs).
    const built = COMPARE.map((def) => def.build({ runs, series: (r) => r.series, logs: () => [] })).filter((f) => f !== undefined);
    assert.deepEqual(built.map((f) => f.id).filter((id) => id === 'compare-heatmap-spike' || id === 'compare-tradeoff'), ['compare-heatmap-spike', 'compare-tradeoff']);
    const spike = JSON.stringify(built.find((f) => f.id === 'compare-heatmap-spike')?.spec);
    assert.ok(spike.includes('flink-restart') && spike.includes('flink-rescale'));
  });
});

// figures > flink-rescale: from small hand-made results folders, two shaped like embedded runs (migration
// events) and two like Flink runs (restart and flink_rescale events, a gap in the latency log), the family is
// recognised by configuration, the timeline has a line per way with the rescale marked, the table's peak,
// downtime, mean during scaling, re-stable, completion and steady p99 are exact, and the HTML report has the
// family's section.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEvent, type EventRecord } from '../../../engine/src/events/index.ts';
import { scanResults } from '../read/run-folder.ts';
import { makeContext } from '../render/generate.ts';
import { writeReport } from '../cli/report.ts';
import { FLINK_RESCALE_FIGURES, rescalePoint, rescaleRow, rescaleRuns } from './flink-rescale.ts';
import type { FigureContext } from './figure.ts';
import type { Run } from '../model.ts';

interface Shape {
  name: string;
  engine: 'embedded' | 'flink';
  strategy: string;
  sync: number;
  window: [number, number];
  /** Latency (ms) of the records completed at these times (ms); the others 1 ms; absent times: none completed. */
  latency: (tsMs: number) => number | undefined;
  /** Per-second p99 and max (overall); seconds without records have no row. */
  p99: (s: number) => number | undefined;
  migration: Record<string, unknown>;
}

let root: string;

function writeRun(s: Shape): void {
  const dir = join(root, 'flink-rescale', s.name);
  mkdirSync(join(dir, 'latency'), { recursive: true });
  const config = {
    'spector.reconfig.scenario': 'rescale', 'spacker.parallelism': 2, 'spacker.reconfig.target_parallelism': 4, 'spacker.runtime': 10,
    'spacker.engine': s.engine, 'spacker.strategy': s.strategy, 'spector.reconfig.sync_keys': s.sync, 'spector.replicate_keys_filter': 0,
    'spacker.flink.rest': s.engine === 'flink' ? 'http://127.0.0.1:8081' : '',
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ run: s.name, workload: { name: 'micro-benchmark' }, config, explicit: [], startEpochMs: 1 }));
  const [startMs, endMs] = s.window;
  const events: EventRecord[][] = s.engine === 'flink'
    ? [[{ event: 'flink_rescale_start', strategy: s.strategy, from: 2, to: 4 }, { event: 'restart_start', operator: 'Splitter FlatMap', keyGroups: 128 }], [{ event: 'restart_end', downtimeMs: 1, bytes: 0 }, { event: 'flink_rescale_end', strategy: s.strategy, from: 2, to: 4, jobId: 'j', wallMs: endMs - startMs, downtimeMs: 1 }]]
    : [[{ event: 'migration_start', operator: 'Splitter FlatMap', mechanism: 'spacker', chunks: 1, keyGroups: 64 }], [{ event: 'migration_end', chunks: 1, keyGroups: 64, bytes: 0, completionMs: 1 }]];
  const rows = [...events[0].map((e) => [startMs, e] as const), ...events[1].map((e) => [endMs, e] as const)].map(([ts, e]) => {
    const { event, detail } = formatEvent(e);
    return `${ts},${event},${detail}`;
  });
  writeFileSync(join(dir, 'events.csv'), ['ts_ms,event,detail', ...rows, ''].join('\n'));
  writeFileSync(join(dir, 'timers.csv'), 'reconfig_id,chunk,timer,start_ms,duration_ms\n');
  const series = ['ts_s,subtask,scope,count,p50,p95,p99,p999,max'];
  for (let sec = 0; sec < 10; sec++) {
    const p = s.p99(sec);
    if (p !== undefined) series.push(`${sec},all,all,10,1,1,${p},${p},${p}`);
  }
  writeFileSync(join(dir, 'series.csv'), `${series.join('\n')}\n`);
  const log = ['ts_ms,key_group,latency_ms'];
  for (let i = 0; i < 100; i++) {
    const ts = 50 + 100 * i;
    const l = s.latency(ts);
    if (l !== undefined) log.push(`${ts},${i % 128},${l}`);
  }
  writeFileSync(join(dir, 'latency', 'Splitter FlatMap-0.csv'), `${log.join('\n')}\n`);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ engine: s.engine, runtimeS: 10, records: log.length - 1, throughputRecPerS: (log.length - 1) / 10, migrations: [{ startMs, endMs, ...s.migration }] }));
}

const within = (t: number, [a, b]: [number, number]): boolean => t >= a && t <= b;
const SHAPES: Shape[] = [
  // Fluid: 4 records in the window at 3 ms, second 5's p99 3 ms; the first record (start-up) at 50 ms is no peak.
  { name: 'spacker-fluid', engine: 'embedded', strategy: 'spacker', sync: 1, window: [5000, 5400], latency: (t) => (t === 50 ? 50 : within(t, [5000, 5400]) ? 3 : 1), p99: (s) => (s === 0 ? 50 : s === 5 ? 3 : 1), migration: { mode: 'spacker', completionMs: 400, restableMs: 1000 } },
  // All-at-once: 1 record in the window at 8 ms.
  { name: 'spacker-all-at-once', engine: 'embedded', strategy: 'spacker', sync: 0, window: [5000, 5100], latency: (t) => (within(t, [5000, 5100]) ? 8 : 1), p99: (s) => (s === 5 ? 8 : 1), migration: { mode: 'spacker', completionMs: 100, restableMs: 2000 } },
  // Restart: nothing completes from 4,950 to 7,550 ms (2,600 ms), then 2,500, 2,400, ... 2,100 ms.
  { name: 'flink-restart', engine: 'flink', strategy: 'flink-restart', sync: 0, window: [5000, 8000], latency: (t) => (t > 4950 && t < 7550 ? undefined : t >= 7550 && t <= 7950 ? 2500 - (t - 7550) : 1), p99: (s) => (s === 5 || s === 6 ? undefined : s === 7 ? 2500 : 1), migration: { mode: 'flink-restart', completionMs: 2600, restableMs: null } },
  // In-place rescale: nothing from 4,950 to 5,750 ms, then 700, 600, 500 ms; second 8's p99 1.5 ms.
  { name: 'flink-rescale', engine: 'flink', strategy: 'flink-rescale', sync: 0, window: [5000, 6000], latency: (t) => (t > 4950 && t < 5750 ? undefined : t >= 5750 && t <= 5950 ? 700 - (t - 5750) : 1), p99: (s) => (s === 5 ? 700 : s === 8 ? 1.5 : 1), migration: { mode: 'flink-rescale', completionMs: 800, restableMs: 3000 } },
];

let runs: Run[];
let ctx: FigureContext;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'spacker-flink-rescale-fig-'));
  for (const s of SHAPES) writeRun(s);
  const scan = scanResults(root);
  assert.deepEqual(scan.problems, []);
  runs = scan.runs;
  ctx = makeContext(runs, []);
});
after(() => rmSync(root, { recursive: true, force: true }));

const byName = (name: string): Run => runs.find((r) => r.name === name) ?? assert.fail(name);

describe('figures > flink-rescale', () => {
  it('names the ways and recognises the family by configuration, embedded points first', () => {
    assert.deepEqual(SHAPES.map((s) => rescalePoint(byName(s.name))), ['spacker fluid (embedded)', 'spacker all-at-once (embedded)', 'flink-restart', 'flink-rescale']);
    assert.deepEqual(rescaleRuns([...runs].reverse()).map((p) => p.run.name), ['spacker-fluid', 'spacker-all-at-once', 'flink-restart', 'flink-rescale']);
    assert.deepEqual(rescaleRuns(runs.filter((r) => r.name.startsWith('flink-'))), [], 'Flink runs alone are not the family');
  });

  it('the timeline: a line per way, per-second p99 in the middle of each second, the rescale marked from the earliest start to the latest end', () => {
    const fig = FLINK_RESCALE_FIGURES[0].build(ctx) ?? assert.fail('built');
    const layers = fig.spec.layer as { data: { values: Record<string, unknown>[] }; mark: { type: string }; encoding?: { y?: { scale?: { type: string } } } }[];
    assert.deepEqual(layers.map((l) => l.mark.type), ['rect', 'rule', 'line']);
    assert.deepEqual(layers[0].data.values, [{ start: 5, end: 8, what: 'rescale' }]);
    assert.equal(layers[2].encoding?.y?.scale?.type, 'log');
    const lines = layers[2].data.values;
    assert.deepEqual([...new Set(lines.map((v) => v.way))], ['spacker fluid (embedded)', 'spacker all-at-once (embedded)', 'flink-restart', 'flink-rescale']);
    assert.deepEqual(lines.find((v) => v.way === 'flink-restart' && v.t === 7.5), { t: 7.5, p99: 2500, way: 'flink-restart' });
    assert.equal(lines.filter((v) => v.way === 'flink-restart').length, 8, 'seconds 5 and 6 completed nothing');
  });

  it('the table: peak, downtime (longest gap in completed records), mean during scaling, re-stable, completion, steady p99', () => {
    assert.deepEqual(rescaleRow(byName('spacker-fluid'), ctx), { 'peak (ms)': '3.0', 'downtime (ms)': '100.0', 'mean during scaling (ms)': '3.000', 're-stable (ms)': '1000', 'completion (ms)': '400.0', 'p99 steady (ms)': '1.000' });
    assert.deepEqual(rescaleRow(byName('spacker-all-at-once'), ctx), { 'peak (ms)': '8.0', 'downtime (ms)': '100.0', 'mean during scaling (ms)': '8.000', 're-stable (ms)': '2000', 'completion (ms)': '100.0', 'p99 steady (ms)': '1.000' });
    assert.deepEqual(rescaleRow(byName('flink-restart'), ctx), { 'peak (ms)': '2500.0', 'downtime (ms)': '2600.0', 'mean during scaling (ms)': '2300.000', 're-stable (ms)': 'never', 'completion (ms)': '2600.0', 'p99 steady (ms)': '1.000' });
    assert.deepEqual(rescaleRow(byName('flink-rescale'), ctx), { 'peak (ms)': '700.0', 'downtime (ms)': '800.0', 'mean during scaling (ms)': '600.000', 're-stable (ms)': '3000', 'completion (ms)': '800.0', 'p99 steady (ms)': '1.100' });
    const table = FLINK_RESCALE_FIGURES[1].build(ctx) ?? assert.fail('built');
    const cells = (table.spec.data as { values: { way: string; column: string; text: string }[] }).values;
    assert.equal(cells.length, 24);
    assert.equal(cells.find((c) => c.way === 'flink-rescale' && c.column === 'downtime (ms)')?.text, '800.0');
  });

  it("the HTML report has the family's section with both figures", async () => {
    const path = await writeReport(root, join(root, 'report'));
    const html = readFileSync(path, 'utf8');
    const section = /<section><h2>flink-rescale<\/h2>(.*?)<\/section>/s.exec(html)?.[1] ?? assert.fail('no flink-rescale section');
    assert.match(section, /<figure id="flink-rescale-latency">/);
    assert.match(section, /<figure id="flink-rescale-table">/);
  });
});

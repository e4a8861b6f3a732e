// Event time through a keyed -> keyed pipeline on a ManualClock: a source with watermarks, a tumbling-window
// count with timers, and a downstream operator that checks that nothing reaches it behind its watermark.
// Without migration, with two inputs, and through migrations of the window operator whose state (counts and
// timers) is in transit while watermarks move on: every window fires once with all its records, and the
// watermark sent downstream never passes a window that has still to fire.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/core/clock.ts';
import { RateProfile } from '../src/core/rate-profile.ts';
import { planMigration } from '../src/planner/plan-migration.ts';
import { JobGraph } from '../src/runtime/job-graph.ts';
import { Job } from '../src/runtime/job.ts';
import type { KeyedContext, KeyedFunction, OperatorInfo } from '../src/runtime/task.ts';
import type { KeyedStateBackend, MapState } from '../src/state/keyed-state-backend.ts';
import type { TimerService } from '../src/state/timer-service.ts';

const WINDOW_MS = 100;
const KEYS = 13;

interface Tick { readonly t: number; readonly key: string }
interface WindowCount { readonly key: string; readonly end: number; readonly count: number }

/** Counts records per key per tumbling window of event time `t`; a timer at the window's end emits the count. */
class WindowCounter implements KeyedFunction<Tick, WindowCount> {
  private counts!: MapState<number, number>;
  private timers!: TimerService;
  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.counts = state.mapState('counts');
    this.timers = info.timers;
  }
  processElement(v: Tick, ctx: KeyedContext<WindowCount>): void {
    const end = Math.floor(v.t / WINDOW_MS) * WINDOW_MS + WINDOW_MS;
    const n = this.counts.get(end) ?? 0;
    if (n === 0) this.timers.register(ctx.key, ctx.keyGroup, end);
    this.counts.put(end, n + 1);
  }
  onTimer(end: number, ctx: KeyedContext<WindowCount>): void {
    const count = this.counts.get(end) ?? 0;
    this.counts.remove(end);
    ctx.collect({ key: ctx.key as string, end, count });
  }
}

/** Records what arrives, and what arrived behind the watermark (its time is the window end). */
class LateChecker implements KeyedFunction<WindowCount, never> {
  constructor(readonly seen: WindowCount[], readonly late: WindowCount[]) {}
  processElement(v: WindowCount, ctx: KeyedContext<never>): void {
    this.seen.push(v);
    if (v.end < (ctx as unknown as { watermarkMs: number }).watermarkMs) this.late.push(v);
  }
}

function run(opts: { sources: number; migrate: boolean }): { seen: WindowCount[]; late: WindowCount[]; records: number } {
  const seen: WindowCount[] = [];
  const late: WindowCount[] = [];
  const rate = 2000;
  const count = 2 * rate;
  const graph = new JobGraph()
    .source<Tick>('src', {
      parallelism: opts.sources,
      profile: RateProfile.constant(rate),
      count,
      watermarkIntervalMs: 10,
      create: (s, p) => ({ emit: (i, offsetMs, out) => out.collect({ t: Math.floor(offsetMs), key: `k${(i * p + s) % KEYS}` }) }),
    })
    .keyed<Tick, WindowCount>('win', { parallelism: 3, maxParallelism: 16, inputs: [{ from: 'src', key: (v) => (v as Tick).key }], create: () => new WindowCounter() })
    .keyed<WindowCount, never>('check', { parallelism: 2, maxParallelism: 16, inputs: [{ from: 'win', key: (v) => String((v as WindowCount).end) }], create: () => new LateChecker(seen, late) });
  const clock = new ManualClock();
  const job = new Job(graph, { clock, taskManagers: 2 });
  const layer = job.attachMigration({ operator: 'win', timers: { timer: () => undefined }, link: { bandwidthMBps: 0, latencyMs: 25 } });
  const starts = opts.migrate ? [430, 1250] : [];
  const reports: Promise<unknown>[] = [];
  job.runUntilIdle();
  while (!job.done || starts.length > 0) {
    clock.advance(1);
    if (starts.length > 0 && job.elapsedMs() >= starts[0] && layer.status().state === 'idle') {
      starts.shift();
      const current = job.assignment('win');
      const target = current.withMoves(Array.from(current.table(), (o, keyGroup) => ({ keyGroup, to: keyGroup % 2 === 0 ? (o + 1) % 3 : o })));
      const stats = { rate: new Float64Array(16), bytes: new Float64Array(16) };
      reports.push(layer.runPlan(planMigration({ operator: 'win', current, target, strategy: { order: 'default', syncKeys: 1, replicateFilter: 0, hotRatio: 0, seed: 1 }, stats, previousReplicated: [] })));
    }
    job.runUntilIdle();
    assert.ok(job.elapsedMs() < 60_000, 'the job ends');
  }
  return { seen, late, records: count };
}

/** Per key and window, the count a batch computation gives. */
function expected(sources: number): string[] {
  const rate = 2000;
  const counts = new Map<string, number>();
  const per = RateProfile.constant(rate).scaled(sources);
  for (let s = 0; s < sources; s++) {
    const share = Math.floor((2 * rate) / sources) + (s < (2 * rate) % sources ? 1 : 0);
    for (let i = 0; i < share; i++) {
      const id = `k${(i * sources + s) % KEYS}|${Math.floor(Math.floor(per.timeOf(i)) / WINDOW_MS) * WINDOW_MS + WINDOW_MS}`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return [...counts].map(([id, n]) => `${id}|${n}`).sort();
}

const asLines = (seen: WindowCount[]): string[] => seen.map((w) => `${w.key}|${w.end}|${w.count}`).sort();

describe('engine > event time', () => {
  it('windows fire once the watermark passes their end, each with all its records', () => {
    const r = run({ sources: 1, migrate: false });
    assert.deepEqual(asLines(r.seen), expected(1));
    assert.deepEqual(r.late, []);
  });

  it('two source subtasks: the watermark is the slower input\'s', () => {
    const r = run({ sources: 2, migrate: false });
    assert.deepEqual(asLines(r.seen), expected(2));
    assert.deepEqual(r.late, []);
  });

  it('migrations in chunks while windows are open: same windows, nothing behind the downstream watermark', () => {
    const r = run({ sources: 2, migrate: true });
    assert.deepEqual(asLines(r.seen), expected(2));
    assert.deepEqual(r.late, []);
  });
});

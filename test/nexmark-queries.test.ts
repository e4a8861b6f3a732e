// Every Nexmark query against its batch computation over the same generated events: without migration,
// through live migrations (all at once, chunks of 1 and 4, with replication and checkpoints) and through a
// restart, started while windows are open. Results must be the same multiset, every record reaches the
// operator exactly once, and the final state (window contents, timers, join state) is the same in every
// key group as without migration, and lives only at the key group's owner.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Strategy } from '../engine/src/index.ts';
import { batchQ7, batchResults, generateAll } from '../workloads/src/nexmark/batch.ts';
import type { NexmarkEvent } from '../workloads/src/nexmark/model.ts';
import { DEFAULT_GENERATOR } from '../workloads/src/nexmark/generator-config.ts';
import { NEXMARK_QUERIES, type NexmarkParams, type NexmarkQuery } from '../workloads/src/nexmark/nexmark.ts';
import { finalState, multiset, runNexmark, type TestPlan } from './helpers/nexmark-run.ts';

const PARALLELISM = 4;

/** The queries, and Q5 with its window counts as results (the hot items alone hide a wrong count). */
type Variant = NexmarkQuery | 'q5-counts';
const VARIANTS: readonly Variant[] = [...NEXMARK_QUERIES, 'q5-counts'];

function params(variant: Variant, sourceParallelism = 1): NexmarkParams {
  const query: NexmarkQuery = variant === 'q5-counts' ? 'q5' : variant;
  return {
    q5Output: variant === 'q5-counts' ? 'counts' : 'hot-items',
    query,
    runtimeS: 3,
    // Q2 selects auctions by id: enough events that ids pass 2087.
    eventsPerSec: query === 'q2' ? 12_000 : 2000,
    parallelism: PARALLELISM,
    sourceParallelism,
    maxParallelism: 64,
    seed: 7,
    generator: query === 'q8' ? { ...DEFAULT_GENERATOR, bidProportion: 2 } : DEFAULT_GENERATOR,
    windowSizeMs: query === 'q8' ? 500 : 1000,
    windowSlideMs: 100,
    sessionGapMs: 200,
    busyWorkMs: 0,
    watermarkIntervalMs: 20,
  };
}

const strategy = (syncKeys: number, replicateFilter = 0): Strategy => ({ order: 'default', syncKeys, replicateFilter, hotRatio: 0, seed: 1 });

/** Two migrations while windows are open: every third key group one subtask on, then every other one back. */
function plans(s: Strategy): TestPlan[] {
  return [
    { atMs: 960, strategy: s, target: (cur) => Array.from(cur, (o, kg) => (kg % 3 === 0 ? (o + 1) % PARALLELISM : o)) },
    { atMs: 1960, strategy: s, target: (cur) => Array.from(cur, (o, kg) => (kg % 2 === 0 ? (o + PARALLELISM - 1) % PARALLELISM : o)) },
  ];
}

const CASES: { name: string; plans: TestPlan[]; options?: Parameters<typeof runNexmark>[2] }[] = [
  { name: 'all at once', plans: plans(strategy(0)) },
  { name: 'chunks of 1', plans: plans(strategy(1)) },
  { name: 'chunks of 4, replication (filter 2) and checkpoints', plans: plans(strategy(4, 2)), options: { checkpointIntervalMs: 100, replicateFilter: 2 } },
  { name: 'restart', plans: [], options: { restartAtMs: 1200 } },
];

for (const query of VARIANTS) {
  describe(`nexmark > ${query}`, () => {
    const p = params(query);
    const expected = multiset(batchResults(p, generateAll(p)));

    it('without migration: the batch results, every record once', async () => {
      const run = await runNexmark(p);
      assert.ok(expected.length > 0, 'the batch computation has results');
      assert.deepEqual(multiset(run.outputs), expected);
      const processed = run.job.keyedTasks(run.operator).reduce((n, t) => n + t.processed, 0);
      assert.equal(processed, run.totalRecords);
    });

    const baseline = runNexmark(p).then(finalState);
    for (const c of CASES) {
      it(`${c.name}: the same results and the same final state`, async () => {
        const run = await runNexmark(p, c.plans, c.options);
        assert.equal(run.reports.length, c.plans.length + run.restarts);
        for (const r of run.reports) assert.ok(r.keyGroups > 0, 'the migration moved key groups');
        assert.deepEqual(multiset(run.outputs), expected);
        assert.equal(run.job.keyedTasks(run.operator).reduce((n, t) => n + t.processed, 0), run.totalRecords);
        assert.deepEqual(finalState(run), await baseline);
      });
    }

    it('a source that generates every event (as Flink\'s) gives the same results', async () => {
      const run = await runNexmark({ ...p, generateAll: true });
      assert.deepEqual(multiset(run.outputs), expected);
    });

    it('two source subtasks, chunks of 2: the batch results', async () => {
      const p2 = params(query, 2);
      const run = await runNexmark(p2, plans(strategy(2)));
      assert.deepEqual(multiset(run.outputs), multiset(batchResults(p2)));
    });
  });
}

describe('nexmark > q7 > small windows', () => {
  // 100 ms windows: 30 of them, so the migrations at 960 and 1960 ms move auctions with windows open.
  const p: NexmarkParams = { ...params('q7'), windowSizeMs: 100 };
  const expected = multiset(batchResults(p));

  it('a result per window, and the same through migrations in chunks of 2 as without', async () => {
    assert.equal(new Set(expected.map((r) => Math.floor((JSON.parse(r) as { dateTime: number }).dateTime / 100))).size, 30);
    assert.deepEqual(multiset((await runNexmark(p)).outputs), expected);
    const run = await runNexmark(p, plans(strategy(2)));
    for (const r of run.reports) assert.ok(r.keyGroups > 0, 'the migration moved key groups');
    assert.deepEqual(multiset(run.outputs), expected);
  });

  it('the batch check keeps every bid at a window\'s highest price (ties)', () => {
    const bid = (auction: number, price: number, dateTime: number): NexmarkEvent => ({ kind: 'bid', auction, bidder: auction + 1, price, dateTime, extra: '' });
    const got = batchQ7([bid(1, 5, 0), bid(2, 9, 10), bid(3, 9, 99), bid(4, 7, 100)], 100);
    assert.deepEqual(multiset(got), multiset([
      { auction: 2, price: 9, bidder: 3, dateTime: 10 },
      { auction: 3, price: 9, bidder: 4, dateTime: 99 },
      { auction: 4, price: 7, bidder: 5, dateTime: 100 },
    ]));
  });
});

// Scenarios of Meces (meces: blocking, as the artifact; meces-set-aside: records set aside) on a manual clock:
// the bins a record at the new owner needs are fetched on demand, before the background rounds reach them;
// a record that still reaches the old owner after its bin left borrows the bin back (its records were queued
// before the barrier); the blocking variant stops the new owner on such a record, the set-aside variant holds
// it and processes other keys meanwhile. Every scenario ends with the state, exactly-once and order checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Strategy } from '../src/control/plan.ts';
import type { MigrationLayer } from '../src/migration/migration-layer.ts';
import type { PlanReport } from '../src/migration/mechanism.ts';
import type { MecesMechanism } from '../src/migration/meces/meces.ts';
import { ADMIT, BLOCK, type SubtaskPort } from '../src/migration/ports.ts';
import {
  DOWN,
  OP,
  assertExactlyOnceInOrder,
  assertSameState,
  assertStateMatchesAssignment,
  countState,
  finalState,
  oracleState,
  oracleStates,
  startTestJob,
  type JobShape,
  type TestJobSpec,
} from './helpers/migration-job.ts';

const STRATEGY: Strategy = { syncKeys: 1, order: 'default', replicateFilter: 0, hotRatio: 0, seed: 1 };

interface Logged {
  /** Transitions of bins: [bin, from, event, to]. */
  readonly transitions: [number, string, string, string][];
  /** In order: gate verdicts (subtask, verdict, key group) and records processed (subtask, key group). */
  readonly timeline: ({ kind: 'verdict'; subtask: number; verdict: number; kg: number } | { kind: 'processed'; subtask: number; kg: number } | { kind: 'drained'; subtask: number; slot: number })[];
}

interface Scenario {
  readonly mechanism: 'meces' | 'meces-set-aside';
  readonly spec: TestJobSpec;
  readonly bins: number;
  readonly fetchBatch: number;
  readonly link: { bandwidthMBps: number; latencyMs: number };
  /** Key groups moved and their new owner. */
  readonly moves: readonly { keyGroup: number; to: number }[];
  /** Fill the channels with records (sources stepped alone) before the migration's first step. */
  readonly backlog: boolean;
}

/** Runs a scenario to its end; checks the final state, exactly once and in order; returns what happened. */
async function run(s: Scenario): Promise<Logged & { statuses: Map<number, string[]>; report: PlanReport; events: string[] }> {
  const log: Logged = { transitions: [], timeline: [] };
  const states: SubtaskPort['state'][] = [];
  const spec: TestJobSpec = { ...s.spec, hook: (_v, ctx, state) => log.timeline.push({ kind: 'processed', subtask: states.indexOf(state), kg: ctx.keyGroup }) };
  const options = { channelCapacity: 65_536, batchCapacity: 8, checkpointIntervalMs: 0, taskManagers: 2 };
  const r = startTestJob(spec, options, {
    link: s.link,
    mechanism: s.mechanism,
    mechanismOptions: { [s.mechanism]: { bins: s.bins, fetch_batch: s.fetchBatch } },
    observer: (bin, from, event, to) => log.transitions.push([bin, from, event, to]),
  });
  const { job, clock } = r;
  const layer = r.layer as MigrationLayer;
  for (const t of job.keyedTasks(OP)) states.push(t.state);
  const judge = layer.judge.bind(layer);
  layer.judge = (task, key, kg, ...rest) => {
    const verdict = judge(task, key, kg, ...rest);
    log.timeline.push({ kind: 'verdict', subtask: task.subtask, verdict, kg });
    return verdict;
  };
  const drained = layer.slotDrained.bind(layer);
  layer.slotDrained = (task, slot) => {
    log.timeline.push({ kind: 'drained', subtask: task.subtask, slot });
    drained(task, slot);
  };
  job.runUntilIdle();
  clock.advance(2);
  job.runUntilIdle();
  if (s.backlog) {
    clock.advance(3);
    for (const src of job.sources) src.step();
  }
  const target = job.assignment(OP).withMoves(s.moves);
  const report = layer.request({ target, strategy: STRATEGY }, s.mechanism);
  // Its first step: the barrier goes out behind the records in the channels, the first round's bins leave.
  layer.step();
  const mechanism = layer.mechanism(s.mechanism) as MecesMechanism;
  const statuses = new Map<number, string[]>();
  const sample = (): void => {
    for (const { keyGroup } of s.moves) {
      const now = mechanism.keyGroupStatus(keyGroup);
      const seen = statuses.get(keyGroup) ?? [];
      if (now !== undefined && seen.at(-1) !== now) seen.push(now);
      statuses.set(keyGroup, seen);
    }
  };
  job.runUntilIdle();
  while (!job.done) {
    assert.ok(job.elapsedMs() < 30_000, 'the job ends');
    sample();
    clock.advance(0.5);
    job.runUntilIdle();
  }
  const actual = finalState(job, OP);
  assertExactlyOnceInOrder(actual, s.spec);
  assertSameState(actual, oracleState(s.spec, options), 'final state equals the run without migration');
  assertStateMatchesAssignment(job, OP);
  return { ...log, statuses, report: await report, events: r.recorder.events.map((e) => `${e.event} ${e.detail}`) };
}

const SPEC: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 1500, ratePerSec: 50_000, nKeys: 40, parallelism: 2, maxParallelism: 8, sink: false };
/** Key groups 0-3 (subtask 0) all move to subtask 1, which keeps 4-7: one old owner, so one key group per round. */
const ALL_OF_0 = [0, 1, 2, 3].map((keyGroup) => ({ keyGroup, to: 1 }));
const SLOW_LINK = { bandwidthMBps: 0.05, latencyMs: 2 };

/** Index of the first transition of a bin of key group `kg` (bins % 8 with 8 key groups) with `event`, or -1. */
function firstOf(t: Logged['transitions'], kg: number, event: string): number {
  return t.findIndex(([bin, , e]) => bin % 8 === kg && e === event);
}

describe('meces > scenarios', () => {
  for (const mechanism of ['meces', 'meces-set-aside'] as const) {
    it(`${mechanism}: a bin accessed at the new owner is fetched on demand before the background round reaches its key group`, async () => {
      const { transitions, report, events, statuses } = await run({ mechanism, spec: SPEC, bins: 5, fetchBatch: 1, link: SLOW_LINK, moves: ALL_OF_0, backlog: false });
      // Each key group at its new owner: empty, then partially fetched (its bins come one by one), then fetched
      // (sampled between steps: the last one fetched ends the migration in the step that installs it).
      for (const kg of [0, 1, 2, 3]) {
        const seen = statuses.get(kg) as string[];
        assert.deepEqual(seen, ['empty', 'partial', 'fetched'].slice(0, seen.length), `key group ${kg}: ${seen.join(' > ')}`);
        assert.ok(seen.length >= 2, `key group ${kg} was seen partially fetched`);
      }
      assert.ok([0, 1, 2, 3].some((kg) => statuses.get(kg)?.includes('fetched')));
      // Rounds take key groups 0, 1, 2, 3 in turn (one old owner, batch 1); records of key group 3 arrive
      // at the new owner long before its round: some of its bins come on demand, ahead of the round.
      const onDemand = firstOf(transitions, 3, 'fetch');
      const background = firstOf(transitions, 3, 'background');
      assert.ok(onDemand >= 0, 'a bin of key group 3 was fetched on demand');
      assert.ok(background < 0 || onDemand < background, 'before its background round');
      assert.ok(firstOf(transitions, 0, 'background') >= 0, 'key group 0 came in the background');
      assert.equal(report.keyGroups, 4);
      assert.ok(report.chunks >= 1 && report.chunks <= 4, `rounds: ${report.chunks}`);
      const end = events.find((e) => e.startsWith('migration_end')) as string;
      assert.match(end, /on_demand=[1-9]/);
      assert.ok(events.some((e) => e.startsWith('migration_start') && e.includes(`mechanism=${mechanism}`)));
    });

    it(`${mechanism}: a record still reaching the old owner after its bin left borrows the bin back`, async () => {
      const { transitions } = await run({ mechanism, spec: SPEC, bins: 3, fetchBatch: 1, link: { bandwidthMBps: 0, latencyMs: 1 }, moves: ALL_OF_0, backlog: true });
      const borrow = transitions.findIndex(([, , e]) => e === 'borrow');
      assert.ok(borrow >= 0, 'a bin was borrowed back');
      const [bin] = transitions[borrow];
      const back = transitions.findIndex(([b, , e], i) => i > borrow && b === bin && e === 'return');
      assert.ok(back > borrow, 'it returned to the old owner');
      assert.ok(transitions.some(([b, , e], i) => i > back && b === bin && e === 'install'), 'and came to the new owner again');
    });
  }

  it('meces blocks the new owner on a record whose bin is away: it processes nothing until the record is admitted', async () => {
    const { timeline } = await run({ mechanism: 'meces', spec: SPEC, bins: 5, fetchBatch: 1, link: SLOW_LINK, moves: ALL_OF_0, backlog: false });
    assert.ok(!timeline.some((x) => x.kind === 'verdict' && x.verdict >= 0), 'none waits for the old owner here, so none is held in a slot');
    const block = timeline.findIndex((x) => x.kind === 'verdict' && x.subtask === 1 && x.verdict === BLOCK);
    assert.ok(block >= 0, 'the new owner blocked');
    const admitted = timeline.findIndex((x, i) => i > block && x.kind === 'verdict' && x.subtask === 1 && x.verdict === ADMIT);
    assert.ok(admitted > block);
    const between = timeline.slice(block + 1, admitted).filter((x) => x.kind === 'processed' && x.subtask === 1);
    assert.equal(between.length, 0, 'the blocked subtask processed no record meanwhile');
  });

  it('meces-set-aside holds the record and the new owner goes on with other keys meanwhile', async () => {
    const { timeline } = await run({ mechanism: 'meces-set-aside', spec: SPEC, bins: 5, fetchBatch: 1, link: SLOW_LINK, moves: ALL_OF_0, backlog: false });
    assert.ok(!timeline.some((x) => x.kind === 'verdict' && x.verdict === BLOCK), 'it never blocks');
    const held = timeline.findIndex((x) => x.kind === 'verdict' && x.subtask === 1 && x.verdict >= 0);
    assert.ok(held >= 0, 'the new owner held a record');
    const slot = (timeline[held] as { verdict: number }).verdict;
    const drained = timeline.findIndex((x, i) => i > held && x.kind === 'drained' && x.subtask === 1 && x.slot === slot);
    assert.ok(drained > held, 'its slot drained later');
    const others = timeline.slice(held + 1, drained).filter((x) => x.kind === 'processed' && x.subtask === 1 && x.kg >= 4);
    assert.ok(others.length > 0, 'the new owner processed records of its own key groups meanwhile');
  });

  // Borrow-back is rare in the property test (its old owners have drained their channels when bins leave):
  // here the channels hold records when the first bins leave (the sources step alone first), over random
  // jobs of every shape, for both variants. This search found a deadlock of the blocking variant once.
  it('with records queued at the old owners when bins leave: state, exactly once, order, and the job ends (random jobs, 300 cases)', async () => {
    let borrows = 0;
    const arb = fc.record({
      mechanism: fc.constantFrom('meces', 'meces-set-aside'),
      shape: fc.constantFrom<JobShape>('single', 'two-input', 'chain', 'downstream'),
      sources: fc.integer({ min: 1, max: 3 }),
      sourcesB: fc.integer({ min: 1, max: 2 }),
      up: fc.integer({ min: 1, max: 3 }),
      parallelism: fc.integer({ min: 2, max: 5 }),
      mpBits: fc.integer({ min: 3, max: 5 }),
      extraBits: fc.integer({ min: 0, max: 2 }),
      nKeys: fc.integer({ min: 3, max: 60 }),
      records: fc.integer({ min: 200, max: 1200 }),
      rate: fc.constantFrom(20_000, 50_000, 100_000),
      channelCapacity: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constant(65_536)),
      batchCapacity: fc.integer({ min: 1, max: 16 }),
      checkpointIntervalMs: fc.constantFrom(0, 0, 1, 3),
      bandwidthMBps: fc.constantFrom(0, 0.05),
      latencyMs: fc.integer({ min: 0, max: 3 }),
      fetchBatch: fc.integer({ min: 1, max: 4 }),
      raw: fc.array(fc.nat(31), { minLength: 32, maxLength: 32 }),
      atMs: fc.integer({ min: 0, max: 20 }),
      backlogMs: fc.integer({ min: 0, max: 5 }),
      sink: fc.boolean(),
      stepMs: fc.constantFrom(0.25, 0.5, 1, 2),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const mp = 2 ** c.mpBits;
        const spec: TestJobSpec = { shape: c.shape, sourceParallelism: c.sources, sourceParallelismB: c.sourcesB, records: c.records, recordsB: Math.ceil(c.records / 2), ratePerSec: c.rate, nKeys: c.nKeys, parallelism: c.parallelism, maxParallelism: mp, upParallelism: c.up, upMaxParallelism: 16, sink: c.sink };
        const options = { channelCapacity: c.channelCapacity, batchCapacity: c.batchCapacity, checkpointIntervalMs: c.checkpointIntervalMs, taskManagers: 2 };
        const oracle = oracleStates(spec, options);
        const r = startTestJob(spec, options, {
          link: { bandwidthMBps: c.bandwidthMBps, latencyMs: c.latencyMs },
          mechanism: c.mechanism,
          mechanismOptions: { [c.mechanism]: { bins: c.mpBits + c.extraBits, fetch_batch: c.fetchBatch } },
          observer: (_bin, _from, event) => {
            if (event === 'borrow') borrows++;
          },
        });
        const { job, clock } = r;
        const layer = r.layer as MigrationLayer;
        job.runUntilIdle();
        while (job.elapsedMs() < c.atMs) {
          clock.advance(c.stepMs);
          job.runUntilIdle();
        }
        if (c.backlogMs > 0) {
          clock.advance(c.backlogMs);
          for (const src of job.sources) src.step();
        }
        const current = job.assignment(OP);
        const target = current.withMoves(Array.from({ length: mp }, (_, kg) => ({ keyGroup: kg, to: (c.raw[kg] & 1) === 1 ? (c.raw[kg] >> 1) % c.parallelism : current.ownerOf(kg) })));
        const report = layer.request({ target, strategy: STRATEGY }, c.mechanism);
        let failed: unknown;
        report.catch((err: unknown) => (failed = err));
        layer.step();
        job.runUntilIdle();
        while (!job.done) {
          if (failed !== undefined) throw failed;
          assert.ok(job.elapsedMs() < 30_000, `the job ends (${JSON.stringify(layer.status())})`);
          clock.advance(c.stepMs);
          job.runUntilIdle();
        }
        await report;
        const actual = finalState(job, OP);
        assertExactlyOnceInOrder(actual, spec);
        assertSameState(actual, oracle.op, 'final state equals the run without migration');
        assertStateMatchesAssignment(job, OP);
        if (c.shape === 'downstream') assert.deepEqual(countState(job, DOWN), oracle.down);
      }),
      { numRuns: 300, includeErrorInReport: true },
    );
    assert.ok(borrows >= 50, `bins borrowed back: ${borrows}`);
  });
});

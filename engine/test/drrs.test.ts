// Scenario tests of DRRS on a manual clock, each against a run of the same input without migration: records
// that reach the old owner after their key group's state left are re-routed and processed once at the new
// owner, after the state; a full buffer at the new owner stops it until a state arrives; no subtask takes
// part in more than max_concurrent_subscales subscales at once; a property of cases that re-route often
// (the shared property test rarely does); and one run on the wall clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { OwnerTable, Strategy } from '../src/control/plan.ts';
import type { PlanReport, TransitionObserver } from '../src/migration/mechanism.ts';
import type { MigrationLayer } from '../src/migration/migration-layer.ts';
import { BLOCK, TAKEN } from '../src/migration/ports.ts';
import { REFERENCE_SEED } from '../src/planner/scenarios.ts';
import type { Key } from '../src/core/key-group.ts';
import { isEvent, parseEvent } from '../src/events/index.ts';
import { OP, assertExactlyOnceInOrder, assertSameState, assertStateMatchesAssignment, driveWithPlans, finalState, oracleState, originOf, startTestJob, startWallClockTestJob, tableOf, type JobShape, type TestJobSpec } from './helpers/migration-job.ts';

const STRATEGY: Strategy = { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: REFERENCE_SEED };

interface Processed {
  readonly subtask: number;
  readonly kg: number;
  readonly seq: number;
  readonly origin: string;
  readonly at: number;
}

interface Verdict {
  readonly subtask: number;
  readonly kg: number;
  readonly seq: number;
  readonly verdict: number;
  readonly channel: number;
  readonly at: number;
}

/** A job whose records, gate verdicts and key-group transitions are logged on one tick counter. */
function loggedRun(spec: Omit<TestJobSpec, 'hook'>, options: Record<string, number>, drrs: Record<string, number>, link: { bandwidthMBps: number; latencyMs: number }) {
  let tick = 0;
  const processed: Processed[] = [];
  const verdicts: Verdict[] = [];
  const transitions = new Map<string, number>(); // `${event}/${kg}` -> tick
  const observer: TransitionObserver = (kg, _from, event) => transitions.set(`${event}/${kg}`, tick++);
  const full: TestJobSpec = { ...spec, hook: (v, ctx) => processed.push({ subtask: ctx.subtask, kg: ctx.keyGroup, seq: ctx.seq, origin: originOf(v), at: tick++ }) };
  const run = startTestJob(full, options, { link, observer, mechanism: 'drrs', mechanismOptions: { drrs } });
  const layer = run.layer as MigrationLayer;
  const judge = layer.judge.bind(layer);
  layer.judge = (task, key: Key, kg, value, scheduledMs, seq, input, channel) => {
    const verdict = judge(task, key, kg, value, scheduledMs, seq, input, channel);
    verdicts.push({ subtask: task.subtask, kg, seq, verdict, channel, at: tick++ });
    return verdict;
  };
  return { run, full, processed, verdicts, transitions };
}

describe('migration > drrs > re-routing and the buffer', () => {
  // Two subtasks on two TaskManagers swap key groups over slow links; the new owners' buffer holds 2 records,
  // so each stops while it waits for state, and records of the key groups it gives away pile up in its inputs
  // meanwhile: they reach it after their state left and are re-routed.
  const spec: Omit<TestJobSpec, 'hook'> = { shape: 'single', sourceParallelism: 3, records: 3000, ratePerSec: 20_000, nKeys: 120, parallelism: 2, maxParallelism: 16 };
  const options = { taskManagers: 2, batchCapacity: 4, channelCapacity: 64 };
  const drrs = { buffer_records: 2, subscale_min: 2, max_concurrent_subscales: 2 };
  const link = { bandwidthMBps: 0.05, latencyMs: 2 };

  it('records reaching the old owner after its state left are processed once, at the new owner, after the state; a full buffer stops the new owner until a state arrives', async () => {
    const { run, full, processed, verdicts, transitions } = loggedRun(spec, options, drrs, link);
    const initial = tableOf(run.job.assignment(OP));
    const target: OwnerTable = initial.map((o, kg) => (kg % 4 < 2 ? 1 - o : o));
    const result = driveWithPlans(run, [{ atMs: 40, strategy: STRATEGY, target: () => target }], 0.5, 30_000, 'drrs');
    const [report] = await result.reports;
    const moving = initial.map((o, kg) => (o !== target[kg] ? kg : -1)).filter((kg) => kg >= 0);
    assert.equal(report.keyGroups, moving.length);

    // Re-routing: TAKEN at the old owner only once the state was pulled, processed exactly once at the new owner, after the install.
    const taken = verdicts.filter((v) => v.verdict === TAKEN);
    assert.ok(taken.length > 0, 'some records were re-routed');
    for (const t of taken) {
      assert.equal(t.subtask, initial[t.kg], `key group ${t.kg}: re-routed by its old owner`);
      assert.ok(t.at > (transitions.get(`pull/${t.kg}`) as number), `key group ${t.kg}: re-routed only after its state was taken`);
      // Sequence numbers are per source subtask: the record is the one of its origin processed at the new owner after the re-route.
      const done = processed.filter((p) => p.kg === t.kg && p.seq === t.seq && p.at > t.at);
      assert.equal(done.length, 1, `key group ${t.kg} seq ${t.seq}: processed once`);
      assert.equal(done[0].subtask, target[t.kg], `key group ${t.kg} seq ${t.seq}: processed at the new owner`);
      assert.ok(done[0].at > (transitions.get(`install/${t.kg}`) as number), `key group ${t.kg} seq ${t.seq}: processed after the install`);
      // The re-routed record came back to the gate at the new owner (delivered: channel -1).
      assert.ok(verdicts.some((v) => v.subtask === target[t.kg] && v.kg === t.kg && v.seq === t.seq && v.channel === -1 && v.at > t.at));
    }
    // Nothing of a moving key group is processed at the old owner after its state was taken, nor at the new owner before the install.
    for (const kg of moving) {
      assert.ok(processed.filter((p) => p.kg === kg && p.subtask === initial[kg]).every((p) => p.at < (transitions.get(`pull/${kg}`) as number)));
      assert.ok(processed.filter((p) => p.kg === kg && p.subtask === target[kg]).every((p) => p.at > (transitions.get(`install/${kg}`) as number)));
    }

    // The buffer: some records found it full and stopped their subtask; each was judged again and processed once.
    const blocks = verdicts.filter((v) => v.verdict === BLOCK);
    assert.ok(blocks.length > 0, 'a full buffer stopped a new owner');
    for (const b of blocks) {
      assert.equal(b.subtask, target[b.kg], 'only a new owner stops');
      assert.ok(b.at < (transitions.get(`install/${b.kg}`) as number), `key group ${b.kg}: it stopped only while waiting for state`);
      // Judged again once the subtask resumed (or, once its key group is done, processed without the gate).
      const after = processed.find((p) => p.subtask === b.subtask && p.kg === b.kg && p.seq === b.seq && p.at > b.at);
      assert.ok(after !== undefined, `key group ${b.kg} seq ${b.seq}: processed once the subtask resumed`);
    }
    // Never more than buffer_records held for state per subtask: holds before an install, per new owner.
    for (const sub of [0, 1]) {
      let waiting = 0;
      const installs = moving.filter((kg) => target[kg] === sub).map((kg) => ({ kg, at: transitions.get(`install/${kg}`) as number }));
      const held = new Map<number, number>();
      const events = [...verdicts.filter((v) => v.subtask === sub && v.verdict >= 0).map((v) => ({ at: v.at, kg: v.kg, hold: true })), ...installs.map((i) => ({ at: i.at, kg: i.kg, hold: false }))].sort((a, b) => a.at - b.at);
      for (const e of events) {
        const installed = (transitions.get(`install/${e.kg}`) as number) < e.at;
        if (e.hold && !installed) {
          held.set(e.kg, (held.get(e.kg) ?? 0) + 1);
          waiting++;
        } else if (!e.hold) {
          waiting -= held.get(e.kg) ?? 0;
          held.delete(e.kg);
        }
        assert.ok(waiting <= drrs.buffer_records, `Op-${sub}: ${waiting} records waiting for state (buffer ${drrs.buffer_records})`);
      }
    }

    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, full);
    assertSameState(state, oracleState(full, options));
    assert.deepEqual(tableOf(run.job.assignment(OP)), target);
    assertStateMatchesAssignment(run.job, OP);
  });
});

describe('migration > drrs > subscales', () => {
  it('moves cut per (source, target) pair; no subtask in more than max_concurrent_subscales at once, and the limit is reached', async () => {
    // Subtask 0 gives 12 key groups to each of 1, 2 and 3: 3 pairs of 12, size max(2, 6) = 6: 6 subscales, all involving 0.
    const spec: Omit<TestJobSpec, 'hook'> = { shape: 'single', sourceParallelism: 2, records: 4000, ratePerSec: 20_000, nKeys: 300, parallelism: 4, maxParallelism: 144 };
    const options = { taskManagers: 2, batchCapacity: 8 };
    const { run, full } = loggedRun(spec, options, { subscale_min: 2, max_concurrent_subscales: 2 }, { bandwidthMBps: 0.05, latencyMs: 1 });
    const initial = tableOf(run.job.assignment(OP));
    let n = 0;
    const target: OwnerTable = initial.map((o) => (o === 0 && n < 36 ? 1 + (n++ % 3) : o));
    const result = driveWithPlans(run, [{ atMs: 20, strategy: STRATEGY, target: () => target }], 0.5, 30_000, 'drrs');
    const [report] = await result.reports;
    assert.equal(report.keyGroups, 36);
    assert.equal(report.chunks, 6, 'PlanReport.chunks = subscales');
    const events = run.recorder.events.filter((e) => e.event === 'chunk_start' || e.event === 'chunk_end');
    assert.equal(events.length, 12);
    const ongoing = [0, 0, 0, 0];
    let peak = 0;
    for (const e of events) {
      const d = parseEvent(e.event, e.detail);
      assert.ok((isEvent(d, 'chunk_start') || isEvent(d, 'chunk_end')) && d.from !== undefined && d.to !== undefined, 'DRRS names both subtasks');
      const delta = e.event === 'chunk_start' ? 1 : -1;
      ongoing[d.from] += delta;
      ongoing[d.to] += delta;
      for (const o of ongoing) assert.ok(o <= 2, `a subtask in ${o} subscales at once`);
      peak = Math.max(peak, ...ongoing);
    }
    assert.equal(peak, 2, 'subtask 0 ran two subscales at once');
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, full);
    assertSameState(state, oracleState(full, options));
    assertStateMatchesAssignment(run.job, OP);
  });
});

describe('migration > drrs > property under re-routing', () => {
  // The generated cases of migration-property.test.ts rarely re-route (on a manual clock an old owner has
  // read its inputs before the state leaves). Here new owners have a buffer of 1 or 2 records and slow links,
  // and subtasks swap key groups: a new owner stops while it waits for state, and records of the key groups it
  // gives away pile up in its inputs meanwhile. The order per key and upstream channel must hold all the same.
  it('swaps under a tiny buffer: final state as without migration, every record once and in order per channel (300 cases)', async () => {
    let casesRerouting = 0;
    let casesDirectHeld = 0;
    const caseArb = fc.record({
      sourceParallelism: fc.integer({ min: 1, max: 3 }),
      parallelism: fc.integer({ min: 2, max: 4 }),
      maxParallelism: fc.constantFrom(8, 16, 32),
      nKeys: fc.integer({ min: 10, max: 150 }),
      shape: fc.constantFrom<JobShape>('single', 'two-input', 'chain', 'downstream'),
      channelCapacity: fc.constantFrom(16, 64, 65_536),
      batchCapacity: fc.integer({ min: 1, max: 8 }),
      bufferRecords: fc.integer({ min: 1, max: 3 }),
      subscaleMin: fc.integer({ min: 1, max: 4 }),
      latencyMs: fc.integer({ min: 0, max: 3 }),
      atMs: fc.integer({ min: 5, max: 60 }),
      shift: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const spec: Omit<TestJobSpec, 'hook'> = { shape: c.shape, sourceParallelism: c.sourceParallelism, sourceParallelismB: 1, records: 1500, recordsB: 700, ratePerSec: 20_000, nKeys: c.nKeys, parallelism: c.parallelism, maxParallelism: c.maxParallelism, upParallelism: 2, upMaxParallelism: 16 };
        const options = { taskManagers: c.parallelism, batchCapacity: c.batchCapacity, channelCapacity: c.channelCapacity };
        const { run, full, verdicts } = loggedRun(spec, options, { buffer_records: c.bufferRecords, subscale_min: c.subscaleMin }, { bandwidthMBps: 0.05, latencyMs: c.latencyMs });
        const initial = tableOf(run.job.assignment(OP));
        const target: OwnerTable = initial.map((o, kg) => (kg % 3 === 0 ? o : (o + c.shift) % c.parallelism));
        await driveWithPlans(run, [{ atMs: c.atMs, strategy: STRATEGY, target: () => target }], 0.5, 30_000, 'drrs').reports;
        if (verdicts.some((v) => v.verdict === TAKEN)) casesRerouting++;
        if (verdicts.some((v) => v.verdict >= c.maxParallelism)) casesDirectHeld++;
        const state = finalState(run.job, OP);
        assertExactlyOnceInOrder(state, full);
        assertSameState(state, oracleState(full, options));
        assert.deepEqual(tableOf(run.job.assignment(OP)), target);
        assertStateMatchesAssignment(run.job, OP);
      }),
      { numRuns: 300 },
    );
    assert.ok(casesRerouting >= 30, `records were re-routed in ${casesRerouting} of 300 cases`);
    assert.ok(casesDirectHeld >= 60, `direct records waited for a confirm in ${casesDirectHeld} of 300 cases`);
  });
});

describe('migration > drrs > on the wall clock', () => {
  it('job.run() drives it in the gaps between records (and forced slices); the result is that of a run without migration', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 2400, ratePerSec: 20_000, nKeys: 200, parallelism: 4, maxParallelism: 64 };
    const options = { taskManagers: 2, checkpointIntervalMs: 5 };
    const run = startWallClockTestJob(spec, options, { mechanism: 'drrs', mechanismOptions: { drrs: { buffer_records: 8, subscale_min: 2 } }, link: { bandwidthMBps: 0, latencyMs: 1 } });
    const reports: Promise<PlanReport>[] = [];
    const timer = setTimeout(() => {
      const current = run.job.assignment(OP);
      const target = current.withMoves(Array.from(current.table(), (o, keyGroup) => ({ keyGroup, to: keyGroup % 3 === 0 ? (o + 1) % 4 : o })));
      reports.push(run.layer.request({ target, strategy: STRATEGY }, 'drrs'));
    }, 8);
    try {
      await run.job.run();
    } finally {
      clearTimeout(timer);
    }
    const done = await Promise.all(reports);
    assert.ok(done.length === 1 && done[0].keyGroups > 0 && done[0].chunks > 1, `one migration of several subscales (${JSON.stringify(done)})`);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
    assertStateMatchesAssignment(run.job, OP);
  });
});

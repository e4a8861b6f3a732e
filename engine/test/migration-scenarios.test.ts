// Scenario tests of the Spacker migration layer on a manual clock, each against a run of the same input
// without migration: ownership of key groups while records flow, records held at the destination and drained
// in arrival order, replication (replica restores, dirty flags, checkpoints paused during a plan), the restart
// baseline, the per-chunk timers, and the scenario controller (static, dynamic, stock).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnerTable, Strategy } from '../src/control/plan.ts';
import type { MigrationExecutor } from '../src/migration/spacker/executor.ts';
import type { MigrationLayer } from '../src/migration/migration-layer.ts';
import { replicatedSet } from '../src/planner/replication.ts';
import { REFERENCE_SEED, SCENARIOS, rescale, scenarioTargets, type ScenarioContext } from '../src/planner/scenarios.ts';
import { Assignment } from '../src/core/assignment.ts';
import type { PlanReport, TransitionObserver } from '../src/migration/mechanism.ts';
import { planMigration } from '../src/planner/plan-migration.ts';
import type { KeyedTask } from '../src/runtime/keyed-task.ts';
import {
  DOWN,
  OP,
  assertExactlyOnceInOrder,
  assertSameState,
  assertStateMatchesAssignment,
  driveWithPlans,
  finalState,
  moveSome,
  countState,
  oracleState,
  oracleStates,
  originOf,
  startTestJob,
  driveToEnd,
  withTable,
  startWallClockTestJob,
  tableOf,
  type Recorder,
  type TestJobSpec,
  type TestRun,
} from './helpers/migration-job.ts';

const STRATEGY: Strategy = { order: 'default', syncKeys: 0, replicateFilter: 0, hotRatio: 0, seed: REFERENCE_SEED };

/** A pseudo-random raw vector for `moveSome` (about half of the key groups move). */
function raw(seed: number, n = 256): number[] {
  let x = seed >>> 0;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) & 0xff;
  });
}

/** Key groups whose owner differs between two tables. */
function moved(from: ArrayLike<number>, to: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let kg = 0; kg < from.length; kg++) if (from[kg] !== to[kg]) out.push(kg);
  return out;
}

/** Events between the first `start` and the next `end` (inclusive), in order. */
function eventsWithin(recorder: Recorder, start: string, end: string): { tsMs: number; event: string }[] {
  const i = recorder.events.findIndex((e) => e.event === start);
  const j = recorder.events.findIndex((e, k) => k > i && e.event === end);
  assert.ok(i >= 0 && j > i, `${start} ... ${end} in the events`);
  return recorder.events.slice(i, j + 1);
}

/** Spacker's executor of a layer (for plans made by hand and prepared ahead). */
function executorOf(layer: MigrationLayer): MigrationExecutor {
  return layer.mechanism('spacker') as MigrationExecutor;
}

/** An observer that forwards to the one set later (the job it inspects is created after the observer). */
function lateObserver(): { observer: TransitionObserver; set(o: TransitionObserver): void } {
  let inner: TransitionObserver = () => undefined;
  return { observer: (kg, from, event, to) => inner(kg, from, event, to), set: (o) => (inner = o) };
}

describe('migration > ownership', () => {
  it("a key group's records are never processed by a subtask that does not hold its state, nor by anyone while it is in transit", async () => {
    const inTransit = new Set<number>();
    const installed = new Set<number>();
    let checked = 0;
    let movedAndProcessed = 0;
    const spec: TestJobSpec = {
      shape: 'single',
      sourceParallelism: 3,
      records: 4000,
      ratePerSec: 20_000,
      nKeys: 120,
      parallelism: 4,
      maxParallelism: 32,
      hook: (_v, ctx, state) => {
        assert.ok(state.owns(ctx.keyGroup), `Op-${ctx.subtask} processed a record of key group ${ctx.keyGroup} without its state`);
        assert.ok(!inTransit.has(ctx.keyGroup), `Op-${ctx.subtask} processed a record of key group ${ctx.keyGroup} while its state was in transit`);
        checked++;
        if (installed.has(ctx.keyGroup)) movedAndProcessed++;
      },
    };
    const options = { taskManagers: 2, checkpointIntervalMs: 10, batchCapacity: 16 };
    const late = lateObserver();
    const run = startTestJob(spec, options, { link: { bandwidthMBps: 0, latencyMs: 3 }, observer: late.observer });
    late.set((kg, _from, event) => {
      if (event === 'align') inTransit.add(kg);
      if (event === 'install') {
        inTransit.delete(kg);
        installed.add(kg);
      }
    });
    const result = driveWithPlans(run, [
      { atMs: 40, strategy: { ...STRATEGY, syncKeys: 1, order: 'random' }, target: (t) => moveSome(t, raw(1), 4) },
      { atMs: 120, strategy: { ...STRATEGY, syncKeys: 0 }, target: (t) => moveSome(t, raw(2), 4) },
    ]);
    const reports = await result.reports;
    assert.equal(checked, 4000, 'every record went through the check');
    assert.equal(run.job.keyedTasks(OP).reduce((n, t) => n + t.processed, 0), 4000);
    assert.ok(reports.every((r) => r.keyGroups > 4), `both plans moved key groups (${reports.map((r) => r.keyGroups).join(', ')})`);
    assert.ok(reports[0].chunks > 2, `${reports[0].chunks} chunks`);
    assert.ok(movedAndProcessed > 500, `${movedAndProcessed} records of moved key groups processed at their new owner`);
    // Both plans ran while the sources were still emitting.
    const ends = run.recorder.named('migration_end').map((e) => e.tsMs);
    assert.ok(ends.every((t) => t < 200), `plans ended at ${ends.join(', ')} ms, before the input's end (200 ms)`);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
    assertStateMatchesAssignment(run.job, OP);
  });
});

describe('migration > end of input and downstream operators', () => {
  it('a plan started after every source has ended still completes, without a barrier (regression: it hung)', async () => {
    const spec: TestJobSpec = { shape: 'chain', sourceParallelism: 2, records: 600, ratePerSec: 10_000, nKeys: 60, parallelism: 3, maxParallelism: 16, upParallelism: 2, sink: true };
    const options = { taskManagers: 2, checkpointIntervalMs: 5 };
    const run = startTestJob(spec, options, { link: { bandwidthMBps: 0, latencyMs: 4 } });
    // The first plan starts while records flow; its chunks (4 ms each) outlast the input (60 ms). The second
    // one starts after the end.
    const result = driveWithPlans(run, [
      { atMs: 50, strategy: { ...STRATEGY, syncKeys: 1 }, target: (t) => moveSome(t, raw(21), 3) },
      { atMs: 100, strategy: STRATEGY, target: (t) => moveSome(t, raw(22), 3) },
    ]);
    const reports = await result.reports;
    assert.ok(run.recorder.named('chunk_start').some((e) => e.tsMs > 60) && reports[1].startMs >= 100, 'chunks ran after the input ended');
    assert.ok(reports.every((r) => r.keyGroups > 0), 'both plans moved key groups');
    assert.deepEqual(tableOf(run.job.assignment(OP)), Array.from(result.targets[1]));
    assertStateMatchesAssignment(run.job, OP);
    assert.deepEqual(Array.from(run.job.routersInto(OP)[0].routingTable ?? []), Array.from(result.targets[1]), 'routers took the final table');
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
  });

  it('a keyed operator after the migrating one waits with the next chunk\'s barrier until it has aligned the current one (regression: protocol error)', async () => {
    // Slow consumers (one-record channels and batches) let the next chunk's barrier overtake on one channel.
    for (let seed = 0; seed < 20; seed++) {
      const spec: TestJobSpec = { shape: 'downstream', sourceParallelism: 2, records: 500, ratePerSec: 50_000, nKeys: 50, parallelism: 4, maxParallelism: 32, upParallelism: 1, upMaxParallelism: 16, sink: true };
      const options = { channelCapacity: 1, batchCapacity: 1, taskManagers: 2 };
      const oracle = oracleStates(spec, options);
      const run = startTestJob(spec, options, {});
      const result = driveWithPlans(run, [{ atMs: seed % 10, strategy: { ...STRATEGY, syncKeys: 1 }, target: (t) => moveSome(t, raw(100 + seed), 4) }], 0.5);
      const [report] = await result.reports;
      assert.ok(report.chunks > 1, `seed ${seed}: ${report.chunks} chunks`);
      assert.deepEqual(countState(run.job, DOWN), oracle.down, `seed ${seed}: the downstream operator counted every record once`);
      assertSameState(finalState(run.job, OP), oracle.op);
    }
  });
});

describe('migration > held records', () => {
  it('records of moving key groups reaching the destination wait for the install, then run in arrival order, while other key groups keep running', async () => {
    let tick = 0;
    const log: { subtask: number; kg: number; seq: number; origin: string; at: number }[] = [];
    const at = new Map<string, number>(); // `${event}/${kg}` -> tick
    const heldAtInstall = new Map<number, { task: KeyedTask; seq: readonly number[] }>();
    const spec: TestJobSpec = {
      shape: 'single',
      sourceParallelism: 2,
      records: 3000,
      ratePerSec: 20_000,
      nKeys: 200,
      parallelism: 4,
      maxParallelism: 16,
      hook: (v, ctx) => log.push({ subtask: ctx.subtask, kg: ctx.keyGroup, seq: ctx.seq, origin: originOf(v), at: tick++ }),
    };
    const options = { taskManagers: 2, batchCapacity: 8 };
    const late = lateObserver();
    const run = startTestJob(spec, options, { link: { bandwidthMBps: 0, latencyMs: 10 }, observer: late.observer });
    const tasks = run.job.keyedTasks(OP);
    late.set((kg, _from, event: string) => {
      at.set(`${event}/${kg}`, tick++);
      if (event === 'install') {
        const dst = tasks.find((t) => t.held.has(kg)) as KeyedTask;
        assert.ok(dst !== undefined, `key group ${kg} is held somewhere at install`);
        const batch = dst.held.open(kg).batch;
        // The same batch keeps growing until the key group has drained: keep the column, read it at the end
        // (emptying the batch for reuse drops its keys and values, not its sequence numbers).
        heldAtInstall.set(kg, { task: dst, seq: batch.seq });
      }
    });
    const initial = tableOf(run.job.assignment(OP));
    // Every subtask gives key groups to a subtask on the other TaskManager (subtask s lives on TaskManager s % 2).
    const target: OwnerTable = initial.map((o, kg) => (kg % 2 === 0 ? (o + 1) % 4 : o));
    const result = driveWithPlans(run, [{ atMs: 50, strategy: STRATEGY, target: () => target }]);
    const [report] = await result.reports;
    assert.equal(report.chunks, 1);
    const moving = new Set(moved(initial, target));
    assert.equal(report.keyGroups, moving.size);

    let heldTotal = 0;
    for (const kg of moving) {
      const from = initial[kg];
      const to = target[kg];
      const align = at.get(`align/${kg}`) as number;
      const install = at.get(`install/${kg}`) as number;
      const prepare = at.get(`prepare/${kg}`) as number;
      assert.ok(prepare < align && align < install, `key group ${kg}: prepare, align, install in order`);
      const atSource = log.filter((r) => r.kg === kg && r.subtask === from);
      const atDestination = log.filter((r) => r.kg === kg && r.subtask === to);
      assert.ok(atSource.every((r) => r.at < align), `key group ${kg}: nothing processed at the source after it aligned`);
      assert.ok(atDestination.every((r) => r.at > install), `key group ${kg}: nothing processed at the destination before the install`);
      assert.equal(atSource.length + atDestination.length, log.filter((r) => r.kg === kg).length);
      // The held records, in the order they arrived, come first at the destination.
      const held = heldAtInstall.get(kg);
      assert.ok(held !== undefined && held.task.subtask === to, `key group ${kg} was held at its destination`);
      const heldSeqs = [...held.seq];
      assert.deepEqual(atDestination.slice(0, heldSeqs.length).map((r) => r.seq), heldSeqs, `key group ${kg}: held records drained in arrival order`);
      // Arrival order keeps the order of each upstream channel.
      const lastPerOrigin = new Map<string, number>();
      atDestination.slice(0, heldSeqs.length).forEach(({ origin }, i) => {
        assert.ok(heldSeqs[i] > (lastPerOrigin.get(origin) ?? -1), `key group ${kg}: held records of ${origin} out of order`);
        lastPerOrigin.set(origin, heldSeqs[i]);
      });
      heldTotal += heldSeqs.length;
      if (heldSeqs.length > 0) {
        // While it held the key group, the destination went on with key groups that were not moving.
        const others = log.filter((r) => r.subtask === to && r.at > prepare && r.at < install && !moving.has(r.kg));
        assert.ok(others.length > 0, `Op-${to} processed other key groups while holding key group ${kg}`);
      }
    }
    assert.ok(heldTotal > 50, `${heldTotal} records were held`);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
  });
});

describe('migration > replication', () => {
  const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 800, ratePerSec: 2000, nKeys: 300, parallelism: 4, maxParallelism: 32 };
  const options = { taskManagers: 2, checkpointIntervalMs: 10 };
  const link = { bandwidthMBps: 0, latencyMs: 5 };

  function migrate(replicate: boolean, observer?: (run: TestRun) => TransitionObserver) {
    const late = lateObserver();
    // Filter 1: every key group is replicated from the job's start.
    const run = startTestJob(spec, options, { link, observer: late.observer, replicateFilter: replicate ? 1 : 0 });
    if (observer !== undefined) late.set(observer(run));
    const initial = tableOf(run.job.assignment(OP));
    const target = moveSome(initial, raw(7), spec.parallelism);
    const result = driveWithPlans(run, [{ atMs: 100, strategy: { ...STRATEGY, syncKeys: 1, replicateFilter: replicate ? 1 : 0 }, target: () => target }]);
    return { run, result, initial, target };
  }

  it('clean replicated key groups are restored from the replica store, dirty ones are shipped and marked dirty again; state as without migration', async () => {
    const restored = new Set<number>();
    const shipped = new Set<number>();
    const { run, result } = migrate(true, (r) => (kg, _from, event) => {
      const tasks = r.job.keyedTasks(OP);
      const owners = tasks.filter((t) => t.state.owns(kg));
      const store = r.layer?.replication.stores ?? [];
      if (event === 'replica') {
        assert.equal(owners.length, 1);
        assert.equal(owners[0].state.isDirty(kg), false, `key group ${kg}: restored from a replica, so clean at its source`);
        restored.add(kg);
      }
      if (event === 'encode') {
        const dstHasReplica = store.some((s) => s.get(OP, kg) !== undefined);
        assert.ok(owners[0].state.isDirty(kg) || !dstHasReplica, `key group ${kg}: shipped although clean with a replica`);
        shipped.add(kg);
      }
      if (event === 'install') {
        // The source has released it: only the destination holds it now.
        assert.equal(owners.length, 1);
        assert.equal(owners[0].state.isDirty(kg), shipped.has(kg), `key group ${kg}: dirty after install from ${shipped.has(kg) ? 'shipped bytes' : 'a replica'}`);
      }
    });
    const [report] = await result.reports;
    assert.ok(restored.size > 0 && shipped.size > 0, `${restored.size} restored from replicas, ${shipped.size} shipped`);
    assert.equal(report.replicaRestores, restored.size);
    assert.equal(report.keyGroups, restored.size + shipped.size);
    assert.ok(run.layer !== undefined && run.layer.replication.snapshots > 0, 'checkpoints replicated key groups before the migration');

    const plain = migrate(false);
    const [plainReport] = await plain.result.reports;
    assert.equal(plainReport.replicaRestores, 0);
    assert.equal(plainReport.keyGroups, report.keyGroups);
    assert.ok(report.bytes < plainReport.bytes, `bytes shipped: ${report.bytes} with replicas, ${plainReport.bytes} without`);

    const expected = oracleState(spec, options);
    for (const r of [run, plain.run]) {
      const state = finalState(r.job, OP);
      assertExactlyOnceInOrder(state, spec);
      assertSameState(state, expected);
      assertStateMatchesAssignment(r.job, OP);
    }
  });

  it('checkpoints pause while a plan runs and resume one interval after it', async () => {
    const { run, result } = migrate(true);
    await result.reports;
    const rec = run.recorder;
    const start = rec.named('migration_start')[0].tsMs;
    const end = rec.named('migration_end')[0].tsMs;
    assert.ok(end - start >= 2 * options.checkpointIntervalMs, `the plan lasted ${end - start} ms, several checkpoint intervals`);
    const within = eventsWithin(rec, 'migration_start', 'migration_end');
    assert.deepEqual(within.filter((e) => e.event === 'checkpoint'), [], 'no checkpoint during the plan');
    assert.ok(within.filter((e) => e.event === 'chunk_end').length > 3, 'several chunks');
    const cps = rec.named('checkpoint').map((e) => e.tsMs);
    assert.ok(cps.filter((t) => t <= start).length >= 9, 'checkpoints before the plan');
    const after = cps.filter((t) => t >= end);
    assert.ok(after.length > 0, 'checkpoints after the plan');
    assert.equal(after[0], end + options.checkpointIntervalMs, 'the first one an interval after the plan');
  });
});

describe('migration > moving key groups flagged', () => {
  it('while a plan runs exactly its key groups are flagged as migrating, whether the executor prepared it ahead or not', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 400, ratePerSec: 10_000, nKeys: 100, parallelism: 4, maxParallelism: 32 };
    const run = startTestJob(spec, { taskManagers: 2 }, {});
    const layer = run.layer as NonNullable<TestRun['layer']>;
    const flagged = (): number[][] => run.job.keyedTasks(OP).map((t) => Array.from({ length: 32 }, (_, kg) => kg).filter((kg) => t.isMigrating(kg)));
    for (const [seed, prepare] of [[41, true], [42, false], [43, true]] as const) {
      const current = tableOf(run.job.assignment(OP));
      const target = moveSome(current, raw(seed), 4);
      const plan = planMigration({ operator: OP, current: run.job.assignment(OP), target: withTable(run.job.assignment(OP), target), strategy: { ...STRATEGY, syncKeys: 2 } });
      // A plan prepared and never run must not leak into the next one.
      layer.prepare({ target: Assignment.initial(32, 4).withMoves(current.map((o, keyGroup) => ({ keyGroup, to: (o + 1) % 4 }))), strategy: STRATEGY });
      const report = prepare ? layer.request(executorOf(layer).preparePlan(plan)) : layer.runPlan(plan);
      const expected = moved(current, target);
      for (const f of flagged()) assert.deepEqual(f, expected, `plan ${seed}: flagged at its start`);
      for (let ms = 0; layer.status().state !== 'idle' && ms < 10_000; ms++) {
        run.job.runUntilIdle();
        run.clock.advance(1);
      }
      assert.ok((await report).keyGroups === expected.length, `plan ${seed} ended, its key groups moved`);
      for (const f of flagged()) assert.deepEqual(f, [], `plan ${seed}: nothing flagged after its end`);
      assert.deepEqual(tableOf(run.job.assignment(OP)), target);
    }
  });

  it('a plan prepared ahead still ends at its target when another plan changed the assignment in between', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 400, ratePerSec: 10_000, nKeys: 100, parallelism: 4, maxParallelism: 32 };
    const run = startTestJob(spec, { taskManagers: 2 }, {});
    const layer = run.layer as NonNullable<TestRun['layer']>;
    const current = tableOf(run.job.assignment(OP));
    const shift = (kgs: number[]): number[] => current.map((o, kg) => (kgs.includes(kg) ? (o + 1) % 4 : o));
    const start = run.job.assignment(OP);
    const first = planMigration({ operator: OP, current: start, target: withTable(start, shift([0, 1, 2])), strategy: STRATEGY });
    const second = planMigration({ operator: OP, current: start, target: withTable(start, shift([20, 21, 22])), strategy: STRATEGY });
    const secondAhead = executorOf(layer).preparePlan(second); // its first chunk is worked out from the assignment before `first` runs
    for (const plan of [first, secondAhead]) {
      const report = plan === first ? layer.runPlan(first) : layer.request(secondAhead);
      for (let ms = 0; layer.status().state !== 'idle' && ms < 10_000; ms++) {
        run.job.runUntilIdle();
        run.clock.advance(1);
      }
      assert.equal((await report).keyGroups, 3);
    }
    assert.deepEqual(tableOf(run.job.assignment(OP)), shift([0, 1, 2, 20, 21, 22]), 'both plans\' moves hold');
  });
});

describe('migration > restart baseline', () => {
  const spec: TestJobSpec = { shape: 'single', sourceParallelism: 3, records: 3000, ratePerSec: 20_000, nKeys: 150, parallelism: 4, maxParallelism: 32, sink: true };
  const options = { taskManagers: 2, checkpointIntervalMs: 10 };

  it('stop, snapshot, redistribute, restart: the same final state as without migration, events and timers written', async () => {
    const run = startTestJob(spec, options, {});
    const layer = run.layer as NonNullable<TestRun['layer']>;
    const target = moveSome(tableOf(run.job.assignment(OP)), raw(3), spec.parallelism);
    const targetAssignment = Assignment.initial(spec.maxParallelism, spec.parallelism).withMoves(target.map((to, keyGroup) => ({ keyGroup, to })));
    run.job.runUntilIdle();
    let promise: Promise<unknown> | undefined;
    while (!run.job.done) {
      assert.ok(run.job.elapsedMs() < 200_000, 'the job ends');
      run.clock.advance(1);
      if (promise === undefined && run.job.elapsedMs() >= 60) promise = layer.request({ target: targetAssignment, strategy: STRATEGY }, 'restart');
      run.job.runUntilIdle();
    }
    const report = (await promise) as { keyGroups: number; bytes: number; completionMs: number; startMs: number; endMs: number };
    assert.equal(report.keyGroups, moved(Assignment.initial(spec.maxParallelism, spec.parallelism).table(), target).length);
    assert.ok(report.bytes > 0, 'the restart snapshots state');
    assert.deepEqual(tableOf(run.job.assignment(OP)), target);
    assertStateMatchesAssignment(run.job, OP);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));

    const rec = run.recorder;
    assert.equal(rec.named('restart_start').length, 1);
    assert.equal(rec.named('restart_end').length, 1);
    assert.equal(rec.named('restart_start')[0].tsMs, 60);
    assert.match(rec.named('restart_end')[0].detail, /^downtime_ms=[0-9.]+;bytes=\d+$/);
    const rows = rec.timers.filter((t) => t.timer !== 'replication');
    assert.deepEqual(rows.map((t) => t.timer), ['sync', 'update', 'endToEnd']);
    assert.ok(rows.every((t) => t.chunk === 0 && t.reconfigId === rows[0].reconfigId && t.durationMs >= 0), 'one reconfiguration, chunk 0, non-negative durations');
    const [sync, update, endToEnd] = rows;
    assert.equal(sync.startMs, 60);
    assert.equal(update.startMs, sync.startMs + sync.durationMs);
    assert.equal(endToEnd.durationMs, sync.durationMs + update.durationMs);
    assert.equal(report.completionMs, endToEnd.durationMs);
    assert.deepEqual(eventsWithin(rec, 'restart_start', 'restart_end').filter((e) => e.event === 'checkpoint'), [], 'no checkpoint during the restart');
  });

  it('a restart keeps dirty flags, so a later plan never restores a stale replica', async () => {
    // Slow input: between two checkpoints only some key groups are written.
    const slow: TestJobSpec = { ...spec, records: 400, ratePerSec: 2000, nKeys: 300, sink: false };
    const late = lateObserver();
    const run = startTestJob(slow, options, { replicateFilter: 1, observer: late.observer });
    const layer = run.layer as NonNullable<TestRun['layer']>;
    const restoredFromReplica = new Set<number>();
    late.set((kg, _from, event) => {
      if (event === 'replica') restoredFromReplica.add(kg);
    });
    // The restart changes no owner, but snapshots and restores every key group.
    const same = Assignment.initial(slow.maxParallelism, slow.parallelism);
    const target = moveSome(tableOf(same), raw(5), slow.parallelism);
    let restart: Promise<unknown> | undefined;
    let plan: ReturnType<typeof driveWithPlans> | undefined;
    let dirtyBefore: number[] = [];
    run.job.runUntilIdle();
    while (!run.job.done) {
      assert.ok(run.job.elapsedMs() < 200_000, 'the job ends');
      run.clock.advance(1);
      // 5 ms after the checkpoint at 50 ms: the key groups written since are dirty, their replicas stale.
      if (restart === undefined && run.job.elapsedMs() >= 55) {
        dirtyBefore = run.job.keyedTasks(OP).flatMap((t) => t.state.ownedKeyGroups().filter((kg) => t.state.isDirty(kg)));
        restart = layer.request({ target: same, strategy: STRATEGY }, 'restart');
      }
      run.job.runUntilIdle();
      if (plan === undefined && restart !== undefined && layer.status().state === 'idle') {
        for (const kg of dirtyBefore) assert.ok(run.job.keyedTasks(OP).some((t) => t.state.isDirty(kg)), `key group ${kg}: still dirty after the restart`);
        plan = driveWithPlans(run, [{ atMs: 0, strategy: { ...STRATEGY, replicateFilter: 1 }, target: () => target }]);
      }
    }
    await restart;
    const [report] = await (plan as NonNullable<typeof plan>).reports;
    const dirtyMoved = dirtyBefore.filter((kg) => target[kg] !== same.ownerOf(kg));
    assert.ok(dirtyMoved.length > 0, 'the plan moves key groups that were dirty at the restart');
    for (const kg of dirtyMoved) assert.ok(!restoredFromReplica.has(kg), `key group ${kg}: its replica is stale, it must be shipped`);
    assert.ok(report.replicaRestores > 0, `${report.replicaRestores} clean key groups restored from replicas`);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, slow);
    assertSameState(state, oracleState(slow, options));
  });
});

describe('migration > timers', () => {
  it('per chunk one sync, one update and one endToEnd row, non-negative, endToEnd >= sync + update', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 4000, ratePerSec: 10_000, nKeys: 100, parallelism: 4, maxParallelism: 32 };
    const options = { taskManagers: 2, checkpointIntervalMs: 20 };
    const run = startTestJob(spec, options, { link: { bandwidthMBps: 0.5, latencyMs: 2 } });
    const result = driveWithPlans(run, [
      { atMs: 50, strategy: { ...STRATEGY, syncKeys: 1 }, target: (t) => moveSome(t, raw(11), 4) },
      { atMs: 200, strategy: { ...STRATEGY, syncKeys: 3, order: 'reverse' }, target: (t) => moveSome(t, raw(12), 4) },
    ]);
    const reports = await result.reports;
    const rows = run.recorder.timers.filter((t) => t.timer !== 'replication');
    const chunks = reports.reduce((n, r) => n + r.chunks, 0);
    assert.ok(chunks >= 6, `${chunks} chunks`);
    assert.equal(rows.length, 3 * chunks);
    const ids = [...new Set(rows.map((r) => r.reconfigId))];
    assert.deepEqual(ids, Array.from({ length: chunks }, (_, i) => i + 1), 'one reconfiguration id per chunk, from 1');
    const eps = 1e-9;
    let chunkOfPlan = 0;
    let plan = 0;
    let completion = 0;
    for (const id of ids) {
      const mine = rows.filter((r) => r.reconfigId === id);
      assert.deepEqual(mine.map((r) => r.timer), ['sync', 'update', 'endToEnd'], `reconfiguration ${id}`);
      const [sync, update, endToEnd] = mine;
      assert.ok(mine.every((r) => r.chunk === chunkOfPlan), `reconfiguration ${id} is chunk ${chunkOfPlan} of plan ${plan}`);
      assert.ok(mine.every((r) => r.durationMs >= 0 && r.startMs >= 0), `reconfiguration ${id}: non-negative`);
      assert.ok(endToEnd.durationMs >= sync.durationMs + update.durationMs - eps, `reconfiguration ${id}: endToEnd ${endToEnd.durationMs} < sync ${sync.durationMs} + update ${update.durationMs}`);
      assert.ok(endToEnd.startMs <= sync.startMs + eps && Math.abs(update.startMs - (sync.startMs + sync.durationMs)) < eps, `reconfiguration ${id}: endToEnd starts first, update where sync ends`);
      assert.ok(Math.abs(endToEnd.startMs + endToEnd.durationMs - (update.startMs + update.durationMs)) < eps, 'update and endToEnd end together');
      completion += sync.durationMs + update.durationMs;
      if (++chunkOfPlan === reports[plan].chunks) {
        assert.ok(Math.abs(reports[plan].completionMs - completion) < 1e-6, `plan ${plan}: completion = sum of sync + update`);
        plan++;
        chunkOfPlan = 0;
        completion = 0;
      }
    }
    assert.ok(rows.some((r) => r.timer === 'update' && r.durationMs >= 2), 'a transfer between TaskManagers takes the link latency');
    assertSameState(finalState(run.job, OP), oracleState(spec, options));
  });
});

describe('migration > controller', () => {
  const context = (parallelism: number, maxParallelism: number): ScenarioContext => ({ maxParallelism, parallelism, affectedKeys: 64, affectedTasks: 4, zipfSkew: 1, seed: REFERENCE_SEED });

  /** ~100 s of input at 100 records per second: the scenario's phases start at +0, +30 and +60 s. */
  function runScenario(name: 'static' | 'dynamic' | 'stock', parallelism: number, maxParallelism: number, onPhaseEnd?: (run: TestRun, phase: number) => void) {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 10_000, ratePerSec: 100, nKeys: 400, parallelism, maxParallelism };
    const options = { taskManagers: 2, checkpointIntervalMs: 1000 };
    const run = startTestJob(spec, options, {
      link: { bandwidthMBps: 0, latencyMs: 1 },
      controller: { phases: SCENARIOS[name], context: context(parallelism, maxParallelism), strategy: STRATEGY, mechanism: 'spacker', startMs: 5000, intervalMs: Infinity },
    });
    const controller = run.layer?.controller;
    assert.ok(controller !== undefined, 'the layer has a controller');
    let seen = 0;
    run.job.runUntilIdle();
    while (!run.job.done) {
      assert.ok(run.job.elapsedMs() < 200_000, 'the job ends');
      run.clock.advance(10);
      run.job.runUntilIdle();
      for (; seen < controller.reports.length; seen++) onPhaseEnd?.(run, seen);
    }
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
    assertStateMatchesAssignment(run.job, OP);
    const initial = Assignment.initial(maxParallelism, parallelism);
    const targets = scenarioTargets(SCENARIOS[name], initial, context(parallelism, maxParallelism));
    assert.deepEqual(tableOf(run.job.assignment(OP)), tableOf(targets[targets.length - 1]), 'the final assignment is the last phase target');
    return { run, reports: controller.reports };
  }

  it('static: three phases at +0, +30 and +60 s with the configured strategy', () => {
    const { reports } = runScenario('static', 4, 128);
    assert.deepEqual(reports.map((r) => [r.phase, r.startMs]), [[0, 5000], [1, 35_000], [2, 65_000]]);
    assert.ok(reports.every((r) => r.keyGroups > 0 && r.endMs < r.startMs + 30_000), `every phase moves key groups within its 30 s: ${JSON.stringify(reports)}`);
    for (const r of reports) assert.deepEqual(r.strategy, STRATEGY);
  });

  it('dynamic: the strategy changes between phases, and the replicated set grows as soon as the previous phase ends', () => {
    const { reports, run } = runScenario('dynamic', 4, 128);
    assert.deepEqual(reports.map((r) => [r.phase, r.startMs]), [[0, 5000], [1, 35_000], [2, 65_000]]);
    assert.deepEqual(reports.map((r) => [r.strategy.syncKeys, r.strategy.replicateFilter, r.strategy.order]), [[0, 0, 'default'], [8, 2, 'random'], [8, 2, 'default']]);
    assert.equal(reports[0].chunks, 1, 'all at once');
    assert.ok(reports[1].chunks > 1 && reports[2].chunks >= 1, `chunks: ${reports.map((r) => r.chunks).join(', ')}`);
    assert.equal(reports[0].replicaRestores, 0);
    // Checkpoints between the phases replicated the even key groups, so clean ones moved without bytes.
    assert.ok(reports[1].replicaRestores > 0 && reports[2].replicaRestores > 0, `replica restores: ${reports.map((r) => r.replicaRestores).join(', ')}`);
    assert.deepEqual(run.layer?.replication.replicatedList(), replicatedSet(128, 2, 0, undefined, []));
    const phases = run.recorder.named('phase_start').map((e) => e.detail);
    assert.match(phases[1], /order=random;sync_keys=8;replicate_filter=2/);
  });

  it('stock: rescales 16 -> 4 -> 8 -> 6 at +0, +10, +20 s; subtasks outside the scale hold no key groups', () => {
    const scales = [4, 8, 6];
    const { reports } = runScenario('stock', 16, 128, (run, phase) => {
      const p = scales[phase];
      assert.deepEqual(tableOf(run.job.assignment(OP)), tableOf(rescale(128, 16, p)), `phase ${phase}: contiguous over ${p} subtasks`);
      for (const t of run.job.keyedTasks(OP)) {
        if (t.subtask >= p) assert.deepEqual(t.state.ownedKeyGroups(), [], `${t.label} is outside the scale of ${p}`);
        else assert.ok(t.state.ownedKeyGroups().length > 0, `${t.label} is inside the scale of ${p}`);
      }
    });
    assert.deepEqual(reports.map((r) => [r.phase, r.startMs]), [[0, 5000], [1, 15_000], [2, 25_000]]);
  });
});

describe('migration > on the wall clock', () => {
  it('the layer works in the gaps between records and the result is that of a run without migration', async () => {
    // 120 ms of input at 20,000 rec/s; two plans while it flows. job.run() drives slices on the wall clock,
    // where the layer is stepped with the end of a gap (and forced only when it had none for a while).
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 2400, ratePerSec: 20_000, nKeys: 200, parallelism: 4, maxParallelism: 64 };
    const options = { taskManagers: 2, checkpointIntervalMs: 5 };
    const run = startWallClockTestJob(spec, options, { replicateFilter: 4 });
    const steps = { gap: 0, forced: 0 };
    const step = run.layer.step.bind(run.layer);
    run.layer.step = (untilMs?: number): boolean => {
      const worked = step(untilMs);
      if (worked) steps[untilMs === undefined ? 'forced' : 'gap']++;
      return worked;
    };
    const reports: Promise<PlanReport>[] = [];
    const plan = (seed: number, syncKeys: number): void => {
      const current = run.job.assignment(OP);
      const target = moveSome(current.table(), raw(seed), 4);
      reports.push(run.layer.runPlan(planMigration({ operator: OP, current, target: withTable(current, target), strategy: { ...STRATEGY, syncKeys }, previousReplicated: run.layer.replication.replicatedList() })));
    };
    // The second plan right after the first, while input is left.
    const timer = setTimeout(() => {
      plan(31, 1);
      void reports[0].then(() => !run.job.sourcesDone() && plan(32, 0), () => undefined);
    }, 8);
    try {
      await run.job.run();
    } finally {
      clearTimeout(timer);
    }
    const done = await Promise.all(reports);
    assert.ok(done.length >= 1 && done.every((r) => r.keyGroups > 0), `plans moved key groups (${done.map((r) => r.keyGroups).join(', ')})`);
    assert.ok(steps.gap > 0, `the layer worked in gaps (${steps.gap} steps; forced ${steps.forced})`);
    const state = finalState(run.job, OP);
    assertExactlyOnceInOrder(state, spec);
    assertSameState(state, oracleState(spec, options));
    assertStateMatchesAssignment(run.job, OP);
  });
});

describe('migration > the layer\'s way in', () => {
  it('request plans with the rates the layer measured (hot-first without stats given), one migration at a time, status as it goes', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 2, records: 2000, ratePerSec: 10_000, nKeys: 100, parallelism: 4, maxParallelism: 32 };
    const run = startTestJob(spec, { taskManagers: 2 }, {});
    const layer = run.layer as NonNullable<TestRun['layer']>;
    for (let ms = 0; ms < 50; ms++) {
      run.clock.advance(1);
      run.job.runUntilIdle();
    }
    const current = tableOf(run.job.assignment(OP));
    const target = Assignment.initial(32, 4).withMoves(current.map((o, keyGroup) => ({ keyGroup, to: keyGroup % 3 === 0 ? (o + 1) % 4 : o })));
    const report = layer.request({ target, strategy: { ...STRATEGY, order: 'hot-first', syncKeys: 2 } });
    assert.equal(layer.status().state, 'migrating');
    assert.equal(layer.status().mechanism, 'spacker');
    assert.throws(() => layer.start({ target, strategy: STRATEGY }, () => undefined), /a migration is already in progress \(spacker, chunk \d+ of \d+\); one at a time/);
    driveToEnd(run);
    const r = await report;
    assert.equal(r.keyGroups, current.filter((_, kg) => kg % 3 === 0).length);
    assert.deepEqual(layer.status(), { state: 'idle', finished: 1, scenarioRunning: false });
    assert.deepEqual(tableOf(run.job.assignment(OP)), Array.from(target.table()));
  });

  it('an unknown mechanism is an error naming the allowed ones, before anything runs', async () => {
    const spec: TestJobSpec = { shape: 'single', sourceParallelism: 1, records: 10, ratePerSec: 1000, nKeys: 4, parallelism: 2, maxParallelism: 8 };
    assert.throws(() => startTestJob(spec, {}, { mechanism: 'teleport' }), /invalid value for 'mechanism': "teleport"; allowed: one of spacker, restart/);
    const run = startTestJob(spec, {}, {});
    await assert.rejects((run.layer as MigrationLayer).request({ target: run.job.assignment(OP), strategy: STRATEGY }, 'teleport'), /allowed: one of spacker, restart/);
    assert.equal((run.layer as MigrationLayer).status().state, 'idle');
  });
});

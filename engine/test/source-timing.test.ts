// Scenario tests of open-loop sources: the number and timing of emitted records on a manual clock, the
// exact scheduled time of every record, a stall showing up as latency (no coordinated omission),
// back-pressure from a full channel (the source stops, resumes, loses nothing), sources with nothing to
// emit, and one run on the wall clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, wallClock } from '../src/core/clock.ts';
import { RateProfile } from '../src/core/rate-profile.ts';
import { JobGraph } from '../src/runtime/job-graph.ts';
import { Job, type JobOptions } from '../src/runtime/job.ts';
import { InMemoryLatencySink } from '../src/metrics/in-memory-latency-sink.ts';
import type { KeyedContext, KeyedFunction } from '../src/runtime/task.ts';
import { IndexSource, RecordingFunction, drive, type Emitted, type Seen } from './helpers/manual-job.ts';

interface Setup {
  rate: number;
  count: number;
  sourceParallelism?: number;
  parallelism?: number;
  /** Wraps the recording function's behaviour (default: pass the value on). */
  inner?: (subtask: number) => KeyedFunction<unknown, unknown>;
  /** What the recording function reads its time from (default: the job's clock). */
  recordClock?: { now(): number };
}

/** Source -> keyed `Op` (recording every record, latency measured), on a manual clock unless given one. */
function build(s: Setup, options: JobOptions & { clock: { now(): number } }): { job: Job; log: Seen[]; sink: InMemoryLatencySink } {
  const log: Seen[] = [];
  const sink = new InMemoryLatencySink();
  const graph = new JobGraph()
    .source<Emitted>('Source', {
      parallelism: s.sourceParallelism ?? 1,
      profile: RateProfile.constant(s.rate),
      count: s.count,
      create: (subtask, p) => new IndexSource(subtask, p, 256),
    })
    .keyed('Op', {
      parallelism: s.parallelism ?? 1,
      maxParallelism: 128,
      inputs: [{ from: 'Source' }],
      create: (subtask) => new RecordingFunction(subtask, log, s.recordClock ?? options.clock, s.inner?.(subtask)),
      measureLatency: true,
    });
  const job = new Job(graph, { latencySink: sink, ...options });
  return { job, log, sink };
}

/** Asserts that records 0..count-1 of every source subtask were each processed once, in index order. */
function assertAllOnceInOrder(log: readonly Seen[], count: number, sourceParallelism = 1): void {
  assert.equal(log.length, count, 'records processed');
  const next = new Array<number>(sourceParallelism).fill(0);
  for (const r of log) {
    const { subtask, index } = r.value as Emitted;
    assert.equal(index, next[subtask], `source subtask ${subtask}: record ${index} in order, none lost or repeated`);
    next[subtask]++;
    assert.equal(r.seq, index * sourceParallelism + subtask);
  }
}

/** A keyed function that spends `ms` of manual time per record: a slow operator on a manual clock. */
function slow(clock: ManualClock, ms: number): KeyedFunction<unknown, unknown> {
  return { processElement: (_v: unknown, _ctx: KeyedContext<unknown>) => clock.advance(ms) };
}

/** A manual clock that counts its readings (`recent()`, free on the wall clock, is not one). */
class CountingClock extends ManualClock {
  reads = 0;
  override now(): number {
    this.reads++;
    return super.now();
  }
}

describe('engine > source timing', () => {
  it('the engine reads the clock about once per record (each a boxed number on the wall clock)', () => {
    const clock = new CountingClock();
    // The recording function's own readings are not the engine's.
    const { job, log } = build({ rate: 8000, count: 8000, sourceParallelism: 4, parallelism: 2, recordClock: { now: () => clock.recent() } }, { clock });
    job.runUntilIdle();
    clock.reads = 0;
    let rounds = 0;
    while (!job.done && rounds++ < 100_000) {
      clock.advance(0.25);
      job.runUntilIdle();
    }
    assert.equal(log.length, 8000);
    // One reading as each record is done, a few per quarter-millisecond step; sources, idle input channels and
    // step budgets take Clock.recent (8.8 readings per record before they did).
    assert.ok(clock.reads <= 2 * log.length, `${clock.reads} clock readings for ${log.length} records`);
  });

  it('a source at 10,000 rec/s over 10 s of manual time emits 100,000 records, each second within 1% of the rate', () => {
    const clock = new ManualClock();
    const rate = 10_000;
    const count = RateProfile.constant(rate).countBefore(10_000);
    assert.equal(count, 100_000);
    const { job, log, sink } = build({ rate, count }, { clock });
    drive(job, clock, 1);
    assert.ok(job.done);
    assert.equal(job.sources[0].emitted, 100_000);
    assertAllOnceInOrder(log, 100_000);
    assert.equal(sink.records, 100_000, 'one latency record per record');
    const perSecond = new Array<number>(11).fill(0);
    for (const r of sink.allRecords()) perSecond[Math.floor(r.tsMs / 1000)]++;
    for (let s = 0; s < 10; s++) assert.ok(Math.abs(perSecond[s] - rate) <= rate / 100, `second ${s}: ${perSecond[s]} records`);
    assert.ok(perSecond[10] <= 10, 'only the records due in the last step fall after 10 s');
    // With 1 ms steps on a manual clock, no record waits longer than one step.
    assert.ok(sink.allRecords().every((r) => r.latencyMs >= 0 && r.latencyMs <= 1));
  });

  it("each record's scheduled time is start + i / rate exactly (per source subtask)", () => {
    const clock = new ManualClock(5);
    const rate = 10_000;
    const { job, log } = build({ rate, count: 30_001, sourceParallelism: 3, parallelism: 2 }, { clock, startDelayMs: 2 });
    assert.equal(job.startMs, 7);
    drive(job, clock, 0.25);
    assert.ok(job.done);
    assert.equal(log.length, 30_001);
    const perSubtask = rate / 3;
    for (const r of log) {
      const { subtask, index } = r.value as Emitted;
      assert.equal(r.scheduledMs, 7 + (index * 1000) / perSubtask, `subtask ${subtask} record ${index}`);
      assert.ok(r.processedMs >= r.scheduledMs, 'never processed before it is due');
    }
    assert.deepEqual(job.sources.map((s) => s.emitted), [10_001, 10_000, 10_000]);
  });

  it('a stall (the clock jumps 100 ms without the job running) shows up as latency of the records due in it', () => {
    const clock = new ManualClock();
    const rate = 10_000;
    const { job, log, sink } = build({ rate, count: 20_000 }, { clock });
    drive(job, clock, 1, 500);
    const stallStart = clock.now();
    const before = log.length;
    assert.equal(before, RateProfile.constant(rate).dueBy(stallStart - job.startMs));
    clock.advance(100);
    job.runUntilIdle();
    const after = log.slice(before);
    assert.equal(after.length, 1000, 'the records due during the stall are processed right after it');
    job.flushLatency();
    const latency = sink.allRecords().slice(before, before + after.length);
    for (const [i, r] of after.entries()) {
      const lateness = r.processedMs - r.scheduledMs;
      assert.ok(latency[i].latencyMs >= lateness, `record ${r.seq}: latency ${latency[i].latencyMs} >= lateness ${lateness}`);
      assert.equal(latency[i].latencyMs, clock.now() - r.scheduledMs);
    }
    // The first record due after the stall started waited (almost) the whole stall.
    assert.equal(after[0].scheduledMs, stallStart + 0.1);
    assert.ok(latency[0].latencyMs >= 99.9 - 1e-9, `first record after the stall: ${latency[0].latencyMs} ms`);
    assert.ok(latency.every((r) => r.latencyMs <= 100));
    drive(job, clock, 1);
    assertAllOnceInOrder(log, 20_000);
  });

  it('back-pressure: with its keyed task not run, the source stops at a full channel, then resumes and loses nothing', () => {
    const clock = new ManualClock();
    const capacity = 64;
    const batch = 16;
    const { job, log } = build({ rate: 10_000, count: 5000 }, { clock, channelCapacity: capacity, batchCapacity: batch });
    const source = job.sources[0];
    // Run only the source for 200 ms: 2000 records are due, 10 per step.
    for (let i = 0; i < 200; i++) {
      clock.advance(1);
      source.step();
    }
    assert.ok(source.emitted >= capacity, `emitted ${source.emitted}`);
    assert.ok(source.emitted <= capacity + batch, `emitted ${source.emitted} <= capacity + one batch`);
    assert.ok(source.backPressuredSteps >= 190, `back-pressured steps ${source.backPressuredSteps}`);
    const stuck = source.backPressuredSteps;
    // Now the whole job runs: the keyed task drains the channel and the source catches up.
    drive(job, clock, 1);
    assert.ok(job.done);
    assert.ok(source.backPressuredSteps > stuck, 'it was back-pressured while catching up');
    assertAllOnceInOrder(log, 5000);
  });

  it('back-pressure: after a stall, one source step does not overrun an empty channel either', () => {
    const clock = new ManualClock();
    const capacity = 64;
    const batch = 16;
    const { job, log } = build({ rate: 10_000, count: 5000 }, { clock, channelCapacity: capacity, batchCapacity: batch });
    const source = job.sources[0];
    clock.advance(100); // 1001 records are due at once
    source.step();
    assert.ok(source.emitted >= capacity && source.emitted <= capacity + batch, `emitted ${source.emitted} <= capacity + one batch`);
    assert.ok(job.keyedTasks('Op')[0].inputs[0].bufferedRecords <= capacity + batch);
    drive(job, clock, 1);
    assertAllOnceInOrder(log, 5000);
  });

  it('back-pressure: a slow keyed function holds the source back; every record still arrives once and late records show it', () => {
    const clock = new ManualClock();
    const capacity = 32;
    const batch = 8;
    // 2000 rec/s offered, 0.75 ms per record in the operator: it keeps up with at most ~1333 rec/s.
    const { job, log, sink } = build({ rate: 2000, count: 3000, inner: () => slow(clock, 0.75) }, { clock, channelCapacity: capacity, batchCapacity: batch });
    const source = job.sources[0];
    let maxBuffered = 0;
    while (!job.done) {
      clock.advance(1);
      job.runUntilIdle();
      const ch = job.keyedTasks('Op')[0].inputs[0];
      maxBuffered = Math.max(maxBuffered, ch.bufferedRecords);
    }
    assert.ok(source.backPressuredSteps > 0, 'the source was back-pressured');
    assert.ok(maxBuffered <= capacity + batch, `channel held at most ${maxBuffered} records`);
    assertAllOnceInOrder(log, 3000);
    // The run takes as long as the operator needs, and the lateness is in the latency.
    assert.ok(clock.now() >= 3000 * 0.75);
    const last = sink.allRecords().at(-1);
    assert.ok(last !== undefined && last.latencyMs > 500, `last record's latency ${last?.latencyMs} ms`);
  });

  it('a source subtask with no records to emit ends at once (fewer records than subtasks, or none)', () => {
    for (const count of [0, 3]) {
      const clock = new ManualClock();
      const { job, log } = build({ rate: 1000, count, sourceParallelism: 4 }, { clock });
      drive(job, clock, 1, 1000);
      assert.ok(job.done, `count ${count}: the job ends`);
      assert.equal(log.length, count);
      assert.ok(job.sources.every((s) => s.done && s.nextDueMs() === Infinity));
    }
  });

  it('wall clock: 20,000 rec/s for 2 s emits exactly 40,000 records at about that rate', async () => {
    const rate = 20_000;
    const count = RateProfile.constant(rate).countBefore(2000);
    assert.equal(count, 40_000);
    const { job, log } = build({ rate, count, sourceParallelism: 2, parallelism: 2 }, { clock: wallClock, startDelayMs: 5 });
    await job.run();
    const elapsedMs = performance.now() - job.startMs;
    assert.equal(log.length, 40_000);
    assert.equal(job.processedRecords(), 40_000);
    const achieved = (count / elapsedMs) * 1000;
    assert.ok(elapsedMs >= 1999, `the source cannot run ahead of its schedule (${elapsedMs.toFixed(1)} ms)`);
    assert.ok(achieved >= rate / 4 && achieved <= rate * 1.01, `achieved ${achieved.toFixed(0)} rec/s`);
    for (const r of log) assert.ok(r.processedMs >= r.scheduledMs, 'never processed before it is due');
  });
});

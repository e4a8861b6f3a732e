// Scenario tests of sources fed from outside the job (ExternalSource), on a manual clock: records arrive in
// bursts between steps, keep the scheduled time and sequence they carry (so latency counts from the schedule,
// however late they arrived), back-pressure stops polling without losing anything, a checkpoint barrier goes
// through, the source ends when its feed ends, and an error thrown by the feed fails the job.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/core/clock.ts';
import { JobGraph } from '../src/runtime/job-graph.ts';
import { Job } from '../src/runtime/job.ts';
import type { Key } from '../src/core/key-group.ts';
import type { ExternalSource } from '../src/runtime/task.ts';
import { RecordingFunction, type Seen } from './helpers/manual-job.ts';

/** A feed whose records the test pushes in by hand. */
class HandFeed implements ExternalSource<number> {
  readonly queue: { scheduledMs: number; key: Key; value: number; seq: number }[] = [];
  closed = false;
  failure: Error | undefined;
  polls = 0;
  poll(_nowMs: number, max: number, emit: (scheduledMs: number, value: number, key: Key, seq: number) => void): number {
    this.polls++;
    if (this.failure !== undefined) throw this.failure;
    let n = 0;
    while (n < max && this.queue.length > 0) {
      const r = this.queue.shift() as (typeof this.queue)[number];
      emit(r.scheduledMs, r.value, r.key, r.seq);
      n++;
    }
    return n;
  }
  nextDueMs(): number {
    return this.queue.length > 0 ? -Infinity : Infinity;
  }
  get ended(): boolean {
    return this.closed && this.queue.length === 0;
  }
}

function build(feeds: HandFeed[], channelCapacity = 65536): { job: Job; log: Seen[]; clock: ManualClock } {
  const clock = new ManualClock(1000);
  const log: Seen[] = [];
  const graph = new JobGraph()
    .externalSource<number>('Source', { parallelism: feeds.length, create: (s) => feeds[s] })
    .keyed('Op', { parallelism: 2, maxParallelism: 16, inputs: [{ from: 'Source' }], create: (s) => new RecordingFunction(s, log, clock) });
  return { job: new Job(graph, { clock, channelCapacity, batchCapacity: 4 }), log, clock };
}

describe('engine > external sources', () => {
  it('records keep their scheduled time and sequence; arriving late shows as latency; the source ends with its feed', () => {
    const feeds = [new HandFeed(), new HandFeed()];
    const { job, log, clock } = build(feeds);
    job.runUntilIdle();
    assert.equal(log.length, 0);
    for (let i = 0; i < 10; i++) feeds[i % 2].queue.push({ scheduledMs: 1000 + i, key: `k${i}`, value: i, seq: 100 + i });
    clock.advance(50); // they arrive 40-50 ms after their schedule
    job.runUntilIdle();
    assert.equal(log.length, 10);
    assert.deepEqual(log.map((r) => r.seq).sort((a, b) => a - b), [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    for (const r of log) {
      assert.equal(r.scheduledMs, 1000 + (r.value as number));
      assert.equal(r.processedMs - r.scheduledMs, 50 - (r.value as number), 'latency from the schedule');
    }
    assert.equal(job.done, false, 'open feeds keep the job running');
    feeds[0].closed = true;
    job.runUntilIdle();
    assert.equal(job.sources[0].done, true);
    assert.equal(job.done, false);
    feeds[1].queue.push({ scheduledMs: 1060, key: 'late', value: 60, seq: 7 });
    feeds[1].closed = true;
    job.runUntilIdle();
    assert.equal(log.length, 11);
    assert.equal(job.done, true);
  });

  it('back-pressure: a full channel stops polling; nothing is lost; a checkpoint barrier passes', () => {
    const feed = new HandFeed();
    const { job, log } = build([feed], 8);
    for (let i = 0; i < 500; i++) feed.queue.push({ scheduledMs: 1000, key: i, value: i, seq: i });
    const keyed = job.keyedTasks('Op');
    // One source round only: the channels fill and the source stops taking from the feed.
    job.sources[0].step();
    assert.ok(feed.queue.length > 0, `records wait in the feed (${feed.queue.length})`);
    const before = feed.queue.length;
    job.sources[0].step();
    assert.equal(feed.queue.length, before, 'no poll while the channel is full');
    job.triggerCheckpoint();
    feed.closed = true;
    job.runUntilIdle();
    assert.equal(log.length, 500);
    assert.equal(new Set(log.map((r) => r.seq)).size, 500);
    assert.equal(job.checkpointInFlight(), false, 'the checkpoint completed');
    assert.ok(keyed.every((t) => t.done));
  });

  it('an error thrown by the feed fails the run', async () => {
    const feed = new HandFeed();
    const graph = new JobGraph()
      .externalSource<number>('Source', { parallelism: 1, create: () => feed })
      .keyed('Op', { parallelism: 1, maxParallelism: 4, inputs: [{ from: 'Source' }], create: (s) => new RecordingFunction(s, [], { now: () => 0 }) });
    const job = new Job(graph);
    setTimeout(() => (feed.failure = new Error('broker gone')), 20);
    await assert.rejects(job.run(), /broker gone/);
  });
});

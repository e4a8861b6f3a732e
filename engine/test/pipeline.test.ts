// Scenario tests of whole jobs on a manual clock (engine only; the micro-benchmark's own pipeline test is
// test/micro-benchmark-pipeline.test.ts, since nothing under engine/ may import workloads/): a stateful
// keyed job processes every record once, per key in order, and ends in the state a sequential computation
// gives; periodic checkpoints happen every interval and clear exactly the dirty flags; a two-input keyed
// operator sees each input under its index; keyed -> keyed -> sink delivers every record once; and
// back-pressure crosses a keyed operator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/core/clock.ts';
import { RateProfile } from '../src/core/rate-profile.ts';
import type { Key } from '../src/core/key-group.ts';
import { JobGraph } from '../src/runtime/job-graph.ts';
import { Job, type JobListener } from '../src/runtime/job.ts';
import type { KeyedContext, KeyedFunction } from '../src/runtime/task.ts';
import type { KeyedStateBackend, MapState, ValueState } from '../src/state/keyed-state-backend.ts';
import {
  IndexSource,
  RecordingFunction,
  dirtyKeyGroups,
  drive,
  watchCheckpoints,
  writtenBetween,
  type CheckpointSeen,
  type Emitted,
  type Seen,
} from './helpers/manual-job.ts';

/** Counts records per key (value state) and per input (map state), writing only for some records. */
class CountingFunction implements KeyedFunction<Emitted, Emitted> {
  private count!: ValueState<number>;
  private sums!: MapState<string, number>;

  open(state: KeyedStateBackend): void {
    this.count = state.valueState<number>('count');
    this.sums = state.mapState<string, number>('sums');
  }

  processElement(v: Emitted, ctx: KeyedContext<Emitted>, input: number): void {
    if (writes(v)) this.count.update((this.count.value() ?? 0) + 1);
    if (v.index % 3 === 0) this.sums.put(`in${input}`, (this.sums.get(`in${input}`) ?? 0) + ctx.seq);
    ctx.collect(v, ctx.key);
  }
}

/** Whether CountingFunction writes state for a record. */
function writes(v: Emitted): boolean {
  return v.index % 4 === 0 || v.index % 3 === 0;
}

/**
 * Every record of every source once, and in index order per channel (source subtask -> operator subtask):
 * the order a channel guarantees, hence also per key.
 */
function assertOnceInOrder(log: readonly Seen[], expected: Record<string, { parallelism: number; count: number }>): void {
  const lastPerChannel = new Map<string, number>();
  const seen = new Map<string, Set<number>>();
  for (const r of log) {
    const v = r.value as Emitted;
    const source = `${v.tag}/${v.subtask}`;
    const channel = `${source}->${r.operatorSubtask}`;
    const last = lastPerChannel.get(channel) ?? -1;
    assert.ok(v.index > last, `channel ${channel}: record ${v.index} after ${last}`);
    lastPerChannel.set(channel, v.index);
    let set = seen.get(source);
    if (set === undefined) seen.set(source, (set = new Set()));
    assert.ok(!set.has(v.index), `source ${source}: record ${v.index} processed twice`);
    set.add(v.index);
  }
  for (const [tag, { parallelism, count }] of Object.entries(expected)) {
    let total = 0;
    for (let s = 0; s < parallelism; s++) {
      const set = seen.get(`${tag}/${s}`) ?? new Set();
      // Indices 0..n-1 with none missing: the largest is n-1.
      assert.equal(Math.max(-1, ...set), set.size - 1, `source ${tag}/${s}: a record is missing`);
      total += set.size;
    }
    assert.equal(total, count, `records of source ${tag || '(untagged)'}`);
  }
}

/** Every key was processed by one subtask only. */
function assertOneSubtaskPerKey(log: readonly Seen[]): void {
  const owner = new Map<Key, number>();
  for (const r of log) {
    const o = owner.get(r.key);
    if (o === undefined) owner.set(r.key, r.operatorSubtask);
    else assert.equal(r.operatorSubtask, o, `key ${String(r.key)} processed by subtasks ${o} and ${r.operatorSubtask}`);
  }
}

/** Checks each checkpoint's dirty key groups against the writes since the subtask's previous checkpoint. */
function assertDirtyFlags(seen: readonly CheckpointSeen[], log: readonly Seen[], wrote: (r: Seen) => boolean): void {
  const last = new Map<string, number>();
  for (const c of seen) {
    const label = `${c.operator}-${c.subtask}`;
    const from = last.get(label) ?? 0;
    assert.deepEqual(c.dirty, writtenBetween(log, from, c.logLength, c.subtask, wrote), `${label}, checkpoint ${c.id}: dirty key groups`);
    last.set(label, c.logLength);
  }
}

function events(): { listener: JobListener; rows: { tsMs: number; event: string; detail: string }[] } {
  const rows: { tsMs: number; event: string; detail: string }[] = [];
  return { rows, listener: { onEvent: (tsMs, event, detail) => rows.push({ tsMs, event, detail }) } };
}

describe('engine > pipeline', () => {
  it('a stateful keyed job: every record once and in order per source, final state equal to a sequential computation, checkpoints every 100 ms clearing the dirty flags', () => {
    const clock = new ManualClock();
    const log: Seen[] = [];
    const { listener, rows } = events();
    const count = 6000;
    const graph = new JobGraph()
      .source<Emitted>('Source', { parallelism: 2, profile: RateProfile.constant(4000), count, create: (s, p) => new IndexSource(s, p, 300) })
      .keyed('Counter', { parallelism: 4, maxParallelism: 64, inputs: [{ from: 'Source' }], create: (s) => new RecordingFunction(s, log, clock, new CountingFunction() as KeyedFunction<unknown, unknown>) });
    const job = new Job(graph, { clock, checkpointIntervalMs: 100, listener });
    const checkpoints = watchCheckpoints(job, log);
    drive(job, clock, 1);
    assert.ok(job.done);

    assertOnceInOrder(log, { '': { parallelism: 2, count } });
    assertOneSubtaskPerKey(log);
    assert.deepEqual([...new Set(log.map((r) => r.seq))].sort((a, b) => a - b), Array.from({ length: count }, (_, i) => i), 'every sequence number once');

    // The sequential reference: the same records, one after the other.
    const expected = new Map<Key, { count: number; sum: number }>();
    for (let seq = 0; seq < count; seq++) {
      const subtask = seq % 2;
      const index = (seq - subtask) / 2;
      const key = `k${(index * 2 + subtask) % 300}`;
      const e = expected.get(key) ?? { count: 0, sum: 0 };
      if (writes({ tag: '', subtask, index })) e.count++;
      if (index % 3 === 0) e.sum += seq;
      expected.set(key, e);
    }
    const actual = new Map<Key, { count: number; sum: number }>();
    for (const task of job.keyedTasks('Counter')) {
      for (const kg of task.state.ownedKeyGroups()) {
        for (const [key, n] of task.state.entries(kg, 'count')) actual.set(key, { count: n as number, sum: 0 });
        for (const [key, m] of task.state.entries(kg, 'sums')) {
          const e = actual.get(key) ?? { count: 0, sum: 0 };
          e.sum = (m as Map<string, number>).get('in0') ?? 0;
          actual.set(key, e);
        }
      }
    }
    for (const [key, e] of expected) if (e.count === 0 && e.sum === 0) expected.delete(key);
    assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));

    // Checkpoints: one every 100 ms while the sources run, each completed.
    const cps = rows.filter((r) => r.event === 'checkpoint');
    assert.ok(cps.length >= 14, `${cps.length} checkpoints`);
    cps.forEach((r, i) => {
      assert.match(r.detail, new RegExp(`^id=${i + 1};duration_ms=`));
      assert.equal(r.tsMs, 100 * (i + 1), `checkpoint ${i + 1} at ${r.tsMs} ms`);
    });
    assert.equal(checkpoints.length, cps.length * 4, 'every subtask aligned every checkpoint');
    assertDirtyFlags(checkpoints, log, (r) => writes(r.value as Emitted));
    // After the last checkpoint the flags hold exactly the later writes.
    for (const task of job.keyedTasks('Counter')) {
      const from = checkpoints.filter((c) => c.subtask === task.subtask).at(-1)?.logLength ?? 0;
      assert.deepEqual(dirtyKeyGroups(task.state), writtenBetween(log, from, log.length, task.subtask, (r) => writes(r.value as Emitted)));
    }
  });

  it('a two-input keyed operator processes both inputs, each under its input index, with aligned checkpoints', () => {
    const clock = new ManualClock();
    const log: Seen[] = [];
    const { listener, rows } = events();
    const graph = new JobGraph()
      .source<Emitted>('A', { parallelism: 2, profile: RateProfile.constant(3000), count: 3000, create: (s, p) => new IndexSource(s, p, 50, 'A') })
      .source<Emitted>('B', { parallelism: 1, profile: RateProfile.constant(1000), count: 1000, create: (s, p) => new IndexSource(s, p, 50, 'B') })
      .keyed('Join', {
        parallelism: 3,
        maxParallelism: 32,
        inputs: [{ from: 'A' }, { from: 'B' }],
        create: (s) => new RecordingFunction(s, log, clock, new CountingFunction() as KeyedFunction<unknown, unknown>),
      });
    const job = new Job(graph, { clock, checkpointIntervalMs: 50, listener });
    drive(job, clock, 1);
    assert.ok(job.done);
    assertOnceInOrder(log, { A: { parallelism: 2, count: 3000 }, B: { parallelism: 1, count: 1000 } });
    for (const r of log) assert.equal(r.input, (r.value as Emitted).tag === 'A' ? 0 : 1, `record of ${(r.value as Emitted).tag} on input ${r.input}`);
    assertOneSubtaskPerKey(log);
    // Both inputs of one key meet in one state: the per-input sums add up per key.
    let sum0 = 0;
    let sum1 = 0;
    for (const task of job.keyedTasks('Join')) {
      for (const kg of task.state.ownedKeyGroups()) {
        for (const [, m] of task.state.entries(kg, 'sums')) {
          sum0 += (m as Map<string, number>).get('in0') ?? 0;
          sum1 += (m as Map<string, number>).get('in1') ?? 0;
        }
      }
    }
    assert.equal(sum0, log.filter((r) => r.input === 0 && (r.value as Emitted).index % 3 === 0).reduce((a, r) => a + r.seq, 0));
    assert.equal(sum1, log.filter((r) => r.input === 1 && (r.value as Emitted).index % 3 === 0).reduce((a, r) => a + r.seq, 0));
    assert.ok(sum1 > 0);
    const cps = rows.filter((r) => r.event === 'checkpoint');
    assert.ok(cps.length >= 19, `${cps.length} checkpoints over two inputs`);
  });

  it('keyed -> keyed -> sink delivers every record to the sink exactly once', () => {
    const clock = new ManualClock();
    const first: Seen[] = [];
    const second: Seen[] = [];
    const delivered: Emitted[] = [];
    const rekey = (v: unknown): Key => `r${(v as Emitted).index % 11}`;
    const graph = new JobGraph()
      .source<Emitted>('Source', { parallelism: 2, profile: RateProfile.constant(5000), count: 5000, create: (s, p) => new IndexSource(s, p, 97) })
      .keyed('K1', { parallelism: 3, maxParallelism: 32, inputs: [{ from: 'Source' }], create: (s) => new RecordingFunction(s, first, clock) })
      .keyed('K2', { parallelism: 2, maxParallelism: 16, inputs: [{ from: 'K1', key: rekey }], create: (s) => new RecordingFunction(s, second, clock) })
      .sink('Sink', { parallelism: 2, from: 'K2', consume: (v) => delivered.push(v as Emitted) });
    const job = new Job(graph, { clock, checkpointIntervalMs: 100, batchCapacity: 64 });
    drive(job, clock, 1);
    assert.ok(job.done);
    assertOnceInOrder(first, { '': { parallelism: 2, count: 5000 } });
    assert.equal(second.length, 5000);
    assert.ok(second.every((r) => r.key === rekey(r.value)), 'the second keyed operator keys by its selector');
    assertOneSubtaskPerKey(second);
    assert.equal(delivered.length, 5000);
    assert.equal(new Set(delivered.map((v) => `${v.subtask}/${v.index}`)).size, 5000, 'no record delivered twice');
    assert.equal(job.sinks.reduce((n, s) => n + s.received, 0), 5000);
    // The scheduled time and sequence travel with the record through both operators.
    const bySeq = new Map(first.map((r) => [r.seq, r.scheduledMs]));
    for (const r of second) assert.equal(r.scheduledMs, bySeq.get(r.seq));
  });

  it('back-pressure crosses a keyed operator: when the second of two keyed operators stalls, the first stops and so does the source', () => {
    const clock = new ManualClock();
    const first: Seen[] = [];
    const second: Seen[] = [];
    const capacity = 32;
    const batch = 8;
    const graph = new JobGraph()
      .source<Emitted>('Source', { parallelism: 1, profile: RateProfile.constant(10_000), count: 4000, create: (s, p) => new IndexSource(s, p, 40) })
      .keyed('K1', { parallelism: 1, maxParallelism: 8, inputs: [{ from: 'Source' }], create: (s) => new RecordingFunction(s, first, clock) })
      .keyed('K2', { parallelism: 1, maxParallelism: 8, inputs: [{ from: 'K1' }], create: (s) => new RecordingFunction(s, second, clock) });
    const job = new Job(graph, { clock, channelCapacity: capacity, batchCapacity: batch });
    const source = job.sources[0];
    const [k1] = job.keyedTasks('K1');
    const [k2] = job.keyedTasks('K2');
    // 100 ms with K2 not running: 1000 records are due.
    for (let i = 0; i < 100; i++) {
      clock.advance(1);
      source.step();
      k1.step();
    }
    const intoK2 = k2.inputs[0].bufferedRecords;
    assert.ok(intoK2 <= capacity + batch * 2, `K1 -> K2 holds ${intoK2} records (capacity ${capacity})`);
    assert.ok(source.backPressuredSteps > 0, 'the source felt it');
    assert.ok(source.emitted < 1000 / 2, `the source stopped early (${source.emitted} emitted)`);
    drive(job, clock, 1);
    assert.ok(job.done);
    assertOnceInOrder(second, { '': { parallelism: 1, count: 4000 } });
  });
});

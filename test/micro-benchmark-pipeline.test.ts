// The micro-benchmark end to end on a manual clock, at small scale: every record processed exactly once,
// the records of a key in sequence order, the final state of every key equal to a plain sequential
// computation over the same generated records, and checkpoints every 100 ms that clear the dirty flags.
// It lives here, not in engine/test, because nothing under engine/ may import workloads/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryLatencySink, Job, JobGraph, ManualClock } from '../engine/src/index.ts';
import type { JobListener, Key, KeyedVertex, SourceVertex } from '../engine/src/index.ts';
import { buildMicroBenchmark, type MicroBenchmarkParams } from '../workloads/src/micro-benchmark/micro-benchmark.ts';
import { STATE_NAME, writePayload } from '../workloads/src/micro-benchmark/stateful-map.ts';
import { resolveConfig } from '../experiments/src/config/resolve.ts';
import { parseSetArgs } from '../experiments/src/config/parse.ts';
import { buildMicroJob } from '../experiments/src/jobs/micro-benchmark.ts';
import { migrationSetup, TimerLog } from '../experiments/src/run/migration-setup.ts';
import { RecordingFunction, drive, watchCheckpoints, writtenBetween, dirtyKeyGroups, type Seen } from '../engine/test/helpers/manual-job.ts';

const params: MicroBenchmarkParams = {
  variant: 'micro-benchmark',
  runtimeS: 2,
  perTaskRate: 500,
  parallelism: 4,
  sourceParallelism: 1,
  maxParallelism: 64,
  nKeys: 256,
  perKeySize: 64,
  stateAccessRatio: 50,
  zipfSkew: 1,
  busyWorkMs: 0,
  seed: 12345678,
};

interface Generated {
  seq: number;
  key: Key;
  access: boolean;
}

/** The source's records, by calling its function directly (one source subtask: seq = index). */
function generate(source: SourceVertex): Generated[] {
  assert.equal(source.parallelism, 1);
  const fn = source.create(0, 1);
  const profile = source.profile.forSubtask(0, 1);
  const out: Generated[] = [];
  for (let i = 0; i < source.count; i++) {
    fn.emit(i, profile.timeOf(i), { collect: (v, k) => out.push({ seq: i, key: k as Key, access: v as boolean }) });
  }
  return out;
}

/** `key -> bytes` of the stateful map's state over all subtasks. */
function finalState(job: Job, operator: string): Map<Key, Buffer> {
  const out = new Map<Key, Buffer>();
  for (const task of job.keyedTasks(operator)) {
    for (const kg of task.state.ownedKeyGroups()) {
      for (const [key, entry] of task.state.entries(kg, STATE_NAME)) {
        const m = entry as Map<string, Buffer>;
        assert.deepEqual([...m.keys()], [key], `map state of ${String(key)} holds the key itself`);
        out.set(key, m.get(key as string) as Buffer);
      }
    }
  }
  return out;
}

describe('test > micro-benchmark pipeline', () => {
  it('small micro-benchmark: exactly once, per-key order, final state equal to a sequential reference, checkpoints clearing dirty flags', () => {
    const { graph, operator, totalRecords } = buildMicroBenchmark(params);
    assert.equal(totalRecords, 4000);
    const source = graph.get('Source') as SourceVertex;
    const op = graph.get(operator) as KeyedVertex;

    // The same job with every record of the stateful map recorded on its way in.
    const clock = new ManualClock();
    const log: Seen[] = [];
    const rows: { tsMs: number; event: string }[] = [];
    const listener: JobListener = { onEvent: (tsMs, event) => rows.push({ tsMs, event }) };
    const instrumented = new JobGraph()
      .source('Source', { parallelism: source.parallelism, profile: source.profile, count: source.count, create: source.create })
      .keyed(operator, {
        parallelism: op.parallelism,
        maxParallelism: op.maxParallelism,
        inputs: op.inputs,
        create: (s) => new RecordingFunction(s, log, clock, op.create(s)),
        measureLatency: true,
      });
    const sink = new InMemoryLatencySink();
    const job = new Job(instrumented, { clock, latencySink: sink, checkpointIntervalMs: 100, listener });
    const checkpoints = watchCheckpoints(job, log);
    drive(job, clock, 1);
    assert.ok(job.done);

    // Exactly once, and what was processed is what the source function generates.
    const generated = generate(source);
    assert.equal(log.length, totalRecords);
    assert.equal(sink.records, totalRecords);
    const bySeq = [...log].sort((a, b) => a.seq - b.seq);
    bySeq.forEach((r, i) => {
      assert.equal(r.seq, i, `record ${i} processed exactly once`);
      assert.equal(r.key, generated[i].key);
      assert.equal(r.value, generated[i].access);
    });
    assert.ok(generated.some((g) => g.access) && generated.some((g) => !g.access), 'both kinds of records occur');

    // Per key, records in sequence order.
    const lastSeq = new Map<Key, number>();
    for (const r of log) {
      assert.ok(r.seq > (lastSeq.get(r.key) ?? -1), `key ${String(r.key)}: record ${r.seq} after ${lastSeq.get(r.key)}`);
      lastSeq.set(r.key, r.seq);
    }

    // The sequential reference: one map, the records one after the other.
    const reference = new Map<Key, Buffer>();
    for (const g of generated) {
      if (!g.access) continue;
      const bytes = reference.get(g.key) ?? Buffer.alloc(params.perKeySize);
      writePayload(bytes, g.seq);
      reference.set(g.key, bytes);
    }
    const actual = finalState(job, operator);
    assert.equal(actual.size, reference.size, 'keys with state');
    for (const [key, bytes] of reference) assert.deepEqual(actual.get(key), bytes, `state of ${String(key)}`);

    // Checkpoints every 100 ms, each clearing the dirty flags it found.
    const cps = rows.filter((r) => r.event === 'checkpoint');
    assert.ok(cps.length >= 19, `${cps.length} checkpoints in 2 s`);
    cps.forEach((r, i) => assert.equal(r.tsMs, 100 * (i + 1)));
    const wrote = (r: Seen): boolean => r.value === true;
    const last = new Map<number, number>();
    for (const c of checkpoints) {
      assert.deepEqual(c.dirty, writtenBetween(log, last.get(c.subtask) ?? 0, c.logLength, c.subtask, wrote), `subtask ${c.subtask}, checkpoint ${c.id}`);
      last.set(c.subtask, c.logLength);
    }
    for (const task of job.keyedTasks(operator)) {
      assert.deepEqual(dirtyKeyGroups(task.state), writtenBetween(log, last.get(task.subtask) ?? 0, log.length, task.subtask, wrote));
    }

    // The job exactly as the workload builds it ends in the same state, key group by key group.
    const plainClock = new ManualClock();
    const plain = new Job(graph, { clock: plainClock, latencySink: new InMemoryLatencySink(), checkpointIntervalMs: 100 });
    drive(plain, plainClock, 1);
    assert.equal(plain.processedRecords(), totalRecords);
    for (const [s, task] of plain.keyedTasks(operator).entries()) {
      const other = job.keyedTasks(operator)[s];
      for (const kg of task.state.ownedKeyGroups()) {
        assert.equal(Buffer.compare(Buffer.from(task.state.snapshotKeyGroup(kg)), Buffer.from(other.state.snapshotKeyGroup(kg))), 0, `key group ${kg}`);
      }
    }
  });
});

describe('test > micro-benchmark pipeline: large values, copied by the copy thread', () => {
  /** The micro-benchmark with 4 KiB per key (values in slabs) and `sets`, run to its end on a manual clock. */
  function run(sets: string[]): { job: Job; threadBytes: number } {
    const config = resolveConfig([parseSetArgs(['spacker.runtime=2', 'spacker.rate.per_task=500', 'spacker.parallelism=4', 'spacker.max_parallelism=64', 'spacker.workload.n_keys=256', 'spacker.workload.per_key_size=4096', 'spacker.workload.state_access_ratio=50', 'spacker.checkpoint.interval=100', 'spector.reconfig.affected_tasks=4', 'spector.reconfig.affected_keys=32', 'spector.reconfig.start=1000', ...sets])]);
    const built = buildMicroJob(config, 'micro-benchmark');
    const clock = new ManualClock();
    const job = new Job(built.graph, { clock, checkpointIntervalMs: 100 });
    const before = job.bytePool.copies.stats.threadBytes;
    job.attachMigration({ ...migrationSetup(config, built.graph), timers: new TimerLog() });
    drive(job, clock, 1);
    assert.ok(job.done);
    return { job, threadBytes: job.bytePool.copies.stats.threadBytes - before };
  }

  function stateOf(job: Job): Map<number, Buffer> {
    const out = new Map<number, Buffer>();
    for (const task of job.keyedTasks('Splitter FlatMap')) for (const kg of task.state.ownedKeyGroups()) out.set(kg, Buffer.from(task.state.snapshotKeyGroup(kg)));
    return out;
  }

  const plain = run(['spector.reconfig.scenario=none']);
  for (const sets of [['spector.reconfig.sync_keys=2'], ['spector.reconfig.sync_keys=0'], ['spector.reconfig.sync_keys=1', 'spector.replicate_keys_filter=2']]) {
    it(`a shuffle of 32 key groups (${sets.join(', ')}) ends in the state of the run without migration, key group by key group`, () => {
      const migrated = run(['spector.reconfig.scenario=shuffle', ...sets]);
      assert.equal(migrated.job.processedRecords(), plain.job.processedRecords());
      assert.ok(migrated.threadBytes > 0, 'state bytes went through the copy thread');
      const a = stateOf(plain.job);
      const b = stateOf(migrated.job);
      assert.deepEqual([...b.keys()].sort((x, y) => x - y), [...a.keys()].sort((x, y) => x - y));
      for (const [kg, bytes] of a) assert.equal(Buffer.compare(bytes, b.get(kg) as Buffer), 0, `key group ${kg}`);
      const moved = migrated.job.keyedTasks('Splitter FlatMap').map((t) => t.state.ownedKeyGroups().join(','));
      assert.notDeepEqual(moved, plain.job.keyedTasks('Splitter FlatMap').map((t) => t.state.ownedKeyGroups().join(',')), 'key groups changed owner');
    });
  }
});

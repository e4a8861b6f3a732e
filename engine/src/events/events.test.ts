import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvent, isEvent, isKnown, MalformedEventError, parseEvent, type EventRecord, type KnownEventName } from './index.ts';

/** One detail per form every emitter writes today (engine/src/migration/*, runtime/job.ts, experiments/src/run, io/kafka). */
const WRITTEN: readonly [KnownEventName, string][] = [
  ['job_start', 'tasks=10'],
  ['job_end', 'records=120000'],
  ['checkpoint', 'id=1;duration_ms=0.308'],
  ['warm_up', 'done=true;migrations=1;ms=85.6'],
  ['warm_up', 'skipped=the job reads its input from outside the process'],
  ['phase_start', 'round=0;phase=0;mode=spacker;order=default;sync_keys=4;replicate_filter=0'],
  ['migration_start', 'operator=Splitter FlatMap;mechanism=spacker;chunks=16;key_groups=512;order=default;sync_keys=4;replicate_filter=0'],
  ['migration_start', 'operator=count;mechanism=megaphone;chunks=8;key_groups=64;bins=256'],
  ['migration_start', 'operator=count;mechanism=meces;chunks=3;key_groups=64;bins=128;fetch_batch=16'],
  ['migration_start', 'operator=count;mechanism=drrs;chunks=4;key_groups=64;buffer_records=1000;max_concurrent_subscales=2'],
  ['migration_end', 'chunks=16;key_groups=512;bytes=74900;completion_ms=40.703'],
  ['migration_end', 'chunks=3;key_groups=64;bytes=1024;completion_ms=12.000;on_demand=5;borrowed=2'],
  ['chunk_start', 'reconfig_id=1;chunk=0;moves=32'],
  ['chunk_start', 'reconfig_id=1;chunk=0;moves=8;from=0;to=3'],
  ['chunk_end', 'reconfig_id=1;chunk=0;bytes=2108;replica_restores=0'],
  ['chunk_end', 'reconfig_id=1;chunk=0;from=0;to=3'],
  ['restart_start', 'operator=Splitter FlatMap;key_groups=512'],
  ['restart_end', 'downtime_ms=14.630;bytes=164010'],
  ['coordination', 'zookeeper=localhost:2181;root=/spacker;job=run-1'],
  ['coordination_lost', 'zookeeper=localhost:2181;reason=session expired;requests refused until reconnected'],
  ['coordination_restored', 'zookeeper=localhost:2181;after_ms=3120'],
  ['coordination_error', 'ConnectionLoss: could not reach localhost:2181'],
  ['coordination_error', 'request=req-0001;NoNode: /spacker/x'],
  ['reconfig_rejected', 'request=req-0002;reason=unknown mechanism x'],
  ['reconfig_accepted', 'request=req-0003;mechanism=spacker;order=hot-first;sync_keys=4'],
  ['kafka_generated', 'topic=micro;records=100000;partitions=4;seconds=1.25'],
  ['kafka_feed_open', 'topic=micro;partitions=4'],
  ['kafka_count_mismatch', 'partition=2;end_marker=500;received=498'],
  ['kafka_malformed', 'partition=1;offset=42;reason=not a number'],
  ['flink_job', 'job_id=0123abcd;parallelism=2'],
  ['flink_job', 'job_id=4567ef01;parallelism=4;savepoint=file:/tmp/savepoint-0123ab-cdef'],
  ['flink_rescale_start', 'strategy=flink-rescale;from=2;to=4'],
  ['flink_rescale_end', 'strategy=flink-restart;from=2;to=4;job_id=4567ef01;wall_ms=3512.250;downtime_ms=2987.125'],
];

describe('events > codec', () => {
  it('reads every event written today and writes it back byte for byte', () => {
    for (const [event, detail] of WRITTEN) {
      const e = parseEvent(event, detail);
      assert.ok(isKnown(e), `${event} is known`);
      assert.deepEqual(formatEvent(e), { event, detail }, `${event} ${detail}`);
    }
  });

  it('covers every known event name', () => {
    const names = new Set(WRITTEN.map(([n]) => n));
    const all: Record<KnownEventName, true> = {
      job_start: true, job_end: true, checkpoint: true, warm_up: true, phase_start: true, migration_start: true, migration_end: true,
      chunk_start: true, chunk_end: true, restart_start: true, restart_end: true, coordination: true, coordination_lost: true,
      coordination_restored: true, coordination_error: true, reconfig_rejected: true, reconfig_accepted: true, kafka_generated: true,
      kafka_feed_open: true, kafka_count_mismatch: true, kafka_malformed: true, flink_job: true, flink_rescale_start: true, flink_rescale_end: true,
    };
    assert.deepEqual([...names].sort(), Object.keys(all).sort());
  });

  it('gives numbers as numbers and writes them in the detail format', () => {
    const e = parseEvent('migration_end', 'chunks=16;key_groups=512;bytes=74900;completion_ms=40.703');
    assert.ok(isEvent(e, 'migration_end'));
    assert.deepEqual(e, { event: 'migration_end', chunks: 16, keyGroups: 512, bytes: 74900, completionMs: 40.703 });
    const c: EventRecord = { event: 'checkpoint', id: 3, durationMs: 1.5 };
    assert.equal(formatEvent(c).detail, 'id=3;duration_ms=1.500');
    assert.equal(formatEvent({ event: 'warm_up', done: false, migrations: 0, ms: 12.34 }).detail, 'done=false;migrations=0;ms=12.3');
    assert.equal(formatEvent({ event: 'kafka_generated', topic: 't', records: 1, partitions: 1, seconds: 2 }).detail, 'topic=t;records=1;partitions=1;seconds=2.00');
  });

  it('makes free text one part of the detail', () => {
    assert.equal(formatEvent({ event: 'reconfig_rejected', request: 'r', reason: 'a;b\nc' }).detail, 'request=r;reason=a b c');
    assert.equal(formatEvent({ event: 'kafka_malformed', partition: 0, offset: '1', reason: 'x;y' }).detail, 'partition=0;offset=1;reason=x y');
    const skipped = parseEvent('warm_up', 'skipped=bad key=value; more');
    assert.deepEqual(skipped, { event: 'warm_up', skipped: 'bad key=value; more' });
  });

  it('reads an unknown event as its parts, never throwing', () => {
    const e = parseEvent('something_new', 'a=1;b=x;flag');
    assert.equal(isKnown(e), false);
    assert.deepEqual(e, { event: 'something_new', known: false, fields: { a: '1', b: 'x', flag: '' } });
    assert.deepEqual(formatEvent(e), { event: 'something_new', detail: 'a=1;b=x;flag' });
    assert.deepEqual(parseEvent('header_like', ''), { event: 'header_like', known: false, fields: {} });
  });

  it('names the event, field and value of a malformed known event', () => {
    assert.throws(() => parseEvent('chunk_end', 'reconfig_id=1;chunk=x;bytes=3;replica_restores=0'), (err: unknown) => {
      assert.ok(err instanceof MalformedEventError);
      assert.equal(err.message, `event 'chunk_end': field 'chunk' must be a number, found "x"`);
      assert.equal(err.code, 'MALFORMED_EVENT');
      return true;
    });
    assert.throws(() => parseEvent('checkpoint', 'id=1'), /event 'checkpoint': field 'duration_ms' must be a number, found nothing \(missing\)/);
    assert.throws(() => parseEvent('warm_up', 'done=maybe;migrations=1;ms=1.0'), /event 'warm_up': field 'done' must be true or false, found "maybe"/);
    assert.throws(() => parseEvent('job_end', 'records='), /field 'records' must be a number, found ""/);
  });
});

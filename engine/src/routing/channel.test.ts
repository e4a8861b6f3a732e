// Tests of Channel: batches and control events come out in the order they went in (also across the
// internal compaction), the bound is in records (full at capacity, room again after release), control
// events are never refused and empty batches are never queued.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, isBatch, type ChannelItem } from './channel.ts';
import { RecordBatch } from '../core/record-batch.ts';
import { END_OF_STREAM, type CheckpointBarrier } from '../core/control-event.ts';

function batchOf(n: number, firstSeq = 0): RecordBatch<number> {
  const b = new RecordBatch<number>(Math.max(n, 1));
  for (let i = 0; i < n; i++) b.push(i % 7, `k${firstSeq + i}`, firstSeq + i, firstSeq + i, firstSeq + i);
  return b;
}

function drain<V>(ch: Channel<V>): ChannelItem<V>[] {
  const out: ChannelItem<V>[] = [];
  for (let item = ch.peek(); item !== undefined; item = ch.peek()) {
    out.push(item);
    if (isBatch(item)) ch.release(item.size);
    ch.shift();
  }
  return out;
}

const barrier = (id: number): CheckpointBarrier => ({ kind: 'checkpoint', id });

describe('routing > channel', () => {
  it('keeps batches and control events in order', () => {
    const ch = new Channel<number>(1000, 0, 3);
    const items: ChannelItem<number>[] = [batchOf(3), barrier(1), batchOf(2, 3), { kind: 'reconfig', id: 1 }, batchOf(5, 5), barrier(2), END_OF_STREAM];
    for (const item of items) ch.push(item);
    assert.equal(ch.length, items.length);
    assert.equal(ch.bufferedRecords, 10);
    const out = drain(ch);
    assert.equal(out.length, items.length);
    out.forEach((item, i) => assert.equal(item, items[i], `item ${i}`));
    assert.ok(ch.isEmpty);
    assert.equal(ch.bufferedRecords, 0);
    assert.equal(ch.pushedRecords, 10);
  });

  it('keeps the order across thousands of items, pushed and taken interleaved', () => {
    const ch = new Channel<number>(1 << 30, 0, 0);
    let pushed = 0;
    let taken = 0;
    const seen: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100 + round; i++) ch.push(i % 10 === 9 ? barrier(pushed++) : batchOf(1, pushed++));
      for (let i = 0; i < 80 && !ch.isEmpty; i++, taken++) {
        const item = ch.peek() as ChannelItem<number>;
        seen.push(isBatch(item) ? item.seq[0] : (item as CheckpointBarrier).id);
        if (isBatch(item)) ch.release(item.size);
        ch.shift();
      }
    }
    for (const item of drain(ch)) seen.push(isBatch(item) ? item.seq[0] : (item as CheckpointBarrier).id);
    assert.deepEqual(seen, Array.from({ length: pushed }, (_, i) => i));
    assert.ok(taken > 1024, 'the test crossed the compaction threshold');
  });

  it('has no room at capacity and room again after release', () => {
    const ch = new Channel<number>(10, 0, 0);
    assert.ok(ch.hasRoom());
    ch.push(batchOf(6));
    assert.ok(ch.hasRoom(), '6 of 10');
    ch.push(batchOf(4, 6));
    assert.equal(ch.bufferedRecords, 10);
    assert.equal(ch.hasRoom(), false, 'full at capacity');
    // Records consumed from the head batch free room before the batch is shifted.
    ch.release(1);
    assert.ok(ch.hasRoom());
    assert.equal(ch.bufferedRecords, 9);
    ch.release(5);
    ch.shift();
    assert.equal(ch.bufferedRecords, 4);
    assert.ok(ch.hasRoom());
  });

  it('takes a batch larger than its capacity from a sender that found room (bound checked before pushing)', () => {
    const ch = new Channel<number>(4, 0, 0);
    ch.push(batchOf(9));
    assert.equal(ch.bufferedRecords, 9);
    assert.equal(ch.hasRoom(), false);
  });

  it('never refuses control events, even when full', () => {
    const ch = new Channel<number>(2, 1, 0);
    ch.push(batchOf(2));
    assert.equal(ch.hasRoom(), false);
    ch.push(barrier(7));
    ch.push(END_OF_STREAM);
    assert.equal(ch.length, 3);
    assert.equal(ch.bufferedRecords, 2, 'events do not count as records');
    assert.equal(ch.input, 1);
  });

  it('drops empty batches', () => {
    const ch = new Channel<number>(2, 0, 0);
    ch.push(new RecordBatch<number>(4));
    assert.ok(ch.isEmpty);
    assert.equal(ch.peek(), undefined);
  });
});

// Tests of LatencyBuffer and InMemoryLatencySink: chunking at capacity, flush of a partial chunk, no record
// lost or altered, fresh arrays after every hand-over, and validation of the capacity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyBuffer } from './latency-buffer.ts';
import { InMemoryLatencySink } from './in-memory-latency-sink.ts';
import { DEFAULT_LATENCY_CHUNK_CAPACITY } from './latency-chunk.ts';
import type { LatencyChunk } from './latency-chunk.ts';
import { InvalidConfigError } from '../errors.ts';

function feed(buffer: LatencyBuffer, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) buffer.record(i * 0.25, i % 128, i / 8, i % 3 === 0);
}

test('hands a chunk to the sink exactly when the capacity is reached', () => {
  const sink = new InMemoryLatencySink();
  const buffer = new LatencyBuffer('Splitter FlatMap', 2, sink, 4);
  feed(buffer, 3);
  assert.equal(sink.chunks.length, 0);
  assert.equal(buffer.pending, 3);
  feed(buffer, 1, 3);
  assert.equal(sink.chunks.length, 1);
  assert.equal(buffer.pending, 0);
  const [chunk] = sink.chunks;
  assert.equal(chunk.operator, 'Splitter FlatMap');
  assert.equal(chunk.subtask, 2);
  assert.equal(chunk.size, 4);
  assert.equal(chunk.tsMs.length, 4);
});

test('flush hands over a partial chunk and does nothing when empty', () => {
  const sink = new InMemoryLatencySink();
  const buffer = new LatencyBuffer('op', 0, sink, 8);
  buffer.flush();
  assert.equal(sink.chunks.length, 0);
  feed(buffer, 5);
  buffer.flush();
  assert.equal(sink.chunks.length, 1);
  assert.equal(sink.chunks[0].size, 5);
  buffer.flush();
  assert.equal(sink.chunks.length, 1);
  assert.equal(buffer.delivered, 5);
});

test('no record is lost or altered across many chunks', () => {
  const sink = new InMemoryLatencySink();
  const buffer = new LatencyBuffer('op', 1, sink, 7, Infinity);
  const n = 1000;
  feed(buffer, n);
  buffer.flush();
  assert.equal(sink.records, n);
  assert.equal(sink.chunks.length, Math.ceil(n / 7));
  const records = sink.recordsOf('op', 1);
  assert.equal(records.length, n);
  records.forEach((r, i) => {
    assert.deepEqual(r, {
      operator: 'op', subtask: 1, tsMs: i * 0.25, keyGroup: i % 128, latencyMs: i / 8, migrating: i % 3 === 0,
    });
  });
  assert.deepEqual([...sink.countsBySubtask()], [['op-1', n]]);
});

test('fractional values keep full float64 precision', () => {
  const sink = new InMemoryLatencySink();
  const buffer = new LatencyBuffer('op', 0, sink, 2);
  buffer.record(1234567.891234, -1, 0.000123, false);
  buffer.record(Math.PI, 2 ** 31 - 1, Math.E, true);
  const [a, b] = sink.allRecords();
  assert.equal(a.tsMs, 1234567.891234);
  assert.equal(a.keyGroup, -1);
  assert.equal(a.latencyMs, 0.000123);
  assert.equal(b.tsMs, Math.PI);
  assert.equal(b.keyGroup, 2 ** 31 - 1);
  assert.equal(b.latencyMs, Math.E);
  assert.equal(b.migrating, true);
});

test('every chunk gets its own arrays, so a sink may transfer or keep them', () => {
  const kept: LatencyChunk[] = [];
  const buffer = new LatencyBuffer('op', 0, { accept: (c) => kept.push(c) }, 3);
  feed(buffer, 9);
  assert.equal(kept.length, 3);
  const buffers = new Set(kept.flatMap((c) => [c.tsMs.buffer, c.keyGroup.buffer, c.latencyMs.buffer, c.migrating.buffer]));
  assert.equal(buffers.size, 12);
  assert.deepEqual([...kept[0].latencyMs], [0, 1 / 8, 2 / 8]);
  assert.deepEqual([...kept[2].latencyMs], [6 / 8, 7 / 8, 8 / 8]);
});

test('a partial chunk is handed over once it spans maxSpanMs of completion time', () => {
  const sink = new InMemoryLatencySink();
  const buffer = new LatencyBuffer('op', 0, sink, 100, 1000);
  for (const ts of [10, 500, 1009.5]) buffer.record(ts, 0, 1, false);
  assert.equal(sink.chunks.length, 0);
  buffer.record(1010, 0, 1, false);
  assert.deepEqual(sink.chunks.map((c) => c.size), [4]);
  buffer.record(5000, 0, 1, false);
  buffer.record(5999, 0, 1, false);
  assert.equal(sink.chunks.length, 1, 'the span starts at the first record of the new chunk');
  const unbounded = new LatencyBuffer('op', 1, sink, 3, Infinity);
  for (const ts of [0, 1e6]) unbounded.record(ts, 0, 1, false);
  assert.equal(sink.chunks.length, 1);
  assert.throws(() => new LatencyBuffer('op', 0, sink, 10, 0), InvalidConfigError);
});

test('a throwing sink leaves the buffer usable', () => {
  let calls = 0;
  const buffer = new LatencyBuffer('op', 0, { accept: () => { calls++; throw new Error('sink down'); } }, 2);
  buffer.record(0, 0, 0, false);
  assert.throws(() => buffer.record(1, 0, 0, false), /sink down/);
  assert.equal(buffer.pending, 0);
  feed(buffer, 1);
  assert.equal(buffer.pending, 1);
  assert.equal(calls, 1);
});

test('default capacity and capacity validation', () => {
  const sink = new InMemoryLatencySink();
  assert.equal(new LatencyBuffer('op', 0, sink).capacity, DEFAULT_LATENCY_CHUNK_CAPACITY);
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(() => new LatencyBuffer('op', 0, sink, bad), InvalidConfigError);
  }
  sink.clear();
  assert.equal(sink.records, 0);
});

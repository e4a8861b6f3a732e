// Tests of Router: each record goes to the channel of its key group's owner (key groups as Flink computes
// them), in emission order per channel, with the scheduled time and sequence of the record being
// processed; broadcast flushes every open batch before the event on every channel; switchTable routes
// only later records by the new table; forward edges send to `senderIndex % channels`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from './router.ts';
import { Channel, isBatch, type ChannelItem } from './channel.ts';
import { Assignment } from '../core/assignment.ts';
import { BinLayout } from '../core/bins.ts';
import { keyGroupOf, type Key } from '../core/key-group.ts';
import { END_OF_STREAM, type ControlEvent } from '../core/control-event.ts';

interface Seen {
  keyGroup: number;
  key: Key;
  value: number;
  scheduledMs: number;
  seq: number;
}

/** Everything in a channel, records flattened, events as they are. */
function contents(ch: Channel<number>): (Seen | ControlEvent)[] {
  const out: (Seen | ControlEvent)[] = [];
  for (let item = ch.peek(); item !== undefined; item = ch.peek()) {
    if (isBatch(item)) {
      for (let i = 0; i < item.size; i++) out.push({ keyGroup: item.keyGroup[i], key: item.key[i], value: item.value[i], scheduledMs: item.scheduledMs[i], seq: item.seq[i] });
      ch.release(item.size);
    } else out.push(item);
    ch.shift();
  }
  return out;
}

const isRecord = (x: Seen | ControlEvent): x is Seen => (x as Seen).seq !== undefined;

function keyedRouter(mp: number, p: number, batchCapacity: number, table = Assignment.initial(mp, p).table()): { router: Router<number>; channels: Channel<number>[] } {
  const channels = Array.from({ length: p }, () => new Channel<number>(1 << 20, 0, 0));
  const router = new Router<number>(channels, { kind: 'keyed', maxParallelism: mp, selector: (_v, k) => k as Key, table }, 0, batchCapacity);
  return { router, channels };
}

/** Emits `n` records with keys `key<i>` / numbers, value = seq = i, scheduled at i / 2 ms. */
function emit(router: Router<number>, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    router.currentSeq = i;
    router.currentScheduledMs = i / 2;
    router.collect(i, i % 3 === 0 ? i * 7919 : `key${i}`);
  }
}

describe('routing > router', () => {
  it("routes each record to the channel of its key group's owner, in emission order", () => {
    const mp = 128;
    const a = Assignment.initial(mp, 4);
    const { router, channels } = keyedRouter(mp, 4, 16, a.table());
    emit(router, 0, 2000);
    router.flush();
    let total = 0;
    channels.forEach((ch, s) => {
      const records = contents(ch).filter(isRecord);
      total += records.length;
      let last = -1;
      for (const r of records) {
        assert.equal(r.keyGroup, keyGroupOf(r.key, mp), `key group of ${String(r.key)}`);
        assert.equal(a.ownerOf(r.keyGroup), s, `record ${r.seq} (key group ${r.keyGroup}) on channel ${s}`);
        assert.ok(r.seq > last, `order on channel ${s}`);
        last = r.seq;
        assert.equal(r.value, r.seq);
        assert.equal(r.scheduledMs, r.seq / 2);
        assert.equal(r.key, r.seq % 3 === 0 ? r.seq * 7919 : `key${r.seq}`);
      }
    });
    assert.equal(total, 2000);
  });

  it('hands a batch on as soon as it is full and keeps the rest until flush', () => {
    const { router, channels } = keyedRouter(1, 1, 8);
    emit(router, 0, 20);
    assert.equal(channels[0].length, 2);
    assert.equal(channels[0].bufferedRecords, 16);
    assert.equal(router.batchesHandedOn, 2, 'collect counts the full batches it hands on');
    router.flush();
    assert.equal(channels[0].bufferedRecords, 20);
    router.flush();
    assert.equal(channels[0].length, 3, 'a second flush adds nothing');
  });

  it('uses the key selector of a keyed edge', () => {
    const channels = [new Channel<number>(100, 0, 0), new Channel<number>(100, 0, 0)];
    const router = new Router<number>(channels, { kind: 'keyed', maxParallelism: 2, selector: (v) => `k${v}`, table: Int32Array.from([0, 1]) }, 0);
    for (let v = 0; v < 50; v++) router.collect(v);
    router.flush();
    for (const [s, ch] of channels.entries()) {
      for (const r of contents(ch).filter(isRecord)) {
        assert.equal(r.key, `k${r.value}`);
        assert.equal(keyGroupOf(r.key, 2), s);
      }
    }
  });

  it('broadcast flushes the records before the event, on every channel', () => {
    const { router, channels } = keyedRouter(128, 4, 512);
    emit(router, 0, 300);
    router.broadcast({ kind: 'checkpoint', id: 1 });
    emit(router, 300, 300);
    router.broadcast(END_OF_STREAM);
    for (const [s, ch] of channels.entries()) {
      const items = contents(ch);
      const cp = items.findIndex((x) => !isRecord(x) && x.kind === 'checkpoint');
      assert.ok(cp >= 0, `channel ${s} has the barrier`);
      assert.ok(items.slice(0, cp).every((x) => isRecord(x) && x.seq < 300), `channel ${s}: only records before the barrier precede it`);
      assert.ok(items.slice(cp + 1, -1).every((x) => isRecord(x) && x.seq >= 300), `channel ${s}: only later records follow it`);
      assert.equal(items.filter(isRecord).filter((r) => r.seq < 300).length, cp, `channel ${s}: every earlier record precedes the barrier`);
      assert.deepEqual(items[items.length - 1], END_OF_STREAM);
    }
  });

  it('switchTable routes later records by the new table and flushes earlier ones first', () => {
    const mp = 64;
    const before = Assignment.initial(mp, 2);
    // Move every key group of subtask 0 with an even id to subtask 1.
    const after = before.withMoves(before.keyGroupsOf(0).filter((kg) => kg % 2 === 0).map((kg) => ({ keyGroup: kg, to: 1 })));
    const { router, channels } = keyedRouter(mp, 2, 512, before.table());
    emit(router, 0, 500);
    router.broadcast({ kind: 'reconfig', id: 1 });
    router.switchTable(after.table());
    assert.deepEqual(router.routingTable, after.table());
    emit(router, 500, 500);
    router.flush();
    for (const [s, ch] of channels.entries()) {
      const items = contents(ch);
      const rc = items.findIndex((x) => !isRecord(x));
      for (const [i, x] of items.entries()) {
        if (!isRecord(x)) continue;
        const table = x.seq < 500 ? before : after;
        assert.equal(table.ownerOf(x.keyGroup), s, `record ${x.seq} on channel ${s}`);
        assert.equal(i < rc, x.seq < 500, `record ${x.seq} on the right side of the barrier`);
      }
    }
  });

  it('switchTable flushes open batches routed by the old table', () => {
    const { router, channels } = keyedRouter(2, 2, 512, Int32Array.from([0, 0]));
    emit(router, 0, 10);
    router.switchTable(Int32Array.from([1, 1]));
    assert.equal(channels[0].bufferedRecords, 10);
    emit(router, 10, 10);
    router.flush();
    assert.equal(channels[0].bufferedRecords, 10);
    assert.equal(channels[1].bufferedRecords, 10);
  });

  it('scheduleSwitch switches right after its own reconfiguration barrier passes, not on another event', () => {
    const mp = 32;
    const before = Assignment.initial(mp, 2);
    const after = before.withMoves(before.keyGroupsOf(0).map((kg) => ({ keyGroup: kg, to: 1 })));
    const { router, channels } = keyedRouter(mp, 2, 512, before.table());
    router.scheduleSwitch(2, after.table());
    emit(router, 0, 100);
    router.broadcast({ kind: 'checkpoint', id: 2 });
    router.broadcast({ kind: 'reconfig', id: 1 });
    assert.deepEqual(router.routingTable, before.table(), 'other barriers leave the table alone');
    emit(router, 100, 100);
    router.broadcast({ kind: 'reconfig', id: 2 });
    assert.deepEqual(router.routingTable, after.table());
    emit(router, 200, 100);
    router.flush();
    for (const [s, ch] of channels.entries()) {
      const items = contents(ch);
      const barrier = items.findIndex((x) => !isRecord(x) && x.kind === 'reconfig' && x.id === 2);
      for (const [i, x] of items.entries()) {
        if (!isRecord(x)) continue;
        assert.equal(i > barrier, x.seq >= 200, `record ${x.seq} on the right side of reconfiguration barrier 2`);
        assert.equal((x.seq < 200 ? before : after).ownerOf(x.keyGroup), s, `record ${x.seq} on channel ${s}`);
      }
    }
  });

  it('forward edges send to senderIndex % channels; switchTable on them is a TypeError', () => {
    const channels = [0, 1, 2].map((i) => new Channel<number>(100, 0, i));
    const router = new Router<number>(channels, { kind: 'forward' }, 4);
    for (let v = 0; v < 10; v++) router.collect(v, v);
    router.flush();
    assert.deepEqual(channels.map((c) => c.bufferedRecords), [0, 10, 0]);
    assert.equal(router.routingTable, undefined);
    assert.throws(() => router.switchTable(new Int32Array(1)), TypeError);
  });

  it('hasRoom is false while any output channel is full', () => {
    const channels = [new Channel<number>(4, 0, 0), new Channel<number>(4, 0, 0)];
    const router = new Router<number>(channels, { kind: 'keyed', maxParallelism: 2, selector: (v) => v, table: Int32Array.from([0, 1]) }, 0, 4);
    assert.ok(router.hasRoom());
    const toChannel1 = [...Array(100).keys()].filter((v) => keyGroupOf(v, 2) === 1).slice(0, 4);
    for (const v of toChannel1) router.collect(v);
    assert.equal(router.hasRoom(), false);
    channels[1].release(1);
    assert.ok(router.hasRoom());
  });

  it('each channel gets its records of a batch in emission order, as ChannelItems of the right size', () => {
    const { router, channels } = keyedRouter(16, 3, 5);
    emit(router, 0, 100);
    router.flush();
    for (const ch of channels) {
      const items: ChannelItem<number>[] = [];
      for (let it = ch.peek(); it !== undefined; it = ch.peek()) {
        items.push(it);
        ch.shift();
      }
      assert.ok(items.every((b) => isBatch(b) && b.size >= 1 && b.size <= 5));
    }
  });
});

describe('routing > router > bins', () => {
  it('records of a split key group go to the owner of their bin; others by the table; several switches armed at once apply at their own barriers', () => {
    const mp = 4;
    const layout = new BinLayout(4, mp);
    const channels = [new Channel<number>(64, 0, 0), new Channel<number>(64, 0, 0)];
    const table = Int32Array.from([0, 0, 1, 1]);
    const router = new Router<number>(channels, { kind: 'keyed', maxParallelism: mp, selector: (v) => v, table }, 0, 1);
    const split = new Uint8Array(mp);
    split[0] = 1;
    const owners = new Int32Array(layout.bins);
    for (let b = 0; b < layout.bins; b++) owners[b] = table[layout.keyGroupOfBin(b)];
    const moved = layout.binsOf(0)[1];
    owners[moved] = 1;
    router.scheduleSwitch(7, table, { split, owners });
    router.scheduleSwitch(8, Int32Array.from([1, 0, 1, 1]));
    const keys = Array.from({ length: 400 }, (_, k) => k);
    const sent = (): number[][] => channels.map((ch) => contents(ch).flatMap((x) => ('value' in x ? [x.value] : [])));
    router.broadcast({ kind: 'reconfig', id: 7 });
    sent();
    for (const k of keys) router.collect(k);
    router.flush();
    const [to0, to1] = sent();
    for (const k of keys) {
      const kg = keyGroupOf(k, mp);
      const want = kg === 0 ? (layout.binOf(k) === moved ? 1 : 0) : table[kg];
      assert.ok((want === 0 ? to0 : to1).includes(k), `key ${k} (key group ${kg}, bin ${layout.binOf(k)}) to ${want}`);
    }
    router.broadcast({ kind: 'reconfig', id: 8 });
    sent();
    for (const k of keys) router.collect(k);
    router.flush();
    const [, after1] = sent();
    for (const k of keys) if (keyGroupOf(k, mp) === 0) assert.ok(after1.includes(k), 'the second switch drops the bin routes');
  });
});

// The query operators one record at a time, on a real keyed state backend and timer service: the cases a
// stream in order rarely shows (a bid that bridges two sessions, an auction before its seller, panes that
// leave the window, ties for a window's highest price), checked in isolation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedStateBackend, TimerService, keyGroupOf } from '../../../../engine/src/index.ts';
import type { Key, KeyedContext, KeyedFunction } from '../../../../engine/src/index.ts';
import type { Auction, Bid, Person } from '../model.ts';
import { SessionCount } from './q11-user-sessions.ts';
import { LocalItemJoin } from './q3-local-item.ts';
import { SlidingCount } from './q5-hot-items.ts';
import { MaxPrice, TumblingMaxPrice, type WindowBid } from './q7-highest-bid.ts';
import { NewUsersJoin } from './q8-new-users.ts';

const MP = 16;

/** Drives one operator: records and watermarks by hand, results collected. */
class Harness<In, Out> {
  readonly out: Out[] = [];
  readonly backend = new KeyedStateBackend(MP, Array.from({ length: MP }, (_, i) => i));
  readonly timers = new TimerService(this.backend);
  private readonly ctx: { key: Key; keyGroup: number; scheduledMs: number; seq: number; subtask: number; collect: (v: Out) => void };

  constructor(private readonly fn: KeyedFunction<In, Out>) {
    this.ctx = { key: 0, keyGroup: 0, scheduledMs: 0, seq: 0, subtask: 0, collect: (v) => void this.out.push(v) };
    fn.open?.(this.backend, { subtask: 0, parallelism: 1, timers: this.timers });
  }

  send(key: number, value: In): this {
    this.ctx.key = key;
    this.ctx.keyGroup = keyGroupOf(key, MP);
    this.backend.setCurrentKey(key, this.ctx.keyGroup);
    this.fn.processElement(value, this.ctx as KeyedContext<Out>, 0);
    return this;
  }

  watermark(ms: number): this {
    this.timers.advance(ms, () => true, (key, kg, ts) => {
      this.ctx.key = key;
      this.ctx.keyGroup = kg;
      this.backend.setCurrentKey(key, kg);
      this.fn.onTimer?.(ts, this.ctx as KeyedContext<Out>);
    });
    return this;
  }

  /** Entries left in every state table but the timers. */
  stateLeft(): number {
    let n = 0;
    for (let kg = 0; kg < MP; kg++) for (const name of ['q5-panes', 'q7-windows', 'q7-max', 'q8-people', 'q8-auctions', 'q11-sessions', 'q3-person', 'q3-pending-auctions']) n += this.backend.stateTable(kg, name)?.size ?? 0;
    return n;
  }
}

const bid = (auction: number, bidder: number, dateTime: number, price = 100): Bid => ({ kind: 'bid', auction, bidder, price, dateTime, extra: '' });
const person = (id: number, state: string, dateTime = 0): Person => ({ kind: 'person', id, name: `p${id}`, emailAddress: '', creditCard: '', city: 'Boise', state, dateTime, extra: '' });
const auction = (id: number, seller: number, category: number, dateTime = 0): Auction => ({ kind: 'auction', id, itemName: '', description: '', initialBid: 1, reserve: 2, dateTime, expires: dateTime + 1, seller, category, extra: '' });

describe('workloads > nexmark > queries', () => {
  it('q11: a late bid that bridges two sessions merges them into one', () => {
    const h = new Harness(new SessionCount(10));
    h.send(7, bid(1, 7, 0)).send(7, bid(1, 7, 18)).send(7, bid(1, 7, 9));
    h.watermark(100);
    assert.deepEqual(h.out, [{ bidder: 7, count: 3, start: 0, end: 28 }]);
    assert.equal(h.stateLeft(), 0);
  });

  it('q11: a session that grew fires at its new end, not at the first timer', () => {
    const h = new Harness(new SessionCount(10));
    h.send(7, bid(1, 7, 0)).send(7, bid(1, 7, 8));
    h.watermark(10);
    assert.deepEqual(h.out, []);
    h.watermark(18);
    assert.deepEqual(h.out, [{ bidder: 7, count: 2, start: 0, end: 18 }]);
  });

  it('q5: a window counts the panes it covers; panes no window needs any more are dropped', () => {
    const h = new Harness(new SlidingCount(20, 10));
    h.send(3, bid(3, 1, 1)).send(3, bid(3, 1, 11)).send(3, bid(3, 1, 12));
    h.watermark(10);
    assert.deepEqual(h.out, [{ auction: 3, count: 1, windowEnd: 10 }]);
    h.watermark(30);
    assert.deepEqual(h.out.slice(1), [{ auction: 3, count: 3, windowEnd: 20 }, { auction: 3, count: 2, windowEnd: 30 }]);
    assert.equal(h.stateLeft(), 0);
    assert.throws(() => new SlidingCount(25, 10), /multiple of the slide/);
  });

  it('q3: an auction before its seller waits for them; a seller of another state drops it', () => {
    const h = new Harness(new LocalItemJoin());
    h.send(5, auction(100, 5, 10)).send(5, auction(101, 5, 11)).send(5, person(5, 'OR')).send(5, auction(102, 5, 10));
    assert.deepEqual(h.out.map((r) => r.auction), [100, 102]);
    h.send(6, auction(200, 6, 10)).send(6, person(6, 'WA')).send(6, auction(201, 6, 10));
    assert.deepEqual(h.out.map((r) => r.auction), [100, 102]);
  });

  it('q8: people and auctions join only within the same window', () => {
    const h = new Harness(new NewUsersJoin(10));
    h.send(9, person(9, 'OR', 3)).send(9, auction(50, 9, 10, 8)).send(9, auction(51, 9, 10, 12));
    h.watermark(100);
    assert.deepEqual(h.out, [{ id: 9, name: 'p9', auction: 50, reserve: 2, windowStart: 0 }]);
    assert.equal(h.stateLeft(), 0);
  });

  it('q7 window: per auction and tumbling window the highest price, every bid at it, emitted at the window end', () => {
    const h = new Harness(new TumblingMaxPrice(10));
    h.send(4, bid(4, 1, 1, 50)).send(4, bid(4, 2, 2, 70)).send(4, bid(4, 3, 3, 60)).send(4, bid(4, 5, 4, 70)).send(4, bid(4, 6, 12, 10));
    h.watermark(9);
    assert.deepEqual(h.out, []);
    h.watermark(10);
    assert.deepEqual(h.out, [
      { auction: 4, price: 70, bidder: 2, dateTime: 2, windowEnd: 10 },
      { auction: 4, price: 70, bidder: 5, dateTime: 4, windowEnd: 10 },
    ]);
    h.watermark(20);
    assert.deepEqual(h.out.slice(2), [{ auction: 4, price: 10, bidder: 6, dateTime: 12, windowEnd: 20 }]);
    assert.equal(h.stateLeft(), 0);
  });

  it('q7 max: per window end the highest of the partial maxima, ties across auctions all kept, 1 ms after the end', () => {
    const h = new Harness(new MaxPrice());
    const w = (auction: number, price: number, bidder: number, windowEnd = 10): WindowBid => ({ auction, price, bidder, dateTime: windowEnd - 5, windowEnd });
    h.send(10, w(1, 40, 1)).send(10, w(2, 90, 2)).send(10, w(3, 90, 3)).send(10, w(4, 80, 4)).send(20, w(5, 5, 5, 20));
    h.watermark(10);
    assert.deepEqual(h.out, []);
    h.watermark(11);
    assert.deepEqual(h.out, [{ auction: 2, price: 90, bidder: 2, dateTime: 5 }, { auction: 3, price: 90, bidder: 3, dateTime: 5 }]);
    h.watermark(21);
    assert.deepEqual(h.out.slice(2), [{ auction: 5, price: 5, bidder: 5, dateTime: 15 }]);
    assert.equal(h.stateLeft(), 0);
  });

  it('q7: a window size that is not positive is refused, naming the size', () => {
    assert.throws(() => new TumblingMaxPrice(0), /window size must be > 0 ms, got 0/);
  });
});

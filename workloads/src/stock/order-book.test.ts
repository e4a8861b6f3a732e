// Order matching with price-time priority: worked examples (price priority, time priority among equal
// prices, partial fills, trades at the resting price, cancels), and a property test against a brute-force
// matcher that searches every resting order for the best one on each fill.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyOrder, emptyBook, type OrderBook, type Trade } from './order-book.ts';
import type { Direction, OrderRecord } from './order-record.ts';

let nextNo = 1;
function o(direction: Direction, price: number, volume: number, account = `acct${nextNo}`, code = 'A', orderNo = nextNo++): OrderRecord {
  return { orderNo, code, timestamp: 0, price, executedVolume: 0, volume, security: 'S', account, direction };
}

/** Applies the orders with sequence numbers 0, 1, ...; returns all trades as [price, volume, buyNo, sellNo]. */
function run(book: OrderBook, orders: OrderRecord[]): [number, number, number, number][] {
  return orders.flatMap((x, i) => applyOrder(book, x, i).map((t): [number, number, number, number] => [t.price, t.volume, t.buyOrderNo, t.sellOrderNo]));
}

const levels = (book: OrderBook) => ({
  bids: book.bids.map((r) => [r.orderNo, r.price, r.remaining]),
  asks: book.asks.map((r) => [r.orderNo, r.price, r.remaining]),
});

describe('stock > order-book', () => {
  it('orders that do not cross rest, bids best (highest) first, asks best (lowest) first', () => {
    nextNo = 1;
    const book = emptyBook();
    assert.deepEqual(run(book, [o('B', 10, 100), o('B', 10.5, 100), o('S', 11, 100), o('S', 10.8, 100), o('B', 10, 200)]), []);
    assert.deepEqual(levels(book), { bids: [[2, 10.5, 100], [1, 10, 100], [5, 10, 200]], asks: [[4, 10.8, 100], [3, 11, 100]] });
  });

  it('an incoming order takes the best price first, equal prices in arrival order, at the resting price; the rest rests', () => {
    nextNo = 1;
    const book = emptyBook();
    run(book, [o('S', 10.2, 100), o('S', 10.1, 300), o('S', 10.1, 200), o('S', 10.3, 100)]);
    const trades = run(book, [o('B', 10.2, 700)]).map((t) => t);
    // 10.1 (order 2, then 3), then 10.2 (order 1); order 4 at 10.3 is above the limit; 100 left rests at 10.2.
    assert.deepEqual(trades, [[10.1, 300, 5, 2], [10.1, 200, 5, 3], [10.2, 100, 5, 1]]);
    assert.deepEqual(levels(book), { bids: [[5, 10.2, 100]], asks: [[4, 10.3, 100]] });
    assert.equal(book.trades, 3);
    assert.equal(book.tradedVolume, 600);
    assert.equal(book.lastPrice, 10.2);
  });

  it('partial fills leave the resting order with its remainder and its place in the queue', () => {
    nextNo = 1;
    const book = emptyBook();
    run(book, [o('B', 9.9, 500), o('B', 9.9, 100)]);
    assert.deepEqual(run(book, [o('S', 9.8, 200)]), [[9.9, 200, 1, 3]]);
    assert.deepEqual(levels(book).bids, [[1, 9.9, 300], [2, 9.9, 100]]);
    assert.deepEqual(run(book, [o('S', 9.9, 350)]), [[9.9, 300, 1, 4], [9.9, 50, 2, 4]]);
    assert.deepEqual(levels(book), { bids: [[2, 9.9, 50]], asks: [] });
  });

  it('a delete removes the resting order by number on its side; deleting a filled or unknown order changes nothing', () => {
    nextNo = 1;
    const book = emptyBook();
    run(book, [o('B', 5, 100), o('B', 5, 100), o('S', 6, 100)]);
    run(book, [o('B', 5, 100, 'x', 'D', 1)]);
    assert.deepEqual(levels(book), { bids: [[2, 5, 100]], asks: [[3, 6, 100]] });
    run(book, [o('S', 5, 100, 'x', 'D', 2)]); // wrong side: nothing
    run(book, [o('B', 5, 100, 'x', 'D', 77)]);
    assert.deepEqual(levels(book), { bids: [[2, 5, 100]], asks: [[3, 6, 100]] });
  });

  it('executed volume already on the incoming order is not traded again', () => {
    nextNo = 1;
    const book = emptyBook();
    run(book, [o('S', 1, 1000)]);
    assert.deepEqual(run(book, [{ ...o('B', 1, 500), executedVolume: 200 }]), [[1, 300, 2, 1]]);
  });

  it('for any order sequence: the same trades and books as a brute-force matcher', () => {
    const order = fc.record({
      direction: fc.constantFrom<Direction>('B', 'S'),
      ticks: fc.integer({ min: 95, max: 105 }),
      lots: fc.integer({ min: 1, max: 5 }),
      cancel: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(order, { maxLength: 120 }), (spec) => {
        const orders: OrderRecord[] = spec.map((s, i) => ({
          orderNo: s.cancel === 0 && i > 0 ? 1 + ((s.ticks * 31) % i) : i + 1,
          code: s.cancel === 0 && i > 0 ? 'D' : 'A',
          timestamp: 0,
          price: s.ticks / 10,
          executedVolume: 0,
          volume: 100 * s.lots,
          security: 'S',
          account: `a${i % 7}`,
          direction: s.direction,
        }));
        const book = emptyBook();
        const trades = orders.flatMap((x, i) => applyOrder(book, x, i));
        const brute = bruteForce(orders);
        assert.deepEqual(trades, brute.trades);
        const flat = (side: { orderNo: number; remaining: number }[]) => side.map((r) => [r.orderNo, r.remaining]).sort((a, b) => a[0] - b[0]);
        assert.deepEqual(flat(book.bids), flat(brute.resting.filter((r) => r.buy)));
        assert.deepEqual(flat(book.asks), flat(brute.resting.filter((r) => !r.buy)));
      }),
    );
  });
});

interface BruteResting {
  orderNo: number;
  account: string;
  price: number;
  remaining: number;
  seq: number;
  buy: boolean;
}

/** Matching by searching all resting orders, in insertion order, for the best each time. */
function bruteForce(orders: OrderRecord[]): { trades: Trade[]; resting: BruteResting[] } {
  const resting: BruteResting[] = [];
  const trades: Trade[] = [];
  orders.forEach((x, seq) => {
    const buy = x.direction === 'B';
    if (x.code === 'D') {
      const i = resting.findIndex((r) => r.buy === buy && r.orderNo === x.orderNo);
      if (i >= 0) resting.splice(i, 1);
      return;
    }
    let left = x.volume - x.executedVolume;
    let index = 0;
    for (;;) {
      let best: BruteResting | undefined;
      for (const r of resting) {
        if (r.buy === buy || (buy ? r.price > x.price : r.price < x.price)) continue;
        if (best === undefined || (buy ? r.price < best.price : r.price > best.price) || (r.price === best.price && r.seq < best.seq)) best = r;
      }
      if (best === undefined || left === 0) break;
      const v = Math.min(left, best.remaining);
      trades.push({ security: x.security, price: best.price, volume: v, buyOrderNo: buy ? x.orderNo : best.orderNo, sellOrderNo: buy ? best.orderNo : x.orderNo, buyAccount: buy ? x.account : best.account, sellAccount: buy ? best.account : x.account, seq, index: index++ });
      left -= v;
      best.remaining -= v;
      if (best.remaining === 0) resting.splice(resting.indexOf(best), 1);
    }
    if (left > 0) resting.push({ orderNo: x.orderNo, account: x.account, price: x.price, remaining: left, seq, buy });
  });
  return { trades, resting };
}

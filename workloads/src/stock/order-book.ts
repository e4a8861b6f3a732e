/**
 * Continuous matching of one security's limit orders with price-time priority: an incoming order trades
 * against the best opposite price first, and among equal prices against the earliest order; each trade is at
 * the resting order's price; what the incoming order cannot fill rests in the book (partial fills leave the
 * remainder). Code D deletes a resting order by number. The book is plain data (arrays of plain objects), so
 * the engine's keyed state serializes it and it migrates with its key group. Pure; no I/O.
 */
import type { Direction, OrderRecord } from './order-record.ts';

export interface RestingOrder {
  readonly orderNo: number;
  readonly account: string;
  readonly price: number;
  remaining: number;
  /** Arrival sequence (time priority). */
  readonly seq: number;
}

export interface OrderBook {
  /** Best (highest) price first; equal prices by arrival. */
  bids: RestingOrder[];
  /** Best (lowest) price first; equal prices by arrival. */
  asks: RestingOrder[];
  /** Trades so far, their volume, and the price of the last one (0 before any). */
  trades: number;
  tradedVolume: number;
  lastPrice: number;
}

export interface Trade {
  readonly security: string;
  readonly price: number;
  readonly volume: number;
  readonly buyOrderNo: number;
  readonly sellOrderNo: number;
  readonly buyAccount: string;
  readonly sellAccount: string;
  /** Sequence number of the incoming order that caused the trade, and its index among that order's trades. */
  readonly seq: number;
  readonly index: number;
}

export function emptyBook(): OrderBook {
  return { bids: [], asks: [], trades: 0, tradedVolume: 0, lastPrice: 0 };
}

/**
 * Applies order `o` (arrival sequence `seq`) to `book` in place and returns the trades it caused, in order.
 * A delete (code D) removes the resting order with its number on its side, if still there.
 */
export function applyOrder(book: OrderBook, o: OrderRecord, seq: number): Trade[] {
  if (o.code === 'D') {
    cancel(o.direction === 'B' ? book.bids : book.asks, o.orderNo);
    return [];
  }
  const buy = o.direction === 'B';
  const opposite = buy ? book.asks : book.bids;
  let remaining = Math.max(0, o.volume - o.executedVolume);
  const trades: Trade[] = [];
  while (remaining > 0 && opposite.length > 0) {
    const best = opposite[0];
    if (buy ? best.price > o.price : best.price < o.price) break;
    const volume = Math.min(remaining, best.remaining);
    trades.push({
      security: o.security,
      price: best.price,
      volume,
      buyOrderNo: buy ? o.orderNo : best.orderNo,
      sellOrderNo: buy ? best.orderNo : o.orderNo,
      buyAccount: buy ? o.account : best.account,
      sellAccount: buy ? best.account : o.account,
      seq,
      index: trades.length,
    });
    remaining -= volume;
    best.remaining -= volume;
    if (best.remaining === 0) opposite.shift();
    book.trades++;
    book.tradedVolume += volume;
    book.lastPrice = best.price;
  }
  if (remaining > 0) rest(buy ? book.bids : book.asks, { orderNo: o.orderNo, account: o.account, price: o.price, remaining, seq }, buy);
  return trades;
}

/** Inserts after every order of a better or equal price (time priority among equals). */
function rest(side: RestingOrder[], order: RestingOrder, buy: boolean): void {
  let lo = 0;
  let hi = side.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const ahead = buy ? side[mid].price >= order.price : side[mid].price <= order.price;
    if (ahead) lo = mid + 1;
    else hi = mid;
  }
  side.splice(lo, 0, order);
}

function cancel(side: RestingOrder[], orderNo: number): void {
  const i = side.findIndex((r) => r.orderNo === orderNo);
  if (i >= 0) side.splice(i, 1);
}

/** The side an order of direction `d` rests on. */
export function sideOf(book: OrderBook, d: Direction): RestingOrder[] {
  return d === 'B' ? book.bids : book.asks;
}

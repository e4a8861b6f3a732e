/**
 * What the Stock job's matching leaves, as lines a Flink run writes and the harness checks: every trade
 * (`TRADES_HEADER`, named by the incoming order's sequence and the trade's index) and per security its final
 * book (`BOOKS_HEADER`), computed here by the embedded order book on a tape's orders in tape order. Lines are
 * compared in canonical form (parsed, then formatted here), so `100.0` (Java) equals `100` (JavaScript).
 * Pure; no I/O.
 */
import { applyOrder, emptyBook, type OrderBook, type RestingOrder, type Trade } from './order-book.ts';
import type { OrderTape } from './order-tape.ts';

export const TRADES_HEADER = 'seq,index,security,price,volume,buy_order,sell_order,buy_account,sell_account';
export const BOOKS_HEADER = 'security,key_group,orders,trades,traded_volume,last_price,bids,asks';

/** A security's book and the orders applied to it (deletes included). */
export interface SecurityBook {
  readonly security: string;
  readonly orders: number;
  readonly book: OrderBook;
}

export interface TapeMatch {
  /** Every trade, in tape order. */
  readonly trades: readonly Trade[];
  /** Per security its final book. */
  readonly books: ReadonlyMap<string, SecurityBook>;
  /** Per security the tape indices of its orders, in tape order. */
  readonly ordersOf: ReadonlyMap<string, readonly number[]>;
}

/** Matches the tape's orders, each with its tape index as sequence number (the engine's source sequence). */
export function matchTape(tape: OrderTape): TapeMatch {
  const books = new Map<string, { security: string; orders: number; book: OrderBook }>();
  const ordersOf = new Map<string, number[]>();
  const trades: Trade[] = [];
  tape.records.forEach((o, seq) => {
    let b = books.get(o.security);
    if (b === undefined) books.set(o.security, (b = { security: o.security, orders: 0, book: emptyBook() }));
    b.orders++;
    for (const t of applyOrder(b.book, o, seq)) trades.push(t);
    let list = ordersOf.get(o.security);
    if (list === undefined) ordersOf.set(o.security, (list = []));
    list.push(seq);
  });
  return { trades, books, ordersOf };
}

/** The book of `security` after its first `n` orders of the tape. */
export function bookAfter(tape: OrderTape, match: TapeMatch, security: string, n: number): SecurityBook {
  const book = emptyBook();
  const seqs = match.ordersOf.get(security) ?? [];
  for (const seq of seqs.slice(0, n)) applyOrder(book, tape.records[seq], seq);
  return { security, orders: Math.min(n, seqs.length), book };
}

export function tradeLine(t: Trade): string {
  return [t.seq, t.index, t.security, t.price, t.volume, t.buyOrderNo, t.sellOrderNo, t.buyAccount, t.sellAccount].join(',');
}

function sideText(side: readonly RestingOrder[]): string {
  return side.map((r) => `${r.orderNo}:${r.price}:${r.remaining}:${r.seq}`).join(' ');
}

export function bookLine(b: SecurityBook, keyGroup: number): string {
  const { book } = b;
  return [b.security, keyGroup, b.orders, book.trades, book.tradedVolume, book.lastPrice, sideText(book.bids), sideText(book.asks)].join(',');
}

/** A line of a trades file as a trade; undefined when it does not have the columns and numbers of one. */
export function parseTradeLine(line: string): Trade | undefined {
  const f = line.split(',');
  if (f.length !== 9) return undefined;
  const n = [f[0], f[1], f[3], f[4], f[5], f[6]].map(Number);
  if (n.some((x) => !Number.isFinite(x)) || f.slice(0, 7).some((x) => x === '')) return undefined;
  return { seq: n[0], index: n[1], security: f[2], price: n[2], volume: n[3], buyOrderNo: n[4], sellOrderNo: n[5], buyAccount: f[7], sellAccount: f[8] };
}

/** A line of a books dump as a book and its key group; undefined when it does not parse. */
export function parseBookLine(line: string): { book: SecurityBook; keyGroup: number } | undefined {
  const f = line.split(',');
  if (f.length !== 8 || f[0] === '') return undefined;
  const n = f.slice(1, 6).map((x) => (x === '' ? NaN : Number(x)));
  if (n.some((x) => !Number.isFinite(x))) return undefined;
  const side = (text: string): RestingOrder[] | undefined => {
    if (text === '') return [];
    const out: RestingOrder[] = [];
    for (const r of text.split(' ')) {
      const v = r.split(':').map((x) => (x === '' ? NaN : Number(x)));
      if (v.length !== 4 || v.some((x) => !Number.isFinite(x))) return undefined;
      // The account is not dumped: matching never reads it back, and trades carry it.
      out.push({ orderNo: v[0], account: '', price: v[1], remaining: v[2], seq: v[3] });
    }
    return out;
  };
  const bids = side(f[6]);
  const asks = side(f[7]);
  if (bids === undefined || asks === undefined) return undefined;
  return { keyGroup: n[0], book: { security: f[0], orders: n[1], book: { bids, asks, trades: n[2], tradedVolume: n[3], lastPrice: n[4] } } };
}

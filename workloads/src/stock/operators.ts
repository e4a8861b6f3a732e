/**
 * The Stock job's operators. `Splitter FlatMap` (the reference's `StockExchangeFunction`, keyed by account):
 * 0.1 ms of work per record and a map state `orders` holding, per account, its latest order with a payload of
 * `perKeySize` bytes. `MatchMaker FlatMap` (keyed by security; the reference's matching logic, which its job
 * never called): the security's order book as value state `order-book`, matched with price-time priority;
 * it passes each order on with the trades it caused.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, MapState, ValueState } from '../../../engine/src/index.ts';
import { busyWait, writePayload } from '../micro-benchmark/stateful-map.ts';
import { applyOrder, emptyBook, type OrderBook, type Trade } from './order-book.ts';
import type { OrderRecord } from './order-record.ts';

export const ACCOUNT_OPERATOR = 'Splitter FlatMap';
export const MATCHER_OPERATOR = 'MatchMaker FlatMap';
export const ORDERS_STATE = 'orders';
export const BOOK_STATE = 'order-book';

/** An order after matching, with the trades it caused (none for a delete or an order that rests). */
export interface MatchedOrder {
  readonly order: OrderRecord;
  readonly trades: readonly Trade[];
}

/** What `Splitter FlatMap` keeps per account. */
export interface LatestOrder {
  /** Source sequence number of the order (the latest is the highest). */
  readonly seq: number;
  readonly orderNo: number;
  readonly code: string;
  readonly timestamp: number;
  readonly price: number;
  readonly volume: number;
  readonly executedVolume: number;
  readonly security: string;
  readonly direction: string;
  /** `perKeySize` bytes written by the micro-benchmark's `writePayload(bytes, seq)`. */
  readonly payload: Buffer;
}

export class LatestOrderPerAccount implements KeyedFunction<OrderRecord | MatchedOrder, Trade> {
  private orders!: MapState<string, LatestOrder>;
  private backend!: KeyedStateBackend;

  constructor(
    readonly perKeySize: number,
    readonly busyWorkMs: number,
  ) {}

  open(backend: KeyedStateBackend): void {
    this.backend = backend;
    this.orders = backend.mapState<string, LatestOrder>(ORDERS_STATE);
  }

  processElement(value: OrderRecord | MatchedOrder, ctx: KeyedContext<Trade>): void {
    if (this.busyWorkMs > 0) busyWait(this.busyWorkMs);
    const matched = 'trades' in value ? value : undefined;
    const o = matched?.order ?? (value as OrderRecord);
    const prev = this.orders.get(o.account);
    // Behind a matcher, one account's orders come from several subtasks: the latest is the highest sequence.
    if (prev === undefined || prev.seq < ctx.seq) {
      const payload = prev?.payload ?? this.backend.allocBytes(this.perKeySize);
      writePayload(payload, ctx.seq);
      this.orders.put(o.account, {
        seq: ctx.seq,
        orderNo: o.orderNo,
        code: o.code,
        timestamp: o.timestamp,
        price: o.price,
        volume: o.volume,
        executedVolume: o.executedVolume,
        security: o.security,
        direction: o.direction,
        payload,
      });
    }
    if (matched !== undefined) for (const t of matched.trades) ctx.collect(t);
  }
}

export class OrderMatcher implements KeyedFunction<OrderRecord, MatchedOrder> {
  private book!: ValueState<OrderBook>;

  open(backend: KeyedStateBackend): void {
    this.book = backend.valueState<OrderBook>(BOOK_STATE);
  }

  processElement(order: OrderRecord, ctx: KeyedContext<MatchedOrder>): void {
    const book = this.book.value() ?? emptyBook();
    const trades = applyOrder(book, order, ctx.seq);
    // Written back after every order: the write accounts its size and marks the key group dirty.
    this.book.update(book);
    ctx.collect({ order, trades });
  }
}

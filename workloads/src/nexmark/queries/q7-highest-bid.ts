/**
 * Nexmark Q7, highest bid: per tumbling event-time window, the bids with the highest price, in two keyed
 * stages as on a parallel engine. `window` (keyed by auction) keeps per auction and window the highest price
 * and every bid at that price, and emits them at the window's end; `max` (keyed by window end) keeps the
 * highest of those partial maxima and fires 1 ms later, as Q5's `max` does (see q5-hot-items.ts). Ties: every
 * bid at the window's highest price is a result. Imports the engine's state and task types only.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, MapState, OperatorInfo, TimerService, ValueState } from '../../../../engine/src/index.ts';
import type { Bid } from '../model.ts';

export const Q7_OPERATOR = 'window';
export const Q7_MAX_OPERATOR = 'max';

/** One result: a bid at the highest price of its window (the window is the one holding `dateTime`). */
export interface HighestBid {
  readonly auction: number;
  readonly price: number;
  readonly bidder: number;
  readonly dateTime: number;
}

/** What `window` sends to `max`: a bid at its auction's highest price in [windowEnd - size, windowEnd). */
export interface WindowBid extends HighestBid {
  readonly windowEnd: number;
}

/** The highest price so far and the bids at it, as `[bidder, dateTime]` (`max`: `[auction, bidder, dateTime]`). */
type Top<B> = [price: number, bids: B[]];

/** The end of the tumbling window of `sizeMs` that holds event time `t`. */
export function windowEndOf(t: number, sizeMs: number): number {
  return Math.floor(t / sizeMs) * sizeMs + sizeMs;
}

export class TumblingMaxPrice implements KeyedFunction<Bid, WindowBid> {
  /** Per auction: window end -> the auction's highest price in that window and its bids at that price. */
  private windows!: MapState<number, Top<[number, number]>>;
  private timers!: TimerService;

  constructor(readonly sizeMs: number) {
    if (!(sizeMs > 0)) throw new RangeError(`window size must be > 0 ms, got ${sizeMs}`);
  }

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.windows = state.mapState<number, Top<[number, number]>>('q7-windows');
    this.timers = info.timers;
  }

  processElement(bid: Bid, ctx: KeyedContext<WindowBid>): void {
    const end = windowEndOf(bid.dateTime, this.sizeMs);
    const top = this.windows.get(end);
    if (top === undefined) this.timers.register(ctx.key, ctx.keyGroup, end);
    // A lower price changes nothing (and writes nothing); a new value each time keeps the byte count right.
    if (top === undefined || bid.price > top[0]) this.windows.put(end, [bid.price, [[bid.bidder, bid.dateTime]]]);
    else if (bid.price === top[0]) this.windows.put(end, [top[0], [...top[1], [bid.bidder, bid.dateTime]]]);
  }

  onTimer(end: number, ctx: KeyedContext<WindowBid>): void {
    const top = this.windows.get(end);
    this.windows.remove(end);
    // No window left: the auction's entry goes (an empty map would stay in the state and its snapshots).
    if (this.windows.size() === 0) this.windows.clear();
    if (top === undefined) return;
    const auction = ctx.key as number;
    for (const [bidder, dateTime] of top[1]) ctx.collect({ auction, price: top[0], bidder, dateTime, windowEnd: end });
  }
}

export class MaxPrice implements KeyedFunction<WindowBid, HighestBid> {
  /** Per window end: the highest price so far and its bids as `[auction, bidder, dateTime]`. */
  private best!: ValueState<Top<[number, number, number]>>;
  private timers!: TimerService;

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.best = state.valueState<Top<[number, number, number]>>('q7-max');
    this.timers = info.timers;
  }

  processElement(b: WindowBid, ctx: KeyedContext<HighestBid>): void {
    const best = this.best.value();
    if (best === undefined) this.timers.register(ctx.key, ctx.keyGroup, b.windowEnd + 1);
    if (best === undefined || b.price > best[0]) this.best.update([b.price, [[b.auction, b.bidder, b.dateTime]]]);
    else if (b.price === best[0]) this.best.update([best[0], [...best[1], [b.auction, b.bidder, b.dateTime]]]);
  }

  onTimer(_ts: number, ctx: KeyedContext<HighestBid>): void {
    const best = this.best.value();
    this.best.clear();
    if (best === undefined) return;
    for (const [auction, bidder, dateTime] of best[1]) ctx.collect({ auction, price: best[0], bidder, dateTime });
  }
}

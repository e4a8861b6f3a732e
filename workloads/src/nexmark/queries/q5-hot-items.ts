/**
 * Nexmark Q5, hot items: bids per auction in sliding event-time windows (`window`, keyed by auction), then
 * per window the auction with the most bids (`max`, keyed by window end). The window operator keeps one
 * count per auction and slide-long pane, and one timer per window end: a window [end - size, end) fires once
 * the watermark reaches `end` and emits the sum of its panes. `max` fires 1 ms later (every count of that
 * window is in by then; see keyed-task.ts on watermarks) and emits the largest count, ties to the lowest id.
 */
import type { KeyedContext, KeyedFunction, KeyedStateBackend, MapState, OperatorInfo, TimerService, ValueState } from '../../../../engine/src/index.ts';
import type { Bid } from '../model.ts';

export const Q5_OPERATOR = 'window';
export const Q5_MAX_OPERATOR = 'max';

/** A window's bid count for one auction (the window is [windowEnd - size, windowEnd)). */
export interface AuctionCount {
  readonly auction: number;
  readonly count: number;
  readonly windowEnd: number;
}

export class SlidingCount implements KeyedFunction<Bid, AuctionCount> {
  /** Per auction: pane start -> bids in [start, start + slide). */
  private panes!: MapState<number, number>;
  private timers!: TimerService;

  constructor(
    readonly sizeMs: number,
    readonly slideMs: number,
  ) {
    if (!(slideMs > 0) || !Number.isInteger(sizeMs / slideMs) || sizeMs <= 0) throw new RangeError(`window size ${sizeMs} ms must be a positive multiple of the slide ${slideMs} ms`);
  }

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.panes = state.mapState<number, number>('q5-panes');
    this.timers = info.timers;
  }

  processElement(bid: Bid, ctx: KeyedContext<AuctionCount>): void {
    const pane = Math.floor(bid.dateTime / this.slideMs) * this.slideMs;
    const n = this.panes.get(pane);
    this.panes.put(pane, (n ?? 0) + 1);
    if (n !== undefined) return;
    // A new pane: it takes part in the windows ending at pane + slide .. pane + size.
    for (let end = pane + this.slideMs; end <= pane + this.sizeMs; end += this.slideMs) this.timers.register(ctx.key, ctx.keyGroup, end);
  }

  onTimer(end: number, ctx: KeyedContext<AuctionCount>): void {
    let count = 0;
    const stale: number[] = [];
    for (const [pane, n] of this.panes.entries()) {
      if (pane >= end - this.sizeMs && pane < end) count += n;
      // No later window covers a pane before end + slide - size.
      if (pane < end + this.slideMs - this.sizeMs) stale.push(pane);
    }
    for (const pane of stale) this.panes.remove(pane);
    // No pane left: the auction's entry goes (an empty map would stay in the state and its snapshots).
    if (this.panes.size() === 0) this.panes.clear();
    if (count > 0) ctx.collect({ auction: ctx.key as number, count, windowEnd: end });
  }
}

export class MaxCount implements KeyedFunction<AuctionCount, AuctionCount> {
  /** Per window end: the largest count so far. */
  private best!: ValueState<AuctionCount>;
  private timers!: TimerService;

  open(state: KeyedStateBackend, info: OperatorInfo): void {
    this.best = state.valueState<AuctionCount>('q5-max');
    this.timers = info.timers;
  }

  processElement(c: AuctionCount, ctx: KeyedContext<AuctionCount>): void {
    const best = this.best.value();
    if (best === undefined) this.timers.register(ctx.key, ctx.keyGroup, c.windowEnd + 1);
    if (best === undefined || c.count > best.count || (c.count === best.count && c.auction < best.auction)) this.best.update({ auction: c.auction, count: c.count, windowEnd: c.windowEnd });
  }

  onTimer(_ts: number, ctx: KeyedContext<AuctionCount>): void {
    const best = this.best.value();
    this.best.clear();
    if (best !== undefined) ctx.collect(best);
  }
}

/**
 * Nexmark Q2, selection (`Splitter FlatMap`): the bids on a few auctions, those whose id is a multiple of
 * 1007, 1020, 2001, 2019 or 2087 (the reference's filter). Stateless.
 */
import type { KeyedContext, KeyedFunction } from '../../../../engine/src/index.ts';
import type { Bid } from '../model.ts';
import { busyWait } from '../../micro-benchmark/stateful-map.ts';

export const Q2_OPERATOR = 'Splitter FlatMap';
export const Q2_MODULI = [1007, 1020, 2001, 2019, 2087] as const;

/** What Q2 emits per selected bid. */
export interface AuctionPrice {
  readonly auction: number;
  readonly price: number;
}

export class SelectionFilter implements KeyedFunction<Bid, AuctionPrice> {
  constructor(private readonly busyWorkMs: number) {}

  processElement(bid: Bid, ctx: KeyedContext<AuctionPrice>): void {
    if (this.busyWorkMs > 0) busyWait(this.busyWorkMs);
    if (isSelected(bid.auction)) ctx.collect({ auction: bid.auction, price: bid.price });
  }
}

export function isSelected(auction: number): boolean {
  for (const m of Q2_MODULI) if (auction % m === 0) return true;
  return false;
}

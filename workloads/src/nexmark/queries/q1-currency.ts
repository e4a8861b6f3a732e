/**
 * Nexmark Q1, currency conversion (`Mapper`): every bid with its price in euros (x 0.89, whole cents).
 * Stateless; keyed by auction only because every operator of this engine is keyed.
 */
import type { KeyedContext, KeyedFunction } from '../../../../engine/src/index.ts';
import type { Bid } from '../model.ts';
import { busyWait } from '../../micro-benchmark/stateful-map.ts';

export const Q1_OPERATOR = 'Mapper';

export class CurrencyMapper implements KeyedFunction<Bid, Bid> {
  constructor(private readonly busyWorkMs: number) {}

  processElement(bid: Bid, ctx: KeyedContext<Bid>): void {
    if (this.busyWorkMs > 0) busyWait(this.busyWorkMs);
    ctx.collect(toEuro(bid));
  }
}

/** The bid with its price converted (Beam: `price * 89 / 100`, integer division). */
export function toEuro(bid: Bid): Bid {
  return { ...bid, price: Math.floor((bid.price * 89) / 100) };
}

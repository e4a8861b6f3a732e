/**
 * Parameters of the Nexmark generator (Beam's `GeneratorConfig` / Flink's `nexmark.*` options), their
 * defaults and their check. Imports engine errors only.
 */
import { InvalidConfigError } from '../../../engine/src/index.ts';

export interface GeneratorConfig {
  /** Events per second of the whole stream (all source subtasks); sets the time scale of auction lengths. */
  readonly ratePerSec: number;
  /** Chooses the random stream (different seeds, different events; same seed, same events). */
  readonly seed: number;
  /** Event mix by event number: in every `person + auction + bid` events, this many of each, in that order. */
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  /** Random people (sellers, bidders) are drawn among the newest this many. */
  readonly activePeople: number;
  /** Random auctions (of bids) are drawn among the newest this many. */
  readonly inFlightAuctions: number;
  /** 1 in `ratio` bids goes to a random auction, the rest to the current hot auction (likewise bidders, sellers). */
  readonly hotAuctionRatio: number;
  readonly hotBidderRatio: number;
  readonly hotSellerRatio: number;
  /** Average size of each kind of event in bytes (the `extra` field pads to it). */
  readonly avgPersonSize: number;
  readonly avgAuctionSize: number;
  readonly avgBidSize: number;
}

/** Beam's defaults (NexmarkConfiguration). */
export const DEFAULT_GENERATOR: Omit<GeneratorConfig, 'ratePerSec' | 'seed'> = {
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  activePeople: 1000,
  inFlightAuctions: 100,
  hotAuctionRatio: 2,
  hotBidderRatio: 4,
  hotSellerRatio: 4,
  avgPersonSize: 200,
  avgAuctionSize: 500,
  avgBidSize: 100,
};

/** Where each parameter comes from in the configuration, for error messages. */
export const GENERATOR_KEYS: Record<keyof Omit<GeneratorConfig, 'ratePerSec' | 'seed'>, string> = {
  personProportion: 'spacker.nexmark.person_proportion',
  auctionProportion: 'spacker.nexmark.auction_proportion',
  bidProportion: 'spacker.nexmark.bid_proportion',
  activePeople: 'spacker.nexmark.active_people',
  inFlightAuctions: 'spacker.nexmark.in_flight_auctions',
  hotAuctionRatio: 'spacker.nexmark.hot_auction_ratio',
  hotBidderRatio: 'spacker.nexmark.hot_bidder_ratio',
  hotSellerRatio: 'spacker.nexmark.hot_seller_ratio',
  avgPersonSize: 'spacker.nexmark.avg_person_size',
  avgAuctionSize: 'spacker.nexmark.avg_auction_size',
  avgBidSize: 'spacker.nexmark.avg_bid_size',
};

/** Smallest count of each parameter (proportions of people and auctions must be >= 1: bids refer to them). */
const MINIMUM: Record<keyof typeof GENERATOR_KEYS, number> = {
  personProportion: 1,
  auctionProportion: 1,
  bidProportion: 0,
  activePeople: 1,
  inFlightAuctions: 1,
  hotAuctionRatio: 1,
  hotBidderRatio: 1,
  hotSellerRatio: 1,
  avgPersonSize: 0,
  avgAuctionSize: 0,
  avgBidSize: 0,
};

/** Upper bound of every parameter: keeps the id arithmetic within 32-bit random draws. */
const MAXIMUM = 1_000_000;

/** Checks a configuration; throws InvalidConfigError naming the key, the value and what is allowed. */
export function checkGeneratorConfig(c: GeneratorConfig): GeneratorConfig {
  if (!(c.ratePerSec > 0) || !Number.isFinite(c.ratePerSec)) throw new InvalidConfigError('spacker.rate.per_task', c.ratePerSec, 'a number greater than 0');
  if (!Number.isSafeInteger(c.seed)) throw new InvalidConfigError('spacker.seed', c.seed, 'an integer');
  for (const [field, key] of Object.entries(GENERATOR_KEYS) as [keyof typeof GENERATOR_KEYS, string][]) {
    const v = c[field];
    if (!Number.isInteger(v) || v < MINIMUM[field] || v > MAXIMUM) throw new InvalidConfigError(key, v, `an integer from ${MINIMUM[field]} to ${MAXIMUM}`);
  }
  return c;
}

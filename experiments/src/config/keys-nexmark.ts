/**
 * The `spacker.nexmark.*` keys: which Nexmark query runs, its windows, and the generator's parameters
 * (Beam's NexmarkConfiguration defaults). The event rate is `spacker.rate.per_task` x `spacker.parallelism`.
 */
import type { KeySpec } from './schema-types.ts';

/** Most of any generator count or ratio (keeps the id arithmetic within 32-bit draws). */
const MAX = 1_000_000;

export const NEXMARK_KEYS = {
  'spacker.nexmark.query': {
    kind: 'enum',
    values: ['q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11'],
    default: 'q5',
    doc: 'job nexmark: the query (q1 currency map, q2 selection, q3 local items join, q5 hot items, q7 highest bid per tumbling window, q8 new users window join, q11 user sessions)',
  },
  'spacker.nexmark.window_size_ms': { kind: 'int', default: 100000, min: 1, unit: 'ms', doc: 'q5 sliding window size, q7 and q8 tumbling window size (event time; x spacker.time_scale)' },
  'spacker.nexmark.window_slide_ms': { kind: 'int', default: 10000, min: 1, unit: 'ms', doc: 'q5 window slide; the size must be a multiple of it (x spacker.time_scale)' },
  'spacker.nexmark.session_gap_ms': { kind: 'int', default: 10000, min: 1, unit: 'ms', doc: 'q11 session gap (x spacker.time_scale)' },
  'spacker.nexmark.generate_all': { kind: 'bool', default: false, doc: 'the source generates every event, also the kinds the query does not read (as Flink\'s Nexmark source); false = skips them' },
  'spacker.nexmark.watermark_interval_ms': { kind: 'int', default: 50, min: 1, max: 60000, unit: 'ms', doc: 'q5, q7, q8, q11: the source sends a watermark at least this often (scheduled time)' },
  'spacker.nexmark.person_proportion': { kind: 'int', default: 1, min: 1, max: MAX, doc: 'people per block of person + auction + bid proportions' },
  'spacker.nexmark.auction_proportion': { kind: 'int', default: 3, min: 1, max: MAX, doc: 'auctions per block of proportions' },
  'spacker.nexmark.bid_proportion': { kind: 'int', default: 46, min: 0, max: MAX, doc: 'bids per block of proportions' },
  'spacker.nexmark.active_people': { kind: 'int', default: 1000, min: 1, max: MAX, doc: 'random sellers and bidders are among the newest this many people' },
  'spacker.nexmark.in_flight_auctions': { kind: 'int', default: 100, min: 1, max: MAX, doc: 'random bids go to the newest this many auctions' },
  'spacker.nexmark.hot_auction_ratio': { kind: 'int', default: 2, min: 1, max: MAX, doc: '1 in this many bids goes to a random auction, the others to the hot one' },
  'spacker.nexmark.hot_bidder_ratio': { kind: 'int', default: 4, min: 1, max: MAX, doc: '1 in this many bids comes from a random bidder, the others from the hot one' },
  'spacker.nexmark.hot_seller_ratio': { kind: 'int', default: 4, min: 1, max: MAX, doc: '1 in this many auctions has a random seller, the others the hot one' },
  'spacker.nexmark.avg_person_size': { kind: 'int', default: 200, min: 0, max: MAX, unit: 'bytes', doc: 'average size of a person event' },
  'spacker.nexmark.avg_auction_size': { kind: 'int', default: 500, min: 0, max: MAX, unit: 'bytes', doc: 'average size of an auction event' },
  'spacker.nexmark.avg_bid_size': { kind: 'int', default: 100, min: 0, max: MAX, unit: 'bytes', doc: 'average size of a bid event' },
} as const satisfies Record<string, KeySpec>;

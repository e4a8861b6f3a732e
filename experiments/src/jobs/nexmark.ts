/**
 * The Nexmark job from configuration: `spacker.nexmark.*` onto the workload's parameters (the event rate is
 * `spacker.rate.per_task` x `spacker.parallelism`, as the reference's nexmark.sh computes srcBase; windows
 * and gaps scale with `spacker.time_scale`), and runs named after the query and its rate.
 */
import { InvalidConfigError } from '../../../engine/src/index.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { buildNexmark, type NexmarkParams } from '../../../workloads/src/nexmark/nexmark.ts';
import type { BuiltJob } from '../run/run-job.ts';

export function nexmarkParams(config: ResolvedConfig): NexmarkParams {
  const scale = config.get('spacker.time_scale');
  const scaled = (key: 'spacker.nexmark.window_size_ms' | 'spacker.nexmark.window_slide_ms' | 'spacker.nexmark.session_gap_ms'): number => Math.max(1, Math.round(config.get(key) * scale));
  const query = config.get('spacker.nexmark.query');
  const size = config.get('spacker.nexmark.window_size_ms');
  const slide = config.get('spacker.nexmark.window_slide_ms');
  if (query === 'q5' && size % slide !== 0) {
    throw new InvalidConfigError('spacker.nexmark.window_size_ms', size, `a multiple of spacker.nexmark.window_slide_ms (${slide}) for q5`);
  }
  return {
    query,
    runtimeS: config.get('spacker.runtime'),
    eventsPerSec: config.get('spacker.rate.per_task') * config.get('spacker.parallelism'),
    parallelism: config.get('spacker.parallelism'),
    sourceParallelism: config.get('spacker.source_parallelism'),
    maxParallelism: config.get('spacker.max_parallelism'),
    seed: config.get('spacker.seed'),
    generator: {
      personProportion: config.get('spacker.nexmark.person_proportion'),
      auctionProportion: config.get('spacker.nexmark.auction_proportion'),
      bidProportion: config.get('spacker.nexmark.bid_proportion'),
      activePeople: config.get('spacker.nexmark.active_people'),
      inFlightAuctions: config.get('spacker.nexmark.in_flight_auctions'),
      hotAuctionRatio: config.get('spacker.nexmark.hot_auction_ratio'),
      hotBidderRatio: config.get('spacker.nexmark.hot_bidder_ratio'),
      hotSellerRatio: config.get('spacker.nexmark.hot_seller_ratio'),
      avgPersonSize: config.get('spacker.nexmark.avg_person_size'),
      avgAuctionSize: config.get('spacker.nexmark.avg_auction_size'),
      avgBidSize: config.get('spacker.nexmark.avg_bid_size'),
    },
    // Q5's size stays a whole number of (scaled) slides.
    windowSizeMs: query === 'q5' ? scaled('spacker.nexmark.window_slide_ms') * (size / slide) : scaled('spacker.nexmark.window_size_ms'),
    windowSlideMs: scaled('spacker.nexmark.window_slide_ms'),
    sessionGapMs: scaled('spacker.nexmark.session_gap_ms'),
    busyWorkMs: config.get('spacker.workload.busy_work_ms'),
    watermarkIntervalMs: config.get('spacker.nexmark.watermark_interval_ms'),
    generateAll: config.get('spacker.nexmark.generate_all'),
  };
}

export function buildNexmarkJob(config: ResolvedConfig): BuiltJob {
  const params = nexmarkParams(config);
  const { graph, operator, totalRecords } = buildNexmark(params);
  return { graph, operator, totalRecords, workload: { name: `nexmark-${params.query}`, params: { ...params } } };
}

export function nexmarkRunName(p: NexmarkParams): string {
  return [p.query, `events${p.eventsPerSec}`, `p${p.parallelism}`, `mp${p.maxParallelism}`].join('-');
}

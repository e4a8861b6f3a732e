/**
 * The Nexmark jobs (reference 4.4): one source of the Nexmark stream (`Source`, event time = scheduled
 * time, watermarks for the windowed queries) keyed into the query's operator, named as the reference names
 * it so that `controller.target.operators` picks it (Q1 `Mapper`, Q2 `Splitter FlatMap`, Q3/Q8 `join`,
 * Q5/Q7/Q11 `window`), then a sink (Q5 and Q7 through a second keyed stage, `max`). Latency is measured at
 * that operator.
 */
import { JobGraph, RateProfile } from '../../../engine/src/index.ts';
import type { KeyedFunction, SourceFunction } from '../../../engine/src/index.ts';
import { DEFAULT_GENERATOR, type GeneratorConfig } from './generator-config.ts';
import { NexmarkGenerator } from './generator.ts';
import type { Auction, Bid, EventKind, NexmarkEvent } from './model.ts';
import { NexmarkSource } from './source.ts';
import { CurrencyMapper, Q1_OPERATOR } from './queries/q1-currency.ts';
import { Q2_OPERATOR, SelectionFilter } from './queries/q2-selection.ts';
import { LocalItemJoin, Q3_OPERATOR } from './queries/q3-local-item.ts';
import { MaxCount, Q5_MAX_OPERATOR, Q5_OPERATOR, SlidingCount, type AuctionCount } from './queries/q5-hot-items.ts';
import { MaxPrice, Q7_MAX_OPERATOR, Q7_OPERATOR, TumblingMaxPrice, type HighestBid, type WindowBid } from './queries/q7-highest-bid.ts';
import { NewUsersJoin, Q8_OPERATOR } from './queries/q8-new-users.ts';
import { Q11_OPERATOR, SessionCount } from './queries/q11-user-sessions.ts';

export const NEXMARK_QUERIES = ['q1', 'q2', 'q3', 'q5', 'q7', 'q8', 'q11'] as const;
export type NexmarkQuery = (typeof NEXMARK_QUERIES)[number];

export interface NexmarkParams {
  query: NexmarkQuery;
  /** Seconds of input. */
  runtimeS: number;
  /** Events per second of the whole stream (every kind, also those the query skips). */
  eventsPerSec: number;
  parallelism: number;
  sourceParallelism: number;
  maxParallelism: number;
  seed: number;
  generator: Omit<GeneratorConfig, 'ratePerSec' | 'seed'>;
  /** Q5: sliding window size and slide; Q7, Q8: tumbling window size (= windowSizeMs). */
  windowSizeMs: number;
  windowSlideMs: number;
  /** Q11: session gap. */
  sessionGapMs: number;
  /** Q1/Q2: busy work per record (the reference's 0.1 ms in Q1). */
  busyWorkMs: number;
  /** Watermark interval of the source (scheduled time), ms. */
  watermarkIntervalMs?: number;
  /** Generate every event, also those the query does not read (Flink's Nexmark source); default: skip them. */
  generateAll?: boolean;
  /** Q5's results: the hot item per window (default), or every auction's count (the reference's Q5 stops there). */
  q5Output?: 'hot-items' | 'counts';
}

/** What each query reads, its operator (latency, migration) and its edge key. */
interface QueryShape {
  readonly kinds: readonly EventKind[];
  readonly operator: string;
  readonly key: (e: NexmarkEvent) => number;
  readonly eventTime: boolean;
  readonly create: (p: NexmarkParams) => KeyedFunction<never, unknown>;
}

const byAuction = (e: NexmarkEvent): number => (e as Bid).auction;
const byBidder = (e: NexmarkEvent): number => (e as Bid).bidder;
const byPerson = (e: NexmarkEvent): number => (e.kind === 'person' ? e.id : (e as Auction).seller);

export const QUERY_SHAPES: Readonly<Record<NexmarkQuery, QueryShape>> = {
  q1: { kinds: ['bid'], operator: Q1_OPERATOR, key: byAuction, eventTime: false, create: (p) => new CurrencyMapper(p.busyWorkMs) },
  q2: { kinds: ['bid'], operator: Q2_OPERATOR, key: byAuction, eventTime: false, create: (p) => new SelectionFilter(p.busyWorkMs) },
  q3: { kinds: ['person', 'auction'], operator: Q3_OPERATOR, key: byPerson, eventTime: false, create: () => new LocalItemJoin() },
  q5: { kinds: ['bid'], operator: Q5_OPERATOR, key: byAuction, eventTime: true, create: (p) => new SlidingCount(p.windowSizeMs, p.windowSlideMs) },
  q7: { kinds: ['bid'], operator: Q7_OPERATOR, key: byAuction, eventTime: true, create: (p) => new TumblingMaxPrice(p.windowSizeMs) },
  q8: { kinds: ['person', 'auction'], operator: Q8_OPERATOR, key: byPerson, eventTime: true, create: (p) => new NewUsersJoin(p.windowSizeMs) },
  q11: { kinds: ['bid'], operator: Q11_OPERATOR, key: byBidder, eventTime: true, create: (p) => new SessionCount(p.sessionGapMs) },
};

/** Default watermark interval, ms of scheduled time. */
export const WATERMARK_INTERVAL_MS = 50;

export function generatorOf(p: NexmarkParams): NexmarkGenerator {
  return new NexmarkGenerator({ ...DEFAULT_GENERATOR, ...p.generator, ratePerSec: p.eventsPerSec, seed: p.seed });
}

/** Events of the whole run: those scheduled before the end of `runtimeS`. */
export function eventCount(p: Pick<NexmarkParams, 'runtimeS' | 'eventsPerSec'>): number {
  return RateProfile.constant(p.eventsPerSec).countBefore(p.runtimeS * 1000);
}

/** How many of events `0 .. events-1` are of the given kinds. */
export function countKinds(g: NexmarkGenerator, events: number, kinds: readonly EventKind[]): number {
  const c = g.config;
  const per: Record<EventKind, number> = { person: c.personProportion, auction: c.auctionProportion, bid: c.bidProportion };
  const total = c.personProportion + c.auctionProportion + c.bidProportion;
  let n = Math.floor(events / total) * kinds.reduce((s, k) => s + per[k], 0);
  for (let i = events - (events % total); i < events; i++) if (kinds.includes(g.kindOf(i))) n++;
  return n;
}

/**
 * Builds the job graph of a query. `onOutput`, if given, sees every result the sink receives (tests).
 * Returns the operator whose latency is measured and how many records reach it.
 */
export function buildNexmark(p: NexmarkParams, onOutput?: (value: unknown) => void): { graph: JobGraph; operator: string; totalRecords: number } {
  const shape = QUERY_SHAPES[p.query];
  const generator = generatorOf(p);
  const count = eventCount(p);
  const graph = new JobGraph().source<NexmarkEvent>('Source', {
    parallelism: p.sourceParallelism,
    profile: RateProfile.constant(p.eventsPerSec),
    count,
    create: (subtask, parallelism): SourceFunction<NexmarkEvent> => new NexmarkSource(generator, subtask, parallelism, shape.kinds, p.generateAll === true),
    watermarkIntervalMs: shape.eventTime ? (p.watermarkIntervalMs ?? WATERMARK_INTERVAL_MS) : undefined,
  });
  graph.keyed(shape.operator, {
    parallelism: p.parallelism,
    maxParallelism: p.maxParallelism,
    inputs: [{ from: 'Source', key: (e) => shape.key(e as NexmarkEvent) }],
    create: () => shape.create(p) as KeyedFunction<unknown, unknown>,
    measureLatency: true,
  });
  let last = shape.operator;
  if (p.query === 'q5' && p.q5Output !== 'counts') {
    graph.keyed<AuctionCount, AuctionCount>(Q5_MAX_OPERATOR, {
      parallelism: p.parallelism,
      maxParallelism: p.maxParallelism,
      inputs: [{ from: Q5_OPERATOR, key: (c) => (c as AuctionCount).windowEnd }],
      create: () => new MaxCount(),
    });
    last = Q5_MAX_OPERATOR;
  }
  if (p.query === 'q7') {
    graph.keyed<WindowBid, HighestBid>(Q7_MAX_OPERATOR, {
      parallelism: p.parallelism,
      maxParallelism: p.maxParallelism,
      inputs: [{ from: Q7_OPERATOR, key: (b) => (b as WindowBid).windowEnd }],
      create: () => new MaxPrice(),
    });
    last = Q7_MAX_OPERATOR;
  }
  graph.sink('Sink', { parallelism: 1, from: last, consume: onOutput === undefined ? undefined : (v) => onOutput(v) });
  return { graph, operator: shape.operator, totalRecords: countKinds(generator, count, shape.kinds) };
}


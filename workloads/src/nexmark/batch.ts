/**
 * Every query as a plain batch computation over the whole generated stream: what a streaming run must
 * produce, as a multiset of results (tests compare sorted lists). The events are the ones the source
 * subtasks emit, with the same times, so no engine code is involved. Imports the workload only.
 */
import { RateProfile } from '../../../engine/src/index.ts';
import type { NexmarkGenerator } from './generator.ts';
import type { Auction, Bid, EventKind, NexmarkEvent, Person } from './model.ts';
import { eventCount, generatorOf, type NexmarkParams } from './nexmark.ts';
import { eventNumber } from './source.ts';
import { toEuro } from './queries/q1-currency.ts';
import { isSelected, type AuctionPrice } from './queries/q2-selection.ts';
import { Q3_CATEGORY, Q3_STATES, type LocalItem } from './queries/q3-local-item.ts';
import type { AuctionCount } from './queries/q5-hot-items.ts';
import { windowEndOf, type HighestBid } from './queries/q7-highest-bid.ts';
import type { NewUser } from './queries/q8-new-users.ts';
import type { BidderSession } from './queries/q11-user-sessions.ts';

/**
 * Every event of a run, in event-number order, with the time its source subtask gives it; only those of
 * `kinds` when given (the others are not generated).
 */
export function generateAll(p: NexmarkParams, generator: NexmarkGenerator = generatorOf(p), kinds?: readonly EventKind[]): NexmarkEvent[] {
  const count = eventCount(p);
  const sp = p.sourceParallelism;
  const profile = RateProfile.constant(p.eventsPerSec).scaled(sp);
  const out: NexmarkEvent[] = new Array(count);
  for (let s = 0; s < sp; s++) {
    const share = Math.floor(count / sp) + (s < count % sp ? 1 : 0);
    for (let i = 0; i < share; i++) {
      const n = eventNumber(i, s, sp);
      if (kinds !== undefined && !kinds.includes(generator.kindOf(n))) continue;
      out[n] = generator.event(n, Math.floor(profile.timeOf(i)));
    }
  }
  // Array.prototype.filter skips the holes of the kinds not generated.
  return kinds === undefined ? out : out.filter(() => true);
}

const bids = (events: readonly NexmarkEvent[]): Bid[] => events.filter((e): e is Bid => e.kind === 'bid');
const people = (events: readonly NexmarkEvent[]): Person[] => events.filter((e): e is Person => e.kind === 'person');
const auctions = (events: readonly NexmarkEvent[]): Auction[] => events.filter((e): e is Auction => e.kind === 'auction');

export function batchQ1(events: readonly NexmarkEvent[]): Bid[] {
  return bids(events).map(toEuro);
}

export function batchQ2(events: readonly NexmarkEvent[]): AuctionPrice[] {
  return bids(events).filter((b) => isSelected(b.auction)).map((b) => ({ auction: b.auction, price: b.price }));
}

export function batchQ3(events: readonly NexmarkEvent[]): LocalItem[] {
  const sellers = new Map<number, Person>();
  for (const p of people(events)) if (Q3_STATES.includes(p.state)) sellers.set(p.id, p);
  const out: LocalItem[] = [];
  for (const a of auctions(events)) {
    const p = a.category === Q3_CATEGORY ? sellers.get(a.seller) : undefined;
    if (p !== undefined) out.push({ name: p.name, city: p.city, state: p.state, auction: a.id });
  }
  return out;
}

/** Q5's first stage: every (auction, window) with at least one bid. */
export function batchQ5Counts(events: readonly NexmarkEvent[], sizeMs: number, slideMs: number): AuctionCount[] {
  const counts = new Map<string, AuctionCount>();
  for (const b of bids(events)) {
    const last = Math.floor(b.dateTime / slideMs) * slideMs + slideMs;
    for (let end = last; end - sizeMs <= b.dateTime; end += slideMs) {
      const id = `${b.auction}/${end}`;
      const c = counts.get(id);
      counts.set(id, { auction: b.auction, count: (c?.count ?? 0) + 1, windowEnd: end });
    }
  }
  return [...counts.values()];
}

/** Q5: per window, the auction with the most bids (ties: lowest id). */
export function batchQ5(events: readonly NexmarkEvent[], sizeMs: number, slideMs: number): AuctionCount[] {
  const best = new Map<number, AuctionCount>();
  for (const c of batchQ5Counts(events, sizeMs, slideMs)) {
    const b = best.get(c.windowEnd);
    if (b === undefined || c.count > b.count || (c.count === b.count && c.auction < b.auction)) best.set(c.windowEnd, c);
  }
  return [...best.values()];
}

/** Q7: per tumbling window, every bid at the window's highest price (ties: all of them). */
export function batchQ7(events: readonly NexmarkEvent[], sizeMs: number): HighestBid[] {
  const best = new Map<number, Bid[]>();
  for (const b of bids(events)) {
    const end = windowEndOf(b.dateTime, sizeMs);
    const top = best.get(end);
    if (top === undefined || b.price > top[0].price) best.set(end, [b]);
    else if (b.price === top[0].price) top.push(b);
  }
  return [...best.values()].flat().map((b) => ({ auction: b.auction, price: b.price, bidder: b.bidder, dateTime: b.dateTime }));
}

export function batchQ8(events: readonly NexmarkEvent[], sizeMs: number): NewUser[] {
  const window = (t: number): number => Math.floor(t / sizeMs) * sizeMs;
  const byPerson = new Map<string, Person[]>();
  for (const p of people(events)) {
    const id = `${p.id}/${window(p.dateTime)}`;
    byPerson.set(id, [...(byPerson.get(id) ?? []), p]);
  }
  const out: NewUser[] = [];
  for (const a of auctions(events)) {
    const start = window(a.dateTime);
    for (const p of byPerson.get(`${a.seller}/${start}`) ?? []) out.push({ id: p.id, name: p.name, auction: a.id, reserve: a.reserve, windowStart: start });
  }
  return out;
}

export function batchQ11(events: readonly NexmarkEvent[], gapMs: number): BidderSession[] {
  const times = new Map<number, number[]>();
  for (const b of bids(events)) {
    let list = times.get(b.bidder);
    if (list === undefined) times.set(b.bidder, (list = []));
    list.push(b.dateTime);
  }
  const out: BidderSession[] = [];
  for (const [bidder, ts] of times) {
    ts.sort((x, y) => x - y);
    let start = ts[0];
    let count = 0;
    for (let i = 0; i < ts.length; i++) {
      count++;
      if (i + 1 === ts.length || ts[i + 1] >= ts[i] + gapMs) {
        out.push({ bidder, count, start, end: ts[i] + gapMs });
        if (i + 1 < ts.length) start = ts[i + 1];
        count = 0;
      }
    }
  }
  return out;
}

/** A query's expected results. */
export function batchResults(p: NexmarkParams, events: readonly NexmarkEvent[] = generateAll(p)): unknown[] {
  switch (p.query) {
    case 'q1':
      return batchQ1(events);
    case 'q2':
      return batchQ2(events);
    case 'q3':
      return batchQ3(events);
    case 'q5':
      return p.q5Output === 'counts' ? batchQ5Counts(events, p.windowSizeMs, p.windowSlideMs) : batchQ5(events, p.windowSizeMs, p.windowSlideMs);
    case 'q7':
      return batchQ7(events, p.windowSizeMs);
    case 'q8':
      return batchQ8(events, p.windowSizeMs);
    case 'q11':
      return batchQ11(events, p.sessionGapMs);
  }
}

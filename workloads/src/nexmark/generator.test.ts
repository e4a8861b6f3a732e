import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidConfigError } from '../../../engine/src/index.ts';
import { DEFAULT_GENERATOR, GENERATOR_KEYS, type GeneratorConfig } from './generator-config.ts';
import { NexmarkGenerator } from './generator.ts';
import { AUCTION_ID_LEAD, FIRST_AUCTION_ID, FIRST_PERSON_ID, US_STATES, type Auction, type Bid, type Person } from './model.ts';

const config = (over: Partial<GeneratorConfig> = {}): GeneratorConfig => ({ ...DEFAULT_GENERATOR, ratePerSec: 10_000, seed: 42, ...over });

function events(g: NexmarkGenerator, n: number): (Person | Auction | Bid)[] {
  return Array.from({ length: n }, (_, i) => g.event(i, i));
}

describe('workloads > nexmark > generator', () => {
  it('is deterministic for a seed; another seed gives other events with the same ids and kinds', () => {
    const a = events(new NexmarkGenerator(config()), 2000);
    assert.deepEqual(events(new NexmarkGenerator(config()), 2000), a);
    const b = events(new NexmarkGenerator(config({ seed: 43 })), 2000);
    assert.notDeepEqual(b, a);
    assert.deepEqual(b.map((e) => e.kind), a.map((e) => e.kind));
  });

  it('mixes people, auctions and bids 1 : 3 : 46 by event number, in that order', () => {
    const g = new NexmarkGenerator(config());
    const kinds = Array.from({ length: 50 }, (_, i) => g.kindOf(i));
    assert.deepEqual(kinds, ['person', 'auction', 'auction', 'auction', ...Array(46).fill('bid')]);
    assert.equal(g.kindOf(50), 'person');
    const custom = new NexmarkGenerator(config({ personProportion: 1, auctionProportion: 1, bidProportion: 0 }));
    assert.deepEqual(Array.from({ length: 4 }, (_, i) => custom.kindOf(i)), ['person', 'auction', 'person', 'auction']);
  });

  it('numbers people and auctions in creation order; bids and auctions refer to existing or just-ahead ids', () => {
    const g = new NexmarkGenerator(config());
    const all = events(g, 50_000);
    const people = all.filter((e): e is Person => e.kind === 'person');
    const auctions = all.filter((e): e is Auction => e.kind === 'auction');
    assert.deepEqual(people.map((p) => p.id), people.map((_, i) => FIRST_PERSON_ID + i));
    assert.deepEqual(auctions.map((a) => a.id), auctions.map((_, i) => FIRST_AUCTION_ID + i));
    let lastAuction = -1;
    let lastPerson = -1;
    for (const e of all) {
      if (e.kind === 'person') lastPerson = e.id;
      else if (e.kind === 'auction') {
        lastAuction = e.id;
        assert.ok(e.seller >= FIRST_PERSON_ID && e.seller <= lastPerson + 10, `seller ${e.seller}`);
        assert.ok(e.category >= 10 && e.category < 15);
        assert.ok(e.reserve >= e.initialBid && e.expires > e.dateTime);
      } else {
        assert.ok(e.auction >= Math.max(FIRST_AUCTION_ID, lastAuction - 100) && e.auction <= lastAuction + AUCTION_ID_LEAD, `auction ${e.auction} (newest ${lastAuction})`);
        assert.ok(e.price >= 100 && e.price <= 100_000_000);
      }
    }
    assert.ok(people.every((p) => (US_STATES as readonly string[]).includes(p.state)));
  });

  it('sends half the bids to the hot auction and three quarters to the hot bidder (ratios 2 and 4)', () => {
    const bids = events(new NexmarkGenerator(config()), 100_000).filter((e): e is Bid => e.kind === 'bid');
    const hotAuction = bids.filter((b) => (b.auction - FIRST_AUCTION_ID) % 100 === 0).length / bids.length;
    const hotBidder = bids.filter((b) => (b.bidder - FIRST_PERSON_ID) % 100 === 1).length / bids.length;
    assert.ok(hotAuction > 0.48 && hotAuction < 0.53, `hot auction share ${hotAuction}`);
    assert.ok(hotBidder > 0.73 && hotBidder < 0.78, `hot bidder share ${hotBidder}`);
  });

  it('pads events to their average size', () => {
    const all = events(new NexmarkGenerator(config()), 50_000);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bidSize = mean(all.filter((e) => e.kind === 'bid').map((b) => 32 + b.extra.length));
    const personSize = mean(all.filter((e): e is Person => e.kind === 'person').map((p) => 8 + p.name.length + p.emailAddress.length + p.creditCard.length + p.city.length + p.state.length + p.extra.length));
    assert.ok(Math.abs(bidSize - 100) < 2, `bid ${bidSize}`);
    assert.ok(Math.abs(personSize - 200) < 4, `person ${personSize}`);
  });

  it('rejects parameters out of range, naming the key', () => {
    assert.throws(() => new NexmarkGenerator(config({ personProportion: 0 })), (e: unknown) => e instanceof InvalidConfigError && e.key === GENERATOR_KEYS.personProportion && /from 1 to/.test(e.message));
    assert.throws(() => new NexmarkGenerator(config({ hotAuctionRatio: 1.5 })), /spacker\.nexmark\.hot_auction_ratio.*an integer/);
    assert.throws(() => new NexmarkGenerator(config({ bidProportion: -1 })), /spacker\.nexmark\.bid_proportion/);
    assert.throws(() => new NexmarkGenerator(config({ ratePerSec: 0 })), /spacker\.rate\.per_task/);
  });
});

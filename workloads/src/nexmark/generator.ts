/**
 * The Nexmark event generator (the Beam/Flink model, re-implemented): event number `n` decides the kind
 * (people : auctions : bids = 1 : 3 : 46 by default, in that order in every block), the ids (people and
 * auctions are numbered in creation order) and, through a `java.util.Random` seeded from `n` and the seed,
 * everything else: bids go to the hot auction or one of the newest in-flight auctions, bidders and sellers
 * are the hot person or one of the newest active people, prices are log-uniform, `extra` pads each event to
 * its average size. The same (seed, n, time) always gives the same event. Imports engine/core only.
 */
import { JavaRandom, murmurHash } from '../../../engine/src/index.ts';
import { checkGeneratorConfig, type GeneratorConfig } from './generator-config.ts';
import {
  AUCTION_ID_LEAD, FIRST_AUCTION_ID, FIRST_CATEGORY_ID, FIRST_NAMES, FIRST_PERSON_ID, HOT_GROUP_SIZE, LAST_NAMES,
  NUM_CATEGORIES, PERSON_ID_LEAD, US_CITIES, US_STATES,
  type Auction, type Bid, type EventKind, type NexmarkEvent, type Person,
} from './model.ts';

/** Characters random strings are cut from: one fixed pseudo-random text, so a string is a cheap slice. */
const TEXT_POOL_SIZE = 1 << 16;
const TEXT_POOL = ((): string => {
  const r = new JavaRandom(0x4e45584d);
  const chars: string[] = [];
  for (let i = 0; i < TEXT_POOL_SIZE; i++) chars.push(String.fromCharCode(97 + r.nextInt(26)));
  return chars.join('');
})();

/** Bytes of a bid, auction, person before `extra` (Beam's size accounting: 8 per number, 1 per char). */
const BID_BASE_SIZE = 8 * 4;

export class NexmarkGenerator {
  readonly config: GeneratorConfig;
  private readonly total: number;
  private readonly random = new JavaRandom(0);
  /** The seed's contribution to every event's random seed (16 bits: java.util.Random keeps 48). */
  private readonly seedPart: number;
  /** Upper bound of an auction's length, ms: twice the time the in-flight auctions take to be created. */
  private readonly auctionLengthBoundMs: number;

  constructor(config: GeneratorConfig) {
    this.config = checkGeneratorConfig(config);
    const c = this.config;
    this.total = c.personProportion + c.auctionProportion + c.bidProportion;
    this.seedPart = (murmurHash(c.seed | 0) ^ murmurHash(Math.floor(c.seed / 0x100000000) | 0)) & 0xffff;
    const eventsForAuctions = (c.inFlightAuctions * this.total) / c.auctionProportion;
    this.auctionLengthBoundMs = Math.max(1, Math.round((2 * eventsForAuctions * 1000) / c.ratePerSec));
  }

  /** The kind of event number `n`. */
  kindOf(n: number): EventKind {
    const r = n % this.total;
    const c = this.config;
    return r < c.personProportion ? 'person' : r < c.personProportion + c.auctionProportion ? 'auction' : 'bid';
  }

  /** Base-0 id of the newest person at event `n` (the person event `n` creates, if it is one). */
  lastBase0PersonId(n: number): number {
    const c = this.config;
    const epoch = Math.floor(n / this.total);
    let offset = n % this.total;
    if (offset >= c.personProportion) offset = c.personProportion - 1;
    return epoch * c.personProportion + offset;
  }

  /** Base-0 id of the newest auction at event `n` (-1 before the first). */
  lastBase0AuctionId(n: number): number {
    const c = this.config;
    let epoch = Math.floor(n / this.total);
    let offset = n % this.total;
    if (offset < c.personProportion) {
      epoch--;
      offset = c.auctionProportion - 1;
    } else if (offset >= c.personProportion + c.auctionProportion) {
      offset = c.auctionProportion - 1;
    } else {
      offset -= c.personProportion;
    }
    return epoch * c.auctionProportion + offset;
  }

  /** Event `n`, happening at event time `dateTime` (ms after the start). */
  event(n: number, dateTime: number): NexmarkEvent {
    switch (this.kindOf(n)) {
      case 'person':
        return this.person(n, dateTime);
      case 'auction':
        return this.auction(n, dateTime);
      case 'bid':
        return this.bid(n, dateTime);
    }
  }

  person(n: number, dateTime: number): Person {
    const r = this.seeded(n);
    const name = `${FIRST_NAMES[r.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[r.nextInt(LAST_NAMES.length)]}`;
    const emailAddress = `${this.text(r, 7)}@${this.text(r, 5)}.com`;
    const creditCard = [0, 1, 2, 3].map(() => String(r.nextInt(10000)).padStart(4, '0')).join(' ');
    const city = US_CITIES[r.nextInt(US_CITIES.length)];
    const state = US_STATES[r.nextInt(US_STATES.length)];
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return { kind: 'person', id: this.lastBase0PersonId(n) + FIRST_PERSON_ID, name, emailAddress, creditCard, city, state, dateTime, extra: this.extra(r, size, this.config.avgPersonSize) };
  }

  auction(n: number, dateTime: number): Auction {
    const r = this.seeded(n);
    const c = this.config;
    const id = this.lastBase0AuctionId(n) + FIRST_AUCTION_ID;
    const seller = (r.nextInt(c.hotSellerRatio) > 0 ? hot(this.lastBase0PersonId(n)) : this.randomPerson(n, r)) + FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + r.nextInt(NUM_CATEGORIES);
    const initialBid = price(r);
    const expires = dateTime + 1 + r.nextInt(this.auctionLengthBoundMs);
    const itemName = this.text(r, 20);
    const description = this.text(r, 100);
    const reserve = initialBid + price(r);
    const size = 8 * 7 + itemName.length + description.length;
    return { kind: 'auction', id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra: this.extra(r, size, c.avgAuctionSize) };
  }

  bid(n: number, dateTime: number): Bid {
    const r = this.seeded(n);
    const c = this.config;
    const auction = (r.nextInt(c.hotAuctionRatio) > 0 ? hot(this.lastBase0AuctionId(n)) : this.randomAuction(n, r)) + FIRST_AUCTION_ID;
    const bidder = (r.nextInt(c.hotBidderRatio) > 0 ? hot(this.lastBase0PersonId(n)) + 1 : this.randomPerson(n, r)) + FIRST_PERSON_ID;
    return { kind: 'bid', auction, bidder, price: price(r), dateTime, extra: this.extra(r, BID_BASE_SIZE, c.avgBidSize) };
  }

  /** One of the newest active people, or up to PERSON_ID_LEAD beyond the newest (base 0). */
  private randomPerson(n: number, r: JavaRandom): number {
    const people = this.lastBase0PersonId(n) + 1;
    const active = Math.min(people, this.config.activePeople);
    return people - active + r.nextInt(active + PERSON_ID_LEAD);
  }

  /** One of the newest in-flight auctions, or up to AUCTION_ID_LEAD beyond the newest (base 0). */
  private randomAuction(n: number, r: JavaRandom): number {
    const last = this.lastBase0AuctionId(n);
    const min = Math.max(last - this.config.inFlightAuctions, 0);
    return min + r.nextInt(Math.max(0, last - min) + 1 + AUCTION_ID_LEAD);
  }

  /** Padding so that an event of `size` bytes is on average `avg` bytes (uniform within ±20 %). */
  private extra(r: JavaRandom, size: number, avg: number): string {
    if (size >= avg) return '';
    const want = avg - size;
    const delta = Math.round(want * 0.2);
    return this.text(r, want - delta + r.nextInt(2 * delta + 1));
  }

  /** `length` random lowercase letters. */
  private text(r: JavaRandom, length: number): string {
    if (length <= 0) return '';
    if (length >= TEXT_POOL_SIZE) return TEXT_POOL.repeat(Math.ceil(length / TEXT_POOL_SIZE)).slice(0, length);
    const at = r.nextInt(TEXT_POOL_SIZE - length + 1);
    return TEXT_POOL.slice(at, at + length);
  }

  private seeded(n: number): JavaRandom {
    this.random.setSeed(this.seedPart * 0x100000000 + (n % 0x100000000));
    return this.random;
  }
}

/** The hot id of the group an id falls in. */
function hot(base0: number): number {
  return Math.floor(base0 / HOT_GROUP_SIZE) * HOT_GROUP_SIZE;
}

/** A price in cents, log-uniform between 1 and 10^6 dollars. */
function price(r: JavaRandom): number {
  return Math.round(10 ** (r.nextDouble() * 6) * 100);
}

// The Flink job (workloads/flink) must generate the events the embedded Nexmark generator generates, and its
// Q5/Q8 must produce what the batch check computes. This test writes into workloads/flink/src/test/resources/
// (when a file is missing or SPACKER_UPDATE_FIXTURES=1; otherwise it checks that TypeScript still produces it):
// nexmark-events-seed42.csv (the first events of two source subtasks, line by line), nexmark-events-digest.csv
// (a hash over 200000 events of two configurations) and nexmark-<query>-expected.csv (the batch results of the
// runs NexmarkJobTest.java makes). NexmarkGeneratorParityTest.java and NexmarkJobTest.java read the same files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { javaStringHashCode, RateProfile } from '../../../engine/src/index.ts';
import { batchResults } from './batch.ts';
import { DEFAULT_GENERATOR, type GeneratorConfig } from './generator-config.ts';
import { NexmarkGenerator } from './generator.ts';
import type { NexmarkEvent } from './model.ts';
import type { NexmarkParams } from './nexmark.ts';
import { RESULT_FIELDS, resultLine, type ResultQuery } from './result-csv.ts';
import { eventNumber } from './source.ts';

const RESOURCES = new URL('../../flink/src/test/resources/', import.meta.url);

/** Writes `name` when missing or asked to, then checks that it holds `text`. */
function fixture(name: string, text: string): void {
  const path = fileURLToPath(new URL(name, RESOURCES));
  if (process.env.SPACKER_UPDATE_FIXTURES === '1' || !existsSync(path)) writeFileSync(path, text);
  assert.equal(readFileSync(path, 'utf8'), text, `${path} is not what the TypeScript side produces (SPACKER_UPDATE_FIXTURES=1 rewrites it)`);
}

/** An event as one line: its kind and every field in the model's order; long texts as `length:hash`. */
export function eventLine(e: NexmarkEvent): string {
  const h = (s: string): string => `${s.length}:${javaStringHashCode(s)}`;
  switch (e.kind) {
    case 'person':
      return ['person', e.id, e.name, e.emailAddress, e.creditCard, e.city, e.state, e.dateTime, h(e.extra)].join(',');
    case 'auction':
      return ['auction', e.id, e.itemName, h(e.description), e.initialBid, e.reserve, e.dateTime, e.expires, e.seller, e.category, h(e.extra)].join(',');
    case 'bid':
      return ['bid', e.auction, e.bidder, e.price, e.dateTime, h(e.extra)].join(',');
  }
}

/** The configurations of the fixtures; the Java tests pass the same keys. */
const SEED42: GeneratorConfig = { ...DEFAULT_GENERATOR, ratePerSec: 1000, seed: 42 };
const ODD: GeneratorConfig = {
  ratePerSec: 777.5, seed: 5_000_000_123, personProportion: 2, auctionProportion: 5, bidProportion: 20, activePeople: 50,
  inFlightAuctions: 7, hotAuctionRatio: 3, hotBidderRatio: 1, hotSellerRatio: 5, avgPersonSize: 150, avgAuctionSize: 400, avgBidSize: 80,
};
const SOURCES = 2;
const EVENTS_PER_SOURCE = 1000;
const DIGEST_EVENTS = 200_000;

/** `subtask,index,n,offset_ms,<event line>` for the first events of each source subtask. */
function eventsCsv(): string {
  const g = new NexmarkGenerator(SEED42);
  const profile = RateProfile.constant(SEED42.ratePerSec).scaled(SOURCES);
  const lines = ['subtask,index,n,offset_ms,event'];
  for (let s = 0; s < SOURCES; s++) {
    for (let i = 0; i < EVENTS_PER_SOURCE; i++) {
      const n = eventNumber(i, s, SOURCES);
      const offset = profile.timeOf(i);
      lines.push(`${s},${i},${n},${offset.toFixed(3)},${eventLine(g.event(n, Math.floor(offset)))}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Java's `h = 31 * h + line.hashCode()` over the lines of events 0 .. DIGEST_EVENTS - 1 (time = n ms). */
function digest(c: GeneratorConfig): number {
  const g = new NexmarkGenerator(c);
  let h = 0;
  for (let n = 0; n < DIGEST_EVENTS; n++) h = (Math.imul(h, 31) + javaStringHashCode(eventLine(g.event(n, n)))) | 0;
  return h;
}

/** The runs of NexmarkJobTest.java (4 s at 1000 events/s from two source subtasks; windows 1 s, q5 slides 250 ms). */
export function jobTestParams(query: ResultQuery): NexmarkParams {
  return {
    query, runtimeS: 4, eventsPerSec: 1000, parallelism: 2, sourceParallelism: 2, maxParallelism: 128, seed: 42,
    generator: { ...DEFAULT_GENERATOR, ...(query === 'q8' ? { activePeople: 10 } : {}) },
    windowSizeMs: 1000, windowSlideMs: 250, sessionGapMs: 1000, busyWorkMs: 0,
  };
}

describe('workloads > nexmark > java parity', () => {
  it('the first events of two source subtasks, line by line', () => {
    const text = eventsCsv();
    fixture('nexmark-events-seed42.csv', text);
    for (const kind of ['person', 'auction', 'bid']) assert.ok(text.includes(`,${kind},`), `no ${kind} among the fixture's events`);
  });

  it('a hash over 200000 events of the default and of an odd configuration', () => {
    const lines = ['config,events,hash', `seed42,${DIGEST_EVENTS},${digest(SEED42)}`, `odd,${DIGEST_EVENTS},${digest(ODD)}`];
    fixture('nexmark-events-digest.csv', lines.join('\n') + '\n');
  });

  for (const query of ['q5', 'q8'] as const) {
    it(`the batch results of the Java job test's ${query} run`, () => {
      const lines = batchResults(jobTestParams(query)).map((r) => resultLine(query, r)).sort();
      assert.ok(lines.length >= 10, `${query}: only ${lines.length} results; the fixture would test little`);
      fixture(`nexmark-${query}-expected.csv`, [RESULT_FIELDS[query], ...lines].join('\n') + '\n');
    });
  }
});

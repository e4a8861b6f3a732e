// The Flink Stock job (workloads/flink, spacker.flink.stock) must replay what the embedded Stock source replays
// and match as the embedded order book matches. This test writes, when missing or with SPACKER_UPDATE_FIXTURES=1,
// and otherwise checks, the fixtures in workloads/flink/src/test/resources/:
// - stock-orders.csv: the orders of the generator for two configurations (all of PARITY.generator's 4 s, with a
//   burst; the first 300 of a fast one, whose slots take the Poisson's normal branch) and of stock-orders-file.txt
//   as the embedded reader reads it (StockParityTest.java compares the Java source with them);
// - stock-orders-file.txt: an order file with lines the reference skips (short, code X, empty code, CRLF);
// - stock-expected-trades.csv, stock-expected-books.csv: the embedded order book's trades and final books for
//   PARITY.generator's orders (StockJobTest.java compares a MiniCluster run, and a rescaled one, with them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keyGroupOf } from '../../../engine/src/index.ts';
import { generateTape, StockGenerator, type GeneratorParams } from './generator.ts';
import { readOrderFile } from './order-file.ts';
import { END_OF_SLOT, formatLine, SLOT_MS } from './order-record.ts';
import { slotOf, type OrderTape } from './order-tape.ts';
import { BOOKS_HEADER, bookLine, matchTape, TRADES_HEADER, tradeLine } from './match-results.ts';

const RESOURCES = fileURLToPath(new URL('../../flink/src/test/resources/', import.meta.url));

/** The configurations of the fixtures; the Java tests pass the same keys. */
export const PARITY = {
  generator: { seed: 7, durationS: 4, rate: 150, securities: 20, accounts: 200, securitySkew: 1, accountSkew: 0.8, cancelRatio: 0.15 } satisfies GeneratorParams,
  fast: { seed: 11, durationS: 60, rate: 3000, securities: 2000, accounts: 50_000, securitySkew: 1, accountSkew: 0.8, cancelRatio: 0.15 } satisfies GeneratorParams,
  fastOrders: 300,
  maxParallelism: 128,
};

const ORDERS_HEADER = 'config,seq,offset_ms,order_no,code,timestamp,price,executed_volume,volume,security,account,direction';

function orderLines(config: string, tape: OrderTape, limit = Infinity): string[] {
  const out: string[] = [];
  tape.records.forEach((o, seq) => {
    if (seq >= limit) return;
    const offset = slotOf(tape.slotStarts, seq) * SLOT_MS;
    out.push([config, seq, offset, o.orderNo, o.code, o.timestamp, o.price, o.executedVolume, o.volume, o.security, o.account, o.direction].join(','));
  });
  return out;
}

/** An order file: the fast generator's first 3 slots (code X lines included), plus lines the reference skips. */
function orderFileText(): string {
  const g = new StockGenerator(PARITY.fast);
  const lines: string[] = [];
  for (let k = 0; k < 3; k++) {
    const slot = g.nextSlot().map(formatLine);
    if (k === 1) slot.splice(2, 0, '1|A|short line', `2||${'|'.repeat(21)}`, '');
    lines.push(...slot.map((l, i) => (k === 2 && i % 2 === 0 ? `${l}\r` : l)), END_OF_SLOT);
  }
  lines.push(formatLine(g.nextSlot()[0])); // orders after the last `end` form a last slot
  return lines.join('\n') + '\n';
}

/** Writes `text` to the fixture `name` when missing or asked to, then checks the file holds it. */
function fixture(name: string, text: string): void {
  const path = RESOURCES + name;
  if (process.env.SPACKER_UPDATE_FIXTURES === '1' || !existsSync(path)) writeFileSync(path, text);
  assert.equal(readFileSync(path, 'utf8'), text, `${path} is not what the TypeScript side produces (SPACKER_UPDATE_FIXTURES=1 rewrites it)`);
}

describe('stock > java parity fixtures', () => {
  it('stock-orders.csv and stock-orders-file.txt hold what the TypeScript generator and reader give', () => {
    const fileText = orderFileText();
    fixture('stock-orders-file.txt', fileText);
    const read = readOrderFile(RESOURCES + 'stock-orders-file.txt');
    assert.equal(read.report.malformedCount, 0);
    assert.ok(read.report.skipped >= 2, 'the file has lines the reference skips');
    const tape = generateTape(PARITY.generator);
    const lines = [ORDERS_HEADER, ...orderLines('generator', tape), ...orderLines('fast', generateTape(PARITY.fast, 20), PARITY.fastOrders), ...orderLines('file', read.tape)];
    fixture('stock-orders.csv', lines.join('\n') + '\n');
    // The generator's configuration has a burst within its 4 s, and both Poisson branches are taken.
    const g = new StockGenerator(PARITY.generator);
    let burst = false;
    while (g.hasNext) {
      g.nextSlot();
      burst ||= (g as unknown as { burst: { untilS: number } }).burst.untilS > 0;
    }
    assert.ok(burst, 'a burst');
    const perSlot = (t: OrderTape): number => Math.max(...t.slotStarts.slice(1).map((s, k) => s - t.slotStarts[k]));
    assert.ok(perSlot(tape) < 60 && perSlot(generateTape(PARITY.fast, 5)) > 100);
  });

  it('stock-expected-*.csv hold the embedded order book\'s trades and final books', () => {
    const tape = generateTape(PARITY.generator);
    const match = matchTape(tape);
    assert.ok(match.trades.length > 100, `${match.trades.length} trades`);
    assert.ok(match.trades.some((t) => t.index > 0), 'an order filled against several resting orders');
    fixture('stock-expected-trades.csv', [TRADES_HEADER, ...match.trades.map(tradeLine)].join('\n') + '\n');
    const books = [...match.books.values()].sort((a, b) => (a.security < b.security ? -1 : 1));
    fixture('stock-expected-books.csv', [BOOKS_HEADER, ...books.map((b) => bookLine(b, keyGroupOf(b.security, PARITY.maxParallelism)))].join('\n') + '\n');
  });
});

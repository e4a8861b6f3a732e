// flink > stock: the Flink Stock job's check against small hand-made results folders (right, replayed, wrong,
// missing), and what the job's spec refuses before anything runs, each error naming its key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyGroupOf } from '../../../engine/src/index.ts';
import { resolveConfig } from '../config/resolve.ts';
import { parseSetArgs } from '../config/parse.ts';
import { END_OF_SLOT, formatLine, type OrderRecord } from '../../../workloads/src/stock/order-record.ts';
import { TapeBuilder } from '../../../workloads/src/stock/order-tape.ts';
import { BOOKS_HEADER, bookAfter, bookLine, matchTape, TRADES_HEADER, tradeLine, type SecurityBook } from '../../../workloads/src/stock/match-results.ts';
import { checkStockResults } from './stock-check.ts';
import { stockOnFlink } from './jobs/stock.ts';

const MP = 128;
const T = Date.UTC(2024, 0, 2, 9, 30);

function order(orderNo: number, code: string, security: string, direction: 'B' | 'S', price: number, volume: number): OrderRecord {
  return { orderNo, code, timestamp: T, price, executedVolume: 0, volume, security, account: `A${orderNo}`, direction };
}

/** Two securities: on 600000 a buy that takes two asks (a partial fill), on 600001 an order deleted. */
const ORDERS = [
  order(1, 'A', '600000', 'S', 10, 100),
  order(2, 'A', '600000', 'S', 10.5, 200),
  order(3, 'A', '600001', 'B', 5, 100),
  order(4, 'A', '600000', 'B', 10.5, 250),
  order(3, 'D', '600001', 'B', 5, 100),
  order(5, 'A', '600001', 'S', 6, 300),
];

function tape() {
  const b = new TapeBuilder();
  ORDERS.forEach((o, i) => {
    b.add(o);
    if (i % 2 === 1) b.endSlot();
  });
  return b.build();
}

/** Numbers as Java prints doubles (`10.0`), so the check's canonical comparison is exercised. */
const java = (line: string): string => line.replace(/(^|[,: ])(\d+)(?=$|[,: ])/g, (m, sep: string, n: string) => (n.length > 4 ? m : `${sep}${n}.0`));

function withRun(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'stock-check-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, sub: string, file: string, header: string, lines: string[]): void {
  mkdirSync(join(dir, 'results', sub), { recursive: true });
  writeFileSync(join(dir, 'results', sub, file), [header, ...lines].join('\n') + '\n');
}

const books = (list: SecurityBook[]): string[] => list.map((b) => java(bookLine(b, keyGroupOf(b.security, MP))));

/** The right results, in two subtasks' files; `edit` changes them first. */
function rightRun(dir: string, edit: (r: { trades: string[][]; books: string[][] }) => void = () => {}): void {
  const m = matchTape(tape());
  const all = [...m.books.values()];
  const r = { trades: [m.trades.slice(0, 1).map((t) => java(tradeLine(t))), m.trades.slice(1).map((t) => java(tradeLine(t)))], books: [books(all.slice(0, 1)), books(all.slice(1))] };
  edit(r);
  r.trades.forEach((l, i) => write(dir, 'trades', `MatchMaker FlatMap-${i}.csv`, TRADES_HEADER, l));
  r.books.forEach((l, i) => write(dir, join('books', 'final'), `MatchMaker FlatMap-${i}.csv`, BOOKS_HEADER, l));
}

describe('flink > stock check', () => {
  it('finds nothing wrong in the embedded order book\'s own results, and counts replayed trades', () => {
    const m = matchTape(tape());
    assert.equal(m.trades.length, 2);
    withRun((dir) => {
      rightRun(dir, (r) => r.trades[1].push(r.trades[0][0]));
      write(dir, join('books', 'savepoint-3'), 'MatchMaker FlatMap-0.csv', BOOKS_HEADER, books([bookAfter(tape(), m, '600000', 2), bookAfter(tape(), m, '600001', 1)]));
      const c = checkStockResults(dir, tape(), MP);
      assert.deepEqual(c.errors, []);
      assert.deepEqual({ orders: c.orders, expected: c.expectedTrades, lines: c.tradeLines, replayed: c.replayedTrades, securities: c.securities, savepoints: c.savepoints }, { orders: 6, expected: 2, lines: 3, replayed: 1, securities: 2, savepoints: ['savepoint-3'] });
    });
  });

  it('names wrong trades, wrong books and wrong savepoint books', () => {
    withRun((dir) => {
      rightRun(dir, (r) => {
        r.trades[1][0] = r.trades[1][0].replace(',150.0,', ',160.0,');
        r.trades[1].push(r.trades[1][0].replace(/^3\.0,1\.0,/, '3.0,7.0,'));
        r.books[0][0] = r.books[0][0].replace(':50.0:', ':40.0:');
      });
      const m = matchTape(tape());
      const early = bookAfter(tape(), m, '600000', 2);
      write(dir, join('books', 'savepoint-3'), 'MatchMaker FlatMap-0.csv', BOOKS_HEADER, books([{ ...early, orders: 1 }]));
      const c = checkStockResults(dir, tape(), MP);
      assert.equal(c.wrongTrades, 2);
      assert.equal(c.missingTrades, 0, 'a trade of the right name but wrong content counts as wrong, not missing');
      assert.equal(c.wrongBooks, 1);
      assert.equal(c.wrongSavepointBooks, 1);
      assert.match(c.errors.join('\n'), /160.*expected 3,1,600000,10\.5,150/);
      assert.match(c.errors.join('\n'), /3,7,.* is not a trade of the embedded order book/);
      assert.match(c.errors.join('\n'), /final book\(s\) unlike .* 600000/);
      assert.match(c.errors.join('\n'), /savepoint-3: 1 book\(s\) unlike .* 600000 after 1 orders/);
    });
  });

  it('names what is missing: a trade, a book, the final dump, the results', () => {
    withRun((dir) => {
      rightRun(dir, (r) => {
        r.trades[0] = [];
        r.books[1] = [];
      });
      const c = checkStockResults(dir, tape(), MP);
      assert.equal(c.missingTrades, 1);
      assert.equal(c.missingBooks, 1);
      assert.match(c.errors.join('\n'), /1 trade\(s\) missing, e\.g\. 3,0,600000,10,100,4,1,A4,A1/);
      assert.match(c.errors.join('\n'), /1 security book\(s\) missing from the final dump, e\.g\. 600001/);
    });
    withRun((dir) => {
      const c = checkStockResults(dir, tape(), MP);
      assert.match(c.errors.join('\n'), /no trades in .*: the job wrote no results/);
      assert.match(c.errors.join('\n'), /no final books in .*: the job did not reach the end of its input/);
    });
  });

  it('names a security dumped by two subtasks and a wrong key group', () => {
    withRun((dir) => {
      rightRun(dir, (r) => {
        r.books[1].push(r.books[0][0]);
        r.books[0][0] = r.books[0][0].replace(/^600000,[\d.]+,/, '600000,999,');
      });
      const c = checkStockResults(dir, tape(), MP);
      assert.match(c.errors.join('\n'), /security 600000 dumped by two subtasks/);
      assert.match(c.errors.join('\n'), /1 book\(s\) dumped with a key group other than keyGroupOf/);
    });
  });
});

describe('flink > stock spec', () => {
  const config = (...sets: string[]) => resolveConfig([parseSetArgs(['spacker.engine=flink', 'spacker.stock.matching=true', 'spacker.runtime=2', ...sets])]);

  it('refuses what the Flink job cannot honour, naming the key', () => {
    assert.throws(() => stockOnFlink.validate!(config('spacker.stock.matching=false')), /spacker\.stock\.matching/);
    assert.throws(() => stockOnFlink.validate!(config('controller.target.operators=Splitter FlatMap')), /controller\.target\.operators/);
    assert.throws(() => stockOnFlink.validate!(config('spacker.source_parallelism=2')), /spacker\.source_parallelism/);
    stockOnFlink.validate!(config());
    stockOnFlink.validate!(config('controller.target.operators=MatchMaker FlatMap'));
  });

  it('refuses an order file with a malformed line, naming the file and the line', () => {
    withRun((dir) => {
      const file = join(dir, 'orders.txt');
      writeFileSync(file, [formatLine(ORDERS[0]), END_OF_SLOT, formatLine(ORDERS[1]).replace(/\|S$/, '|Q'), END_OF_SLOT].join('\n') + '\n');
      assert.throws(() => stockOnFlink.validate!(config(`spacker.stock.file=${file}`)), (e: Error) => /spacker\.stock\.file/.test(e.message) && e.message.includes(`${file}:3: direction "Q"`));
    });
  });

  it('passes the same total rate at every parallelism, and the file as an absolute path', () => {
    const c = config('spacker.stock.rate=321', 'spacker.stock.file=orders.txt');
    const at = (p: number): Map<string, string> => {
      const a = stockOnFlink.args(c, p, 2);
      return new Map(a.flatMap((x, i) => (i % 2 === 0 ? [[x, a[i + 1]] as [string, string]] : [])));
    };
    assert.equal(at(2).get('--spacker.stock.rate'), '321');
    assert.equal(at(4).get('--spacker.stock.rate'), '321');
    assert.equal(at(4).get('--spacker.parallelism'), '4');
    assert.equal(at(4).get('--spacker.stock.file'), join(process.cwd(), 'orders.txt'));
  });
});

/**
 * Checks a Stock run on Flink (workloads/flink StockJob) against the embedded order book run on the same
 * orders (workloads/src/stock/match-results.ts, matchTape): `results/trades/*.csv` must hold every trade the
 * embedded book makes and no other; `results/books/final/*.csv` every security's final book, once, with its
 * key group; each `results/books/savepoint-<id>/` dump the book of each security after the orders it had
 * applied by then. Together: no order lost or applied twice, and the state carried over every rescale.
 *
 * Replays: a restart from a checkpoint (flink-rescale; any failover) replays the orders after the checkpoint.
 * The book state is restored, so the books are unaffected; but the trades of the replayed orders are written
 * again (the trades file is flushed at every checkpoint and appended to, not transactional). A trade is named
 * by (seq, index): the incoming order's tape index and the trade's index among its trades. A line whose name
 * was already seen with the same content is counted as replayed (`replayedTrades`), not as an error; the same
 * name with other content is an error (the replay matched differently). Reads files only; no Flink.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyGroupOf } from '../../../engine/src/index.ts';
import type { OrderTape } from '../../../workloads/src/stock/order-tape.ts';
import {
  BOOKS_HEADER, bookAfter, bookLine, matchTape, parseBookLine, parseTradeLine, TRADES_HEADER, tradeLine,
  type SecurityBook,
} from '../../../workloads/src/stock/match-results.ts';

/** summary.json's `check` of a Stock run. */
export interface StockCheck {
  orders: number;
  /** Trades the embedded order book makes on these orders. */
  expectedTrades: number;
  /** Trade lines in the files, replays included. */
  tradeLines: number;
  /** Lines that repeat a trade already written (orders replayed after a restart from a checkpoint). */
  replayedTrades: number;
  missingTrades: number;
  /** Trades the embedded book does not make, or that differ from its trade of the same (seq, index). */
  wrongTrades: number;
  securities: number;
  missingBooks: number;
  wrongBooks: number;
  /** Savepoint dumps compared with the embedded book at the same point, and the books that differed. */
  savepoints: string[];
  wrongSavepointBooks: number;
  errors: string[];
}

/** Examples named per kind of error, at most. */
const EXAMPLES = 5;

function csvFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => join(dir, f)) : [];
}

/** Data lines of a results file with their line numbers; a wrong header is an error naming the file. */
function dataLines(file: string, header: string, errors: string[]): { text: string; line: number }[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== header) {
    errors.push(`${file}: header ${JSON.stringify(lines[0])}, expected ${header}`);
    return [];
  }
  return lines.slice(1).map((text, i) => ({ text, line: i + 2 })).filter((l) => l.text !== '' && l.text !== header);
}

/** Reads one books folder: security -> its dumped book; errors for lines that do not parse or repeat a security. */
function readBooks(dir: string, maxParallelism: number, errors: string[]): Map<string, SecurityBook> {
  const out = new Map<string, SecurityBook>();
  let wrongKeyGroup = 0;
  for (const file of csvFiles(dir)) {
    for (const { text, line } of dataLines(file, BOOKS_HEADER, errors)) {
      const parsed = parseBookLine(text);
      if (parsed === undefined) {
        errors.push(`${file}:${line}: not a book line (${BOOKS_HEADER})`);
        continue;
      }
      const { security } = parsed.book;
      if (out.has(security)) errors.push(`${file}:${line}: security ${security} dumped by two subtasks`);
      if (parsed.keyGroup !== keyGroupOf(security, maxParallelism)) wrongKeyGroup++;
      out.set(security, parsed.book);
    }
  }
  if (wrongKeyGroup > 0) errors.push(`${dir}: ${wrongKeyGroup} book(s) dumped with a key group other than keyGroupOf(security)`);
  return out;
}

function examples(list: string[], what: string): string {
  return `${list.length} ${what}, e.g. ${list.slice(0, EXAMPLES).join('; ')}`;
}

/** Compares `runDir/results` with the embedded order book on `tape`. */
export function checkStockResults(runDir: string, tape: OrderTape, maxParallelism: number): StockCheck {
  const errors: string[] = [];
  const match = matchTape(tape);
  const results = join(runDir, 'results');

  const expected = new Map(match.trades.map((t) => [`${t.seq},${t.index}`, tradeLine(t)]));
  const seen = new Map<string, string>();
  let tradeLines = 0;
  let replayed = 0;
  const wrong: string[] = [];
  const tradesDir = join(results, 'trades');
  if (!existsSync(tradesDir)) errors.push(`no trades in ${tradesDir}: the job wrote no results`);
  for (const file of csvFiles(tradesDir)) {
    for (const { text, line } of dataLines(file, TRADES_HEADER, errors)) {
      tradeLines++;
      const t = parseTradeLine(text);
      if (t === undefined) {
        wrong.push(`${file}:${line}: not a trade line`);
        continue;
      }
      const name = `${t.seq},${t.index}`;
      const canonical = tradeLine(t);
      const before = seen.get(name);
      if (before === canonical) {
        replayed++;
        continue;
      }
      if (before !== undefined) wrong.push(`${file}:${line}: trade ${name} written before as ${before}, now ${canonical}`);
      else if (expected.get(name) !== canonical) wrong.push(`${file}:${line}: ${canonical}${expected.has(name) ? `, expected ${expected.get(name)}` : ' is not a trade of the embedded order book'}`);
      seen.set(name, canonical);
    }
  }
  const missing = [...expected].filter(([name]) => !seen.has(name)).map(([, line]) => line);
  if (missing.length > 0) errors.push(examples(missing, 'trade(s) missing'));
  if (wrong.length > 0) errors.push(examples(wrong, 'wrong trade line(s)'));

  const finalDir = join(results, 'books', 'final');
  if (!existsSync(finalDir)) errors.push(`no final books in ${finalDir}: the job did not reach the end of its input`);
  const finalBooks = readBooks(finalDir, maxParallelism, errors);
  const missingBooks: string[] = [];
  const wrongBooks: string[] = [];
  for (const [security, b] of match.books) {
    const got = finalBooks.get(security);
    if (got === undefined) missingBooks.push(security);
    else if (bookLine(got, 0) !== bookLine(b, 0)) wrongBooks.push(`${security}: ${got.orders} orders, ${got.book.trades} trades (expected ${b.orders}, ${b.book.trades})`);
  }
  for (const security of finalBooks.keys()) if (!match.books.has(security)) wrongBooks.push(`${security}: no order of the tape is for it`);
  if (existsSync(finalDir) && missingBooks.length > 0) errors.push(examples(missingBooks, 'security book(s) missing from the final dump'));
  if (wrongBooks.length > 0) errors.push(examples(wrongBooks, 'final book(s) unlike the embedded order book\'s'));

  const booksDir = join(results, 'books');
  const savepoints = existsSync(booksDir) ? readdirSync(booksDir).filter((d) => d.startsWith('savepoint-')).sort() : [];
  let wrongSavepoint = 0;
  for (const sp of savepoints) {
    const bad: string[] = [];
    for (const [security, got] of readBooks(join(booksDir, sp), maxParallelism, errors)) {
      const want = bookAfter(tape, match, security, got.orders);
      if (want.orders !== got.orders || bookLine(got, 0) !== bookLine(want, 0)) bad.push(`${security} after ${got.orders} orders`);
    }
    wrongSavepoint += bad.length;
    if (bad.length > 0) errors.push(`${sp}: ${examples(bad, 'book(s) unlike the embedded order book\'s at the same point')}`);
  }
  return {
    orders: tape.records.length, expectedTrades: match.trades.length, tradeLines, replayedTrades: replayed,
    missingTrades: missing.length, wrongTrades: wrong.length, securities: finalBooks.size, missingBooks: missingBooks.length,
    wrongBooks: wrongBooks.length, savepoints, wrongSavepointBooks: wrongSavepoint, errors,
  };
}

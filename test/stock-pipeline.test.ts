// The Stock job end to end on a manual clock, against a plain sequential computation over the same orders:
// the latest order of every account (Splitter FlatMap), and with matching on the order book of every
// security and every trade (MatchMaker FlatMap), with and without migrations in the middle, under the
// `stock` scenario (16 -> 4 -> 8 -> 6) with Spacker's mixed strategy and under the restart baseline. Every
// record is processed exactly once by every operator. Lives here because engine/ may not import workloads/.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryLatencySink, Job, JobGraph, ManualClock, SCENARIOS, rescale } from '../engine/src/index.ts';
import type { PhaseReport, Strategy } from '../engine/src/index.ts';
import { RecordingFunction, type Seen } from '../engine/test/helpers/manual-job.ts';
import { writePayload } from '../workloads/src/micro-benchmark/stateful-map.ts';
import { buildStock, loadStockTape, type StockParams } from '../workloads/src/stock/stock.ts';
import { applyOrder, emptyBook, type OrderBook, type Trade } from '../workloads/src/stock/order-book.ts';
import { ACCOUNT_OPERATOR, BOOK_STATE, MATCHER_OPERATOR, ORDERS_STATE, type LatestOrder } from '../workloads/src/stock/operators.ts';
import type { OrderTape } from '../workloads/src/stock/order-tape.ts';

const PARAMS: StockParams = {
  runtimeS: 6,
  parallelism: 16,
  sourceParallelism: 1,
  maxParallelism: 256,
  perKeySize: 32,
  busyWorkMs: 0.001,
  matching: false,
  file: '',
  generator: { seed: 7, rate: 250, securities: 40, accounts: 300, securitySkew: 1, accountSkew: 0.8, cancelRatio: 0.2 },
};

/** What the job computes, computed one order after the other. */
interface Expected {
  latest: Map<string, LatestOrder>;
  books: Map<string, OrderBook>;
  trades: Trade[];
}

function sequential(tape: OrderTape, p: StockParams): Expected {
  const latest = new Map<string, LatestOrder>();
  const books = new Map<string, OrderBook>();
  const trades: Trade[] = [];
  tape.records.forEach((o, seq) => {
    const payload = Buffer.alloc(p.perKeySize);
    writePayload(payload, seq);
    latest.set(o.account, { seq, orderNo: o.orderNo, code: o.code, timestamp: o.timestamp, price: o.price, volume: o.volume, executedVolume: o.executedVolume, security: o.security, direction: o.direction, payload });
    if (!p.matching) return;
    let book = books.get(o.security);
    if (book === undefined) books.set(o.security, (book = emptyBook()));
    trades.push(...applyOrder(book, o, seq));
  });
  return { latest, books, trades };
}

/** The same graph with every keyed operator recording what it processes. */
function instrumented(graph: JobGraph, logs: Map<string, Seen[]>, clock: ManualClock): JobGraph {
  const out = new JobGraph();
  for (const v of graph.all()) {
    if (v.kind === 'source' && v.external !== true) out.source(v.name, { parallelism: v.parallelism, profile: v.profile, count: v.count, create: v.create });
    else if (v.kind === 'keyed') {
      const log: Seen[] = [];
      logs.set(v.name, log);
      out.keyed(v.name, { parallelism: v.parallelism, maxParallelism: v.maxParallelism, inputs: v.inputs, create: (s) => new RecordingFunction(s, log, clock, v.create(s)), measureLatency: v.measureLatency });
    } else if (v.kind === 'sink') out.sink(v.name, { parallelism: v.parallelism, from: v.from, consume: v.consume });
    else throw new Error(`${v.name}: an external source has no place in this test`);
  }
  return out;
}

interface Migrations {
  operator: string;
  mode: 'spacker' | 'restart';
  strategy: Strategy;
}

/** Runs the job to its end on a manual clock, with the stock scenario (phases 1 s apart from 1 s) if asked. */
function runJob(p: StockParams, migrations?: Migrations): { job: Job; logs: Map<string, Seen[]>; trades: Trade[]; reports: PhaseReport[]; latencyRecords: number; tape: OrderTape } {
  const loaded = loadStockTape(p);
  const trades: Trade[] = [];
  const built = buildStock({ ...p, measured: migrations?.operator }, loaded, (t) => trades.push(t));
  const clock = new ManualClock();
  const logs = new Map<string, Seen[]>();
  const sink = new InMemoryLatencySink();
  const job = new Job(instrumented(built.graph, logs, clock), { clock, latencySink: sink, checkpointIntervalMs: 100, taskManagers: 4 });
  const layer =
    migrations === undefined
      ? undefined
      : job.attachMigration({
          operator: migrations.operator,
          timers: { timer: () => undefined },
          link: { bandwidthMBps: 0, latencyMs: 1 },
          replicateFilter: migrations.strategy.replicateFilter,
          controller: {
            phases: SCENARIOS.stock.map((ph) => ({ ...ph, atMs: ph.atMs / 10 })),
            context: { maxParallelism: p.maxParallelism, parallelism: p.parallelism, affectedKeys: 0, affectedTasks: 4, zipfSkew: 0, seed: 12345678 },
            strategy: migrations.strategy,
            mechanism: migrations.mode,
            startMs: 1000,
            intervalMs: Infinity,
          },
        });
  job.runUntilIdle();
  while (!job.done) {
    assert.ok(job.elapsedMs() < 60_000, 'the job ends');
    clock.advance(2);
    job.runUntilIdle();
  }
  return { job, logs, trades, reports: layer?.controller?.reports ?? [], latencyRecords: sink.records, tape: loaded.tape };
}

/** Every record once at `operator`, in sequence order per key. */
function assertExactlyOnce(log: readonly Seen[], n: number, operator: string): void {
  assert.equal(log.length, n, `${operator}: records processed`);
  const seqs = log.map((r) => r.seq).sort((a, b) => a - b);
  seqs.forEach((s, i) => assert.equal(s, i, `${operator}: record ${i} exactly once`));
}

function latestState(job: Job): Map<string, LatestOrder> {
  const out = new Map<string, LatestOrder>();
  for (const task of job.keyedTasks(ACCOUNT_OPERATOR)) {
    for (const kg of task.state.ownedKeyGroups()) {
      for (const [key, entry] of task.state.entries(kg, ORDERS_STATE)) {
        const m = entry as Map<string, LatestOrder>;
        assert.deepEqual([...m.keys()], [key], 'the map state of an account holds the account itself');
        assert.ok(!out.has(key as string), `account ${String(key)} held once`);
        out.set(key as string, m.get(key as string) as LatestOrder);
      }
    }
  }
  return out;
}

function bookState(job: Job): Map<string, OrderBook> {
  const out = new Map<string, OrderBook>();
  for (const task of job.keyedTasks(MATCHER_OPERATOR)) {
    for (const kg of task.state.ownedKeyGroups()) {
      for (const [key, book] of task.state.entries(kg, BOOK_STATE)) {
        assert.ok(!out.has(key as string), `security ${String(key)} held once`);
        out.set(key as string, book as OrderBook);
      }
    }
  }
  return out;
}

function assertLatest(actual: Map<string, LatestOrder>, expected: Map<string, LatestOrder>): void {
  assert.equal(actual.size, expected.size, 'accounts with state');
  for (const [account, e] of expected) {
    const a = actual.get(account);
    assert.ok(a !== undefined, `account ${account}`);
    assert.deepEqual({ ...a, payload: Buffer.from(a.payload) }, e, `latest order of ${account}`);
  }
}

function assertBooksAndTrades(run: { job: Job; trades: Trade[] }, expected: Expected): void {
  const books = bookState(run.job);
  assert.equal(books.size, expected.books.size, 'securities with a book');
  for (const [security, e] of expected.books) assert.deepEqual(books.get(security), e, `book of ${security}`);
  const order = (a: Trade, b: Trade): number => a.seq - b.seq || a.index - b.index;
  assert.deepEqual([...run.trades].sort(order), expected.trades, 'every trade once, as the sequential matcher makes them');
}

const SPACKER: Strategy = { order: 'default', syncKeys: 8, replicateFilter: 2, hotRatio: 0, seed: 12345678 };

describe('test > stock pipeline', () => {
  it('the input is substantial: thousands of orders, hundreds of accounts, trades with partial fills', () => {
    const { tape } = loadStockTape(PARAMS);
    const e = sequential(tape, { ...PARAMS, matching: true });
    assert.ok(tape.records.length > 2000, `${tape.records.length} orders`);
    assert.ok(e.latest.size > 200, `${e.latest.size} accounts`);
    assert.ok(e.trades.length > 300, `${e.trades.length} trades`);
    assert.ok(e.trades.some((t) => t.index > 0), 'an order filled against several resting orders');
    assert.ok([...e.books.values()].some((b) => b.bids.length > 0 && b.asks.length > 0), 'books with both sides');
  });

  it('without migration: the latest order of every account, every record exactly once, latency for each', () => {
    const run = runJob(PARAMS);
    const n = run.tape.records.length;
    assertExactlyOnce(run.logs.get(ACCOUNT_OPERATOR) ?? [], n, ACCOUNT_OPERATOR);
    assert.equal(run.latencyRecords, n);
    assertLatest(latestState(run.job), sequential(run.tape, PARAMS).latest);
  });

  it('records are due at their slot: record i of slot k is scheduled k x 50 ms after the start', () => {
    const run = runJob(PARAMS);
    const log = run.logs.get(ACCOUNT_OPERATOR) ?? [];
    const starts = run.tape.slotStarts;
    let k = 0;
    for (const r of [...log].sort((a, b) => a.seq - b.seq)) {
      while (starts[k + 1] <= r.seq) k++;
      assert.equal(r.scheduledMs - run.job.startMs, k * 50, `record ${r.seq}`);
    }
  });

  it('stock scenario on Splitter FlatMap (16 -> 4 -> 8 -> 6, chunks of 8, half replicated): the same state, exactly once', () => {
    const run = runJob(PARAMS, { operator: ACCOUNT_OPERATOR, mode: 'spacker', strategy: SPACKER });
    assert.deepEqual(run.reports.map((r) => r.phase), [0, 1, 2]);
    assert.ok(run.reports.every((r) => r.keyGroups > 0 && r.chunks > 1), JSON.stringify(run.reports.map((r) => [r.keyGroups, r.chunks])));
    assert.ok(run.reports.some((r) => r.replicaRestores > 0), 'replicated key groups restored from replicas');
    assert.deepEqual([...run.job.assignment(ACCOUNT_OPERATOR).table()], [...rescale(256, 16, 6).table()]);
    for (const t of run.job.keyedTasks(ACCOUNT_OPERATOR)) if (t.subtask >= 6) assert.deepEqual(t.state.ownedKeyGroups(), [], `${t.label} is outside the scale`);
    const n = run.tape.records.length;
    assertExactlyOnce(run.logs.get(ACCOUNT_OPERATOR) ?? [], n, ACCOUNT_OPERATOR);
    assertLatest(latestState(run.job), sequential(run.tape, PARAMS).latest);
  });

  it('matching without migration: every book and trade as the sequential matcher, and the latest order per account', () => {
    const p = { ...PARAMS, matching: true };
    const run = runJob(p);
    const n = run.tape.records.length;
    const e = sequential(run.tape, p);
    assertExactlyOnce(run.logs.get(MATCHER_OPERATOR) ?? [], n, MATCHER_OPERATOR);
    assertExactlyOnce(run.logs.get(ACCOUNT_OPERATOR) ?? [], n, ACCOUNT_OPERATOR);
    assertBooksAndTrades(run, e);
    assertLatest(latestState(run.job), e.latest);
  });

  it('matching, stock scenario on MatchMaker FlatMap: the order books migrate with their key groups; books, trades and accounts unchanged', () => {
    const p = { ...PARAMS, matching: true };
    const run = runJob(p, { operator: MATCHER_OPERATOR, mode: 'spacker', strategy: SPACKER });
    assert.deepEqual(run.reports.map((r) => r.phase), [0, 1, 2]);
    assert.ok(run.reports.every((r) => r.bytes > 0), 'books were shipped');
    assert.equal(run.latencyRecords, run.tape.records.length, 'latency measured at the migrating operator');
    assert.deepEqual([...run.job.assignment(MATCHER_OPERATOR).table()], [...rescale(256, 16, 6).table()]);
    const n = run.tape.records.length;
    const e = sequential(run.tape, p);
    assertExactlyOnce(run.logs.get(MATCHER_OPERATOR) ?? [], n, MATCHER_OPERATOR);
    assertExactlyOnce(run.logs.get(ACCOUNT_OPERATOR) ?? [], n, ACCOUNT_OPERATOR);
    assertBooksAndTrades(run, e);
    assertLatest(latestState(run.job), e.latest);
  });

  it('matching, stock scenario all at once on Splitter FlatMap and restart on MatchMaker FlatMap: the same results', () => {
    const p = { ...PARAMS, matching: true };
    const e = sequential(loadStockTape(p).tape, p);
    const once = runJob(p, { operator: ACCOUNT_OPERATOR, mode: 'spacker', strategy: { ...SPACKER, syncKeys: 0, replicateFilter: 0 } });
    assert.ok(once.reports.every((r) => r.chunks === 1));
    assertBooksAndTrades(once, e);
    assertLatest(latestState(once.job), e.latest);
    const restart = runJob(p, { operator: MATCHER_OPERATOR, mode: 'restart', strategy: SPACKER });
    assert.deepEqual(restart.reports.map((r) => r.mechanism), ['restart', 'restart', 'restart']);
    assertExactlyOnce(restart.logs.get(MATCHER_OPERATOR) ?? [], restart.tape.records.length, MATCHER_OPERATOR);
    assertBooksAndTrades(restart, e);
    assertLatest(latestState(restart.job), e.latest);
  });
});

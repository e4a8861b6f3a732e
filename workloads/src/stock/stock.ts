/**
 * The Stock workload (reference 4.3): order records replayed in real time from a file in the Shanghai Stock
 * Exchange format, or from the seeded generator, keyed by account into `Splitter FlatMap` (latest order per
 * account, 0.1 ms of work per record). With matching on, `MatchMaker FlatMap` (keyed by security) matches the
 * orders first and passes them on with their trades. Latency is measured at the operator that migrates.
 */
import { InvalidConfigError, JobGraph } from '../../../engine/src/index.ts';
import type { Collector, SourceFunction } from '../../../engine/src/index.ts';
import { generateTape, type GeneratorParams } from './generator.ts';
import { readOrderFile, type ReadReport } from './order-file.ts';
import { SLOT_MS, type OrderRecord } from './order-record.ts';
import { SlotSchedule, type OrderTape } from './order-tape.ts';
import { ACCOUNT_OPERATOR, LatestOrderPerAccount, MATCHER_OPERATOR, OrderMatcher, type MatchedOrder } from './operators.ts';
import type { Trade } from './order-book.ts';

export interface StockParams {
  /** Seconds replayed: the slots scheduled before `runtimeS`. */
  runtimeS: number;
  parallelism: number;
  sourceParallelism: number;
  maxParallelism: number;
  /** Bytes of payload kept per account. */
  perKeySize: number;
  /** Work per record in `Splitter FlatMap`, ms (0 = the reference's 0.1). */
  busyWorkMs: number;
  /** Whether `MatchMaker FlatMap` matches the orders before `Splitter FlatMap`. */
  matching: boolean;
  /** Order file to replay; empty = the generator. */
  file: string;
  /** The generator's parameters (its duration is the runtime). */
  generator: Omit<GeneratorParams, 'durationS'>;
  /** The operator whose latency is measured (the one that migrates); default `Splitter FlatMap`. */
  measured?: string;
}

/** The reference's work per record. */
export const STOCK_BUSY_WORK_MS = 0.1;

/** The records a job replays: read from the file, or generated. */
export function loadStockTape(p: StockParams): { tape: OrderTape; report?: ReadReport } {
  const maxSlots = Math.ceil((p.runtimeS * 1000) / SLOT_MS);
  if (p.file !== '') return readOrderFile(p.file, { maxSlots });
  return { tape: generateTape({ ...p.generator, durationS: p.runtimeS }, maxSlots) };
}

/** Emits the tape's records: subtask s of p emits records s, s + p, s + 2p, ... */
export class TapeSource implements SourceFunction<OrderRecord> {
  constructor(
    private readonly tape: OrderTape,
    private readonly subtask: number,
    private readonly parallelism: number,
  ) {}

  emit(index: number, _offsetMs: number, out: Collector<OrderRecord>): void {
    out.collect(this.tape.records[index * this.parallelism + this.subtask]);
  }
}

export interface BuiltStock {
  graph: JobGraph;
  operator: string;
  totalRecords: number;
  tape: OrderTape;
  report?: ReadReport;
}

/**
 * Builds the job graph. `onTrade`, when given, receives every trade through a sink after `Splitter FlatMap`
 * (tests; with matching on).
 */
export function buildStock(p: StockParams, loaded: { tape: OrderTape; report?: ReadReport } = loadStockTape(p), onTrade?: (t: Trade) => void): BuiltStock {
  const operators = p.matching ? [MATCHER_OPERATOR, ACCOUNT_OPERATOR] : [ACCOUNT_OPERATOR];
  const measured = p.measured ?? ACCOUNT_OPERATOR;
  if (!operators.includes(measured)) {
    throw new InvalidConfigError('controller.target.operators', measured, `a keyed operator of the stock job: ${operators.join(', ')}${p.matching ? '' : ` (${MATCHER_OPERATOR} runs with spacker.stock.matching=true)`}`);
  }
  const { tape } = loaded;
  const busy = p.busyWorkMs > 0 ? p.busyWorkMs : STOCK_BUSY_WORK_MS;
  const graph = new JobGraph().source<OrderRecord>('Source', {
    parallelism: p.sourceParallelism,
    profile: new SlotSchedule(tape.slotStarts),
    count: tape.records.length,
    create: (subtask, parallelism) => new TapeSource(tape, subtask, parallelism),
  });
  if (p.matching) {
    graph.keyed<OrderRecord, MatchedOrder>(MATCHER_OPERATOR, {
      parallelism: p.parallelism,
      maxParallelism: p.maxParallelism,
      inputs: [{ from: 'Source', key: (o) => (o as OrderRecord).security }],
      create: () => new OrderMatcher(),
      measureLatency: measured === MATCHER_OPERATOR,
    });
  }
  graph.keyed<OrderRecord | MatchedOrder, Trade>(ACCOUNT_OPERATOR, {
    parallelism: p.parallelism,
    maxParallelism: p.maxParallelism,
    inputs: [{ from: p.matching ? MATCHER_OPERATOR : 'Source', key: (v) => ('trades' in (v as MatchedOrder) ? (v as MatchedOrder).order : (v as OrderRecord)).account }],
    create: () => new LatestOrderPerAccount(p.perKeySize, busy),
    measureLatency: measured === ACCOUNT_OPERATOR,
  });
  if (onTrade !== undefined) graph.sink('Trades', { parallelism: 1, from: ACCOUNT_OPERATOR, consume: (t) => onTrade(t as Trade) });
  return { graph, operator: measured, totalRecords: tape.records.length, tape, report: loaded.report };
}

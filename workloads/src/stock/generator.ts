/**
 * A seeded generator of order records in the reference's file format, since the Shanghai Stock Exchange data
 * the reference replays is not public. Its structure follows what such a feed shows:
 *
 * - thousands of securities and accounts with skewed activity (zipf over securities and over accounts);
 * - a rate that varies over the trading day: the session (09:30-11:30, 13:00-15:00) is U-shaped, heavy at
 *   the open, calm at midday, rising again towards the close, with a smaller peak when the afternoon opens;
 * - bursts: now and then, for a second or so, the rate jumps 1.5-3 fold, half of the extra orders on one
 *   security (news);
 * - per security a mid price that walks in ticks of 0.01; buy and sell limit orders around it, a third of
 *   them marketable (they cross the spread), volumes in lots of 100; cancels (code D) of earlier orders;
 *   a few code X lines, which the reader skips as the reference does.
 *
 * The same parameters and seed give the same records, line for line.
 */
import { FastZipf, InvalidConfigError, JavaRandom } from '../../../engine/src/index.ts';
import { SLOT_MS, type Direction, type OrderRecord } from './order-record.ts';
import { TapeBuilder, type OrderTape } from './order-tape.ts';

export interface GeneratorParams {
  seed: number;
  /** Seconds of trading generated, from 09:30:00. */
  durationS: number;
  /** Mean orders per second over the whole trading day. */
  rate: number;
  securities: number;
  accounts: number;
  /** Zipf skew of activity over securities and over accounts. */
  securitySkew: number;
  accountSkew: number;
  /** Share of records that cancel an earlier order. */
  cancelRatio: number;
}

export const GENERATOR_DEFAULTS: Readonly<GeneratorParams> = {
  seed: 12345678,
  durationS: 120,
  rate: 500,
  securities: 2000,
  accounts: 50_000,
  securitySkew: 1,
  accountSkew: 0.8,
  cancelRatio: 0.15,
};

/** Seconds in a trading session (09:30-11:30 and 13:00-15:00). */
export const SESSION_S = 4 * 3600;

/** The allowed range of each parameter: [min, max, integer]. */
export const GENERATOR_RANGES: Readonly<Record<keyof GeneratorParams, readonly [number, number, boolean]>> = {
  seed: [-(2 ** 48), 2 ** 48, true],
  durationS: [1, SESSION_S, true],
  rate: [0.001, 100_000, false],
  securities: [1, 100_000, true],
  accounts: [1, 1_000_000, true],
  securitySkew: [0, 3, false],
  accountSkew: [0, 3, false],
  cancelRatio: [0, 0.9, false],
};

/**
 * Checks every parameter against its range; an error names the parameter (as `names` spells it, e.g. a CLI
 * option or a configuration key), the value and the allowed range.
 */
export function checkGeneratorParams(p: GeneratorParams, names: Partial<Record<keyof GeneratorParams, string>> = {}): void {
  for (const [key, [min, max, integer]] of Object.entries(GENERATOR_RANGES) as [keyof GeneratorParams, readonly [number, number, boolean]][]) {
    const v = p[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
    if (!ok) throw new InvalidConfigError(names[key] ?? key, v, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
}

/** Calendar day of the generated session (a trading day). */
const SESSION_DATE_MS = Date.UTC(2024, 0, 2);
const MORNING_OPEN_S = 9.5 * 3600;
const AFTERNOON_OPEN_S = 13 * 3600;
const TICK = 0.01;
const MARKETABLE = 0.35;
const X_LINES = 0.005;
/** Earlier orders a cancel picks from. */
const RECENT = 4096;

/** Relative intensity at session second `tau` (not normalized). */
function intensity(tau: number): number {
  const open = 1.6 * Math.exp(-tau / 600);
  const afternoon = tau >= SESSION_S / 2 ? 0.5 * Math.exp(-(tau - SESSION_S / 2) / 600) : 0;
  const close = 0.9 * Math.exp(-(SESSION_S - tau) / 900);
  return 1 + open + afternoon + close;
}

/** Mean of `intensity` over the session, so that `rate` is the day's mean. */
const MEAN_INTENSITY = (() => {
  let s = 0;
  for (let t = 0; t < SESSION_S; t++) s += intensity(t + 0.5);
  return s / SESSION_S;
})();

/** The generator's rate at session second `tau`, without bursts (orders/s). */
export function baseRate(rate: number, tau: number): number {
  return (rate * intensity(tau)) / MEAN_INTENSITY;
}

/** Wall-clock time (ms since the epoch, UTC) of session second `tau`: the lunch break is skipped. */
export function sessionTimeMs(tau: number): number {
  const s = tau < SESSION_S / 2 ? MORNING_OPEN_S + tau : AFTERNOON_OPEN_S + (tau - SESSION_S / 2);
  return SESSION_DATE_MS + Math.floor(s) * 1000;
}

interface Resting {
  orderNo: number;
  price: number;
  volume: number;
  security: string;
  account: string;
  direction: Direction;
}

/** Generates the records slot by slot; `nextSlot()` returns one 50 ms slot (code X lines included). */
export class StockGenerator {
  readonly slots: number;
  private slot = 0;
  private readonly random: JavaRandom;
  private readonly securityZipf: FastZipf;
  private readonly accountZipf: FastZipf;
  private readonly mid: Float64Array;
  private nextOrderNo = 1_000_000;
  private readonly recent: Resting[] = [];
  private burst = { untilS: -1, factor: 1, security: 0 };
  private nextBurstS: number;

  constructor(readonly p: GeneratorParams) {
    checkGeneratorParams(p);
    this.slots = Math.ceil((p.durationS * 1000) / SLOT_MS);
    this.random = new JavaRandom(p.seed);
    this.securityZipf = new FastZipf(p.securities, p.securitySkew, 0, p.seed + 1);
    this.accountZipf = new FastZipf(p.accounts, p.accountSkew, 0, p.seed + 2);
    // Mid prices between 3 and 80, log-uniform, to the tick.
    this.mid = Float64Array.from({ length: p.securities }, () => Math.round(3 * Math.pow(80 / 3, this.random.nextDouble()) * 100) / 100);
    this.nextBurstS = this.exponential(15);
  }

  /** Whether slots remain. */
  get hasNext(): boolean {
    return this.slot < this.slots;
  }

  /** The records of the next slot, in order; code X records are lines the reader skips. */
  nextSlot(): OrderRecord[] {
    const tau = (this.slot * SLOT_MS) / 1000;
    this.slot++;
    if (tau >= this.nextBurstS) {
      this.burst = { untilS: tau + Math.min(5, Math.max(0.2, this.exponential(1))), factor: 1.5 + 1.5 * this.random.nextDouble(), security: this.securityZipf.next() };
      this.nextBurstS = this.burst.untilS + this.exponential(15);
    }
    const inBurst = tau < this.burst.untilS;
    const factor = inBurst ? this.burst.factor : 1;
    const n = this.poisson((baseRate(this.p.rate, tau) * factor * SLOT_MS) / 1000);
    const timestamp = sessionTimeMs(tau);
    const out: OrderRecord[] = [];
    for (let i = 0; i < n; i++) {
      const focus = inBurst && this.random.nextDouble() < (0.5 * (factor - 1)) / factor;
      out.push(this.order(focus ? this.burst.security : this.securityZipf.next(), timestamp));
    }
    return out;
  }

  private order(sec: number, timestamp: number): OrderRecord {
    const u = this.random.nextDouble();
    if (u < X_LINES) return { ...this.add(sec, timestamp), code: 'X' };
    if (u < X_LINES + this.p.cancelRatio && this.recent.length > 0) {
      const r = this.recent[this.random.nextInt(this.recent.length)];
      return { orderNo: r.orderNo, code: 'D', timestamp, price: r.price, executedVolume: 0, volume: r.volume, security: r.security, account: r.account, direction: r.direction };
    }
    const rec = this.add(sec, timestamp);
    const resting: Resting = { orderNo: rec.orderNo, price: rec.price, volume: rec.volume, security: rec.security, account: rec.account, direction: rec.direction };
    if (this.recent.length < RECENT) this.recent.push(resting);
    else this.recent[this.random.nextInt(RECENT)] = resting;
    return rec;
  }

  /** A new limit order on security `sec`; moves its mid price a little. */
  private add(sec: number, timestamp: number): OrderRecord {
    const step = this.random.nextDouble();
    let mid = this.mid[sec] + (step < 0.3 ? -TICK : step > 0.7 ? TICK : 0);
    mid = Math.max(TICK, Math.round(mid * 100) / 100);
    this.mid[sec] = mid;
    const direction: Direction = this.random.nextDouble() < 0.5 ? 'B' : 'S';
    const marketable = this.random.nextDouble() < MARKETABLE;
    const ticks = marketable ? this.geometric(0.6) : this.geometric(0.3);
    // A buy below the mid (or above it when marketable), a sell the other way round.
    const sign = (direction === 'B') === marketable ? 1 : -1;
    const price = Math.max(TICK, Math.round((mid + sign * ticks * TICK) * 100) / 100);
    const volume = 100 * (1 + this.geometric(0.2));
    return {
      orderNo: this.nextOrderNo++,
      code: 'A',
      timestamp,
      price,
      executedVolume: 0,
      volume,
      security: String(600000 + sec),
      account: `A${String(100_000_000 + this.accountZipf.next())}`,
      direction,
    };
  }

  /** Failures before the first success, success probability `p`. */
  private geometric(p: number): number {
    let k = 0;
    while (this.random.nextDouble() >= p && k < 50) k++;
    return k;
  }

  private exponential(mean: number): number {
    return -mean * Math.log(1 - this.random.nextDouble());
  }

  /** A Poisson draw: by multiplication for small means, by a rounded normal approximation for large ones. */
  private poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let prod = this.random.nextDouble();
      while (prod > limit) {
        k++;
        prod *= this.random.nextDouble();
      }
      return k;
    }
    const u1 = Math.max(Number.MIN_VALUE, this.random.nextDouble());
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.random.nextDouble());
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
}

/** The generated records of `p` as a tape, without the code X lines (as the reader would leave them). */
export function generateTape(p: GeneratorParams, maxSlots = Infinity): OrderTape {
  const g = new StockGenerator(p);
  const b = new TapeBuilder();
  while (g.hasNext && b.slots < maxSlots) {
    for (const r of g.nextSlot()) if (r.code !== 'X') b.add(r);
    b.endSlot();
  }
  return b.build();
}

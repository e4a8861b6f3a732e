/**
 * Measured records per second of each key group (over the operator's subtasks), over a sliding window of
 * about five seconds: the hotness that hot-first / cold-first ordering and hot replication use.
 */
import type { KeyGroupStats } from '../control/plan.ts';
import type { SubtaskPort } from './ports.ts';

const WINDOW_MS = 5000;
const SAMPLE_MS = 1000;

export class RateMeter {
  private readonly samples: { ms: number; counts: Float64Array }[] = [];

  constructor(private readonly subtasks: readonly SubtaskPort[]) {}

  /** Takes a sample if a second has passed since the last one; returns whether it took one. */
  sample(nowMs: number): boolean {
    const last = this.samples[this.samples.length - 1];
    if (last !== undefined && nowMs - last.ms < SAMPLE_MS) return false;
    this.samples.push({ ms: nowMs, counts: this.totals() });
    while (this.samples.length > 2 && nowMs - this.samples[1].ms >= WINDOW_MS) this.samples.shift();
    return true;
  }

  /** Records per second per key group over the window (0 before two samples exist). */
  rates(): Float64Array {
    const totals = this.totals();
    const first = this.samples[0];
    const out = new Float64Array(totals.length);
    if (first === undefined) return out;
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.ms - first.ms) / 1000;
    if (seconds <= 0) return out;
    for (let kg = 0; kg < out.length; kg++) out[kg] = (last.counts[kg] - first.counts[kg]) / seconds;
    return out;
  }

  private totals(): Float64Array {
    const n = this.subtasks[0]?.recordsPerKeyGroup.length ?? 0;
    const t = new Float64Array(n);
    for (const s of this.subtasks) for (let kg = 0; kg < n; kg++) t[kg] += s.recordsPerKeyGroup[kg];
    return t;
  }
}

/** Statistics whose rates and bytes are computed by `rate` and `bytes` when first read, once each. */
export function lazyStats(rate: () => Float64Array, bytes: () => Float64Array): KeyGroupStats {
  let r: Float64Array | undefined;
  let b: Float64Array | undefined;
  return {
    get rate() {
      return (r ??= rate());
    },
    get bytes() {
      return (b ??= bytes());
    },
  };
}

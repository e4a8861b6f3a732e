/**
 * Latency CCDF of a run: P(latency > x) at log-spaced x, from a log-binned histogram (one pass, constant
 * memory), so a chart carries a couple of hundred points whatever the run's size.
 */
import type { LatencyLog } from '../model.ts';

export interface CcdfPoint {
  latencyMs: number;
  /** Fraction of records with latency > latencyMs. */
  fraction: number;
}

export interface CcdfOptions {
  /** Smallest latency resolved (ms); lower values fall in the first bin. */
  minMs?: number;
  binsPerDecade?: number;
}

export function latencyCcdf(logs: readonly Pick<LatencyLog, 'latencyMs'>[], options: CcdfOptions = {}): CcdfPoint[] {
  const minMs = options.minMs ?? 0.01;
  const perDecade = options.binsPerDecade ?? 40;
  let n = 0;
  let max = 0;
  for (const l of logs) {
    n += l.latencyMs.length;
    for (let i = 0; i < l.latencyMs.length; i++) if (l.latencyMs[i] > max) max = l.latencyMs[i];
  }
  if (n === 0) return [];
  const nBins = Math.max(1, Math.ceil(Math.log10(Math.max(max, minMs) / minMs) * perDecade) + 1);
  const counts = new Float64Array(nBins + 1);
  const scale = perDecade / Math.LN10;
  for (const l of logs) {
    const lat = l.latencyMs;
    for (let i = 0; i < lat.length; i++) {
      const v = lat[i];
      // bin b holds (edge(b-1), edge(b)], edge(b) = minMs * 10^(b / perDecade); bin 0 holds <= minMs
      const b = v <= minMs ? 0 : Math.min(nBins, Math.ceil(Math.log(v / minMs) * scale - 1e-9));
      counts[b]++;
    }
  }
  const out: CcdfPoint[] = [];
  let atOrBelow = 0;
  for (let b = 0; b <= nBins; b++) {
    atOrBelow += counts[b];
    const above = n - atOrBelow;
    out.push({ latencyMs: minMs * Math.pow(10, b / perDecade), fraction: above / n });
    if (above === 0) break;
  }
  return out;
}

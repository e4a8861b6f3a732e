/**
 * Downtime from per-record latency logs: the longest gap between consecutive completed records (all subtasks
 * merged) that overlaps a window (a migration, a rescale). Pure; imports only the results model.
 */
import type { LatencyLog } from '../model.ts';

/** The longest gap between consecutive completed records (all subtasks) that overlaps a window, ms since the run's start. */
export interface Gap { fromMs: number; toMs: number; ms: number }

export function longestGap(logs: readonly Pick<LatencyLog, 'tsMs'>[], window: { startMs: number; endMs: number }): Gap | undefined {
  let n = 0;
  for (const l of logs) n += l.tsMs.length;
  const ts = new Float64Array(n);
  let k = 0;
  for (const l of logs) {
    ts.set(l.tsMs, k);
    k += l.tsMs.length;
  }
  ts.sort();
  let best: Gap | undefined;
  for (let i = 1; i < n; i++) {
    const from = ts[i - 1];
    const to = ts[i];
    if (to < window.startMs || from > window.endMs) continue;
    if (best === undefined || to - from > best.ms) best = { fromMs: from, toMs: to, ms: to - from };
  }
  return best;
}

/**
 * `--quick`, in one place: every run of a family keeps its shape (the same sweep, the same relative timing of
 * migrations and checkpoints, the same key groups, tasks, chunks and strategies) but is scaled down:
 *
 * - time x QUICK.time (0.1): `spacker.runtime` (100 s -> 10 s), `spector.reconfig.start` (50 s -> 5 s),
 *   `spector.reconfig.interval` and `spacker.checkpoint.interval` (1 s -> 100 ms; 0 = off stays off); the two
 *   families of many runs use less: micro-bench-workloads x0.025 (100 s -> 3 s, 120 s -> 3 s),
 *   micro-bench-workloads-order x0.07 (100 s -> 7 s); the start and intervals scale by exactly the runtime's
 *   factor (whole seconds), so migrations happen at the same fraction of the run;
 * - input rate x QUICK.rate (0.1): `spacker.rate.per_task` (5,000 -> 500 rec/s per task), `spacker.stock.rate`
 *   (500 -> 50 orders/s);
 * - keys x QUICK.keys (1/8): `spacker.workload.n_keys` (32,768 -> 4,096), `spacker.stock.accounts` (50,000 ->
 *   6,250);
 * - state per key x QUICK.perKeySize (1/16): `spacker.workload.per_key_size` (32 KiB -> 2 KiB), so the state
 *   shrinks 128-fold (1 GiB -> 8 MiB).
 *
 * - the clocks fixed in jobs and scenarios by `spacker.time_scale` = the same factor: the -order/-overview
 *   jobs' skew (from 50 s / 70 s) and rate switch (70 s), the static/dynamic scenarios' phases (30 s, 60 s
 *   after the first migration).
 */
import type { RunSpec, SetValue } from './types.ts';

export const QUICK = { time: 0.1, rate: 0.1, keys: 1 / 8, perKeySize: 1 / 16 } as const;

/** Keys scaled by time: the exact factor is quick runtime / runtime (the runtime is whole seconds). */
const TIME_KEYS: Record<string, (v: number, f: number) => number> = {
  'spector.reconfig.start': (v, f) => Math.round(v * f),
  'spector.reconfig.interval': (v, f) => Math.max(1, Math.round(v * f)),
  'spacker.checkpoint.interval': (v, f) => (v === 0 ? 0 : Math.max(50, Math.round(v * f))),
};

const SIZE_KEYS: Record<string, (v: number) => number> = {
  'spacker.rate.per_task': (v) => Math.max(1, Math.round(v * QUICK.rate)),
  'spacker.workload.n_keys': (v) => Math.max(1, Math.round(v * QUICK.keys)),
  'spacker.workload.per_key_size': (v) => Math.max(8, Math.round(v * QUICK.perKeySize)),
  'spacker.stock.rate': (v) => Math.max(1, Math.round(v * QUICK.rate)),
  'spacker.stock.accounts': (v) => Math.max(1, Math.round(v * QUICK.keys)),
};

/**
 * The quick version of one run's overrides (numeric values of the scaled keys; everything else unchanged).
 * `time` is the family's time factor: QUICK.time, or less for a family of many runs (workloads: 0.03).
 */
export function quickSets(sets: Readonly<Record<string, SetValue>>, time: number = QUICK.time): Record<string, SetValue> {
  const out: Record<string, SetValue> = { ...sets };
  const runtime = out['spacker.runtime'];
  let f = time;
  if (typeof runtime === 'number') {
    out['spacker.runtime'] = Math.max(2, Math.round(runtime * time));
    f = out['spacker.runtime'] / runtime;
  }
  out['spacker.time_scale'] = f;
  for (const [key, scale] of Object.entries(TIME_KEYS)) {
    const v = out[key];
    if (typeof v === 'number') out[key] = scale(v, f);
  }
  for (const [key, scale] of Object.entries(SIZE_KEYS)) {
    const v = out[key];
    if (typeof v === 'number') out[key] = scale(v);
  }
  return out;
}

/** Applies {@link quickSets} to every run when `quick`. */
export function scaled(runs: RunSpec[], quick: boolean, time: number = QUICK.time): RunSpec[] {
  return quick ? runs.map((r) => ({ ...r, sets: quickSets(r.sets, time) })) : runs;
}

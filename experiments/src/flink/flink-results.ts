/**
 * What a Flink run's own files say, turned into the harness's results: the per-record latency logs the job
 * wrote (latency/<operator>-<subtask>.csv) into series.csv and the latency summary (the same LatencySeries the
 * embedded run's worker uses), the downtime (the longest gap in completed records around the rescale), and the
 * per-key counts (counts/final/, counts/savepoint-<id>/) checked against the records scheduled per key.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyGroupOf, RateProfile } from '../../../engine/src/index.ts';
import { latencyLogsIn } from '../../../analysis/src/read/latency-log.ts';
import type { LatencyLog } from '../../../analysis/src/model.ts';
import { LatencySeries } from '../results/latency-log-series.ts';
import type { LatencyLogSummary } from '../results/latency-log.ts';
import { groupKeysByKeyGroup } from '../../../workloads/src/micro-benchmark/key-space.ts';
import { MicroSource } from '../../../workloads/src/micro-benchmark/micro-source.ts';
import type { MicroBenchmarkParams } from '../../../workloads/src/micro-benchmark/micro-benchmark.ts';

/** A window of the run, ms since its start (the rescale, on the harness's clock). */
export interface Window { startMs: number; endMs: number }

/**
 * Reads every latency log of `runDir/latency`, writes `runDir/series.csv` and returns the latency summary.
 * Records completing inside `window` count as migrating (a rescale moves every key group). The logs are fed
 * second by second across subtasks so that no second is finalized before every subtask has reported it.
 */
export function latencyFromLogs(runDir: string, window: Window | undefined): { summary: LatencyLogSummary; logs: LatencyLog[] } {
  const logs = [...latencyLogsIn(join(runDir, 'latency'))];
  const series = new LatencySeries();
  const bySecond = new Map<number, { log: LatencyLog; idx: number[] }[]>();
  for (const log of logs) {
    const perSecond = new Map<number, number[]>();
    for (let i = 0; i < log.tsMs.length; i++) {
      const s = Math.floor(log.tsMs[i] / 1000);
      let list = perSecond.get(s);
      if (list === undefined) perSecond.set(s, (list = []));
      list.push(i);
    }
    for (const [s, idx] of perSecond) {
      let at = bySecond.get(s);
      if (at === undefined) bySecond.set(s, (at = []));
      at.push({ log, idx });
    }
  }
  for (const s of [...bySecond.keys()].sort((a, b) => a - b)) {
    for (const { log, idx } of bySecond.get(s)!) {
      const n = idx.length;
      const chunk = { operator: log.operator, subtask: log.subtask, size: n, tsMs: new Float64Array(n), keyGroup: new Int32Array(n), latencyMs: new Float64Array(n), migrating: new Uint8Array(n) };
      idx.forEach((i, j) => {
        chunk.tsMs[j] = log.tsMs[i];
        chunk.keyGroup[j] = log.keyGroup[i];
        chunk.latencyMs[j] = log.latencyMs[i];
        chunk.migrating[j] = window !== undefined && log.tsMs[i] >= window.startMs && log.tsMs[i] <= window.endMs ? 1 : 0;
      });
      series.add(chunk);
    }
  }
  const { csv, summary } = series.result();
  writeFileSync(join(runDir, 'series.csv'), csv);
  return { logs, summary };
}

/** The downtime: analysis/src/compute/gaps.ts (the analysis computes it alike for embedded runs). */
export { longestGap, type Gap } from '../../../analysis/src/compute/gaps.ts';

/** Records the Java source schedules strictly before `ms` at `ratePerSec` (workloads/flink Schedule.countBefore). */
export function countBefore(ratePerSec: number, ms: number): number {
  return ms > 0 ? RateProfile.constant(ratePerSec).countBefore(ms) : 0;
}

/** What of the micro-benchmark's parameters decides which keys its sources emit. */
export type MicroShape = Pick<MicroBenchmarkParams, 'runtimeS' | 'perTaskRate' | 'parallelism' | 'sourceParallelism' | 'maxParallelism' | 'nKeys' | 'stateAccessRatio' | 'zipfSkew' | 'seed'>;

/** Records the Flink job's sources emit per key over the whole run (MicroSource.java, MicroKeys.java). */
export function scheduledPerKey(p: MicroShape): Map<string, number> {
  const total = countBefore(p.perTaskRate * p.parallelism, p.runtimeS * 1000);
  const rate = (p.perTaskRate * p.parallelism) / p.sourceParallelism;
  const keys = groupKeysByKeyGroup(p.nKeys, p.maxParallelism);
  const counts = new Map<string, number>();
  for (let s = 0; s < p.sourceParallelism; s++) {
    const share = Math.floor(total / p.sourceParallelism) + (s < total % p.sourceParallelism ? 1 : 0);
    const source = new MicroSource(keys, { seed: p.seed + s, accessSeed: 123456789 + s, zipfSkew: p.zipfSkew, skewFromMs: 0, accessKeyGroups: Math.round((p.maxParallelism * p.stateAccessRatio) / 100) });
    const out = { collect: (_access: boolean, key?: string | number): void => void counts.set(String(key), (counts.get(String(key)) ?? 0) + 1) };
    for (let i = 0; i < share; i++) source.emit(i, (i * 1000) / rate, out);
  }
  return counts;
}

/** key -> { keyGroup, count } of one counts/<label>/ folder (every subtask's file). */
export function readCounts(dir: string): Map<string, { keyGroup: number; count: number }> {
  const out = new Map<string, { keyGroup: number; count: number }>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.csv')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === '') continue;
      const [key, kg, count] = lines[i].split(',');
      if (out.has(key)) throw new Error(`${join(dir, f)} line ${i + 1}: key ${key} is counted by two subtasks`);
      out.set(key, { keyGroup: Number(kg), count: Number(count) });
    }
  }
  return out;
}

/** The per-key check of summary.json's `counts`. */
export interface CountsCheck {
  keys: number;
  scheduledRecords: number;
  countedRecords: number;
  /** Σ over keys of (final count − scheduled) where positive: records the state counted twice. */
  duplicates: number;
  /** Keys scheduled but absent from the final counts or counted fewer times than scheduled. */
  lostKeys: number;
  /** Keys whose final count is below their count in an earlier savepoint's dump. */
  resetKeys: number;
  /** Keys whose dumped key group is not the one the harness computes. */
  wrongKeyGroup: number;
  /** Savepoint dumps compared with the final counts. */
  savepoints: string[];
  errors: string[];
}

export function checkCounts(runDir: string, scheduled: Map<string, number>, maxParallelism: number): CountsCheck {
  const errors: string[] = [];
  const countsDir = join(runDir, 'counts');
  const finalDir = join(countsDir, 'final');
  const final = existsSync(finalDir) ? readCounts(finalDir) : new Map<string, { keyGroup: number; count: number }>();
  if (!existsSync(finalDir)) errors.push(`no final per-key counts in ${finalDir}: the job did not reach the end of its input`);
  let duplicates = 0;
  let lost = 0;
  let wrongKg = 0;
  let counted = 0;
  let scheduledRecords = 0;
  const lostExamples: string[] = [];
  for (const [key, n] of scheduled) {
    scheduledRecords += n;
    const f = final.get(key);
    if (f === undefined || f.count < n) {
      lost++;
      if (lostExamples.length < 5) lostExamples.push(`${key} (scheduled ${n}, counted ${f?.count ?? 0})`);
    } else if (f.count > n) duplicates += f.count - n;
  }
  for (const [key, f] of final) {
    counted += f.count;
    if (!scheduled.has(key)) {
      errors.push(`key ${key} counted ${f.count} times but never scheduled`);
      duplicates += f.count;
    }
    if (f.keyGroup !== keyGroupOf(key, maxParallelism)) wrongKg++;
  }
  if (lost > 0) errors.push(`${lost} key(s) lost: counted fewer times than scheduled, e.g. ${lostExamples.join(', ')}`);
  let reset = 0;
  const savepoints = existsSync(countsDir) ? readdirSync(countsDir).filter((d) => d.startsWith('savepoint-')).sort() : [];
  for (const sp of savepoints) {
    for (const [key, s] of readCounts(join(countsDir, sp))) {
      if ((final.get(key)?.count ?? 0) < s.count) reset++;
    }
  }
  if (reset > 0) errors.push(`${reset} key(s) reset: their final count is below their count in an earlier savepoint`);
  if (wrongKg > 0) errors.push(`${wrongKg} key(s) dumped with a key group other than keyGroupOf(key)`);
  return { keys: final.size, scheduledRecords, countedRecords: counted, duplicates, lostKeys: lost, resetKeys: reset, wrongKeyGroup: wrongKg, savepoints, errors };
}

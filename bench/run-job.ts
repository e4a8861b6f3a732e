// Runs `spacker job micro-benchmark` in a fresh process with the given --set overrides, in a temporary folder
// (or, with `keepIn`, in a new folder under it that stays for a closer look), and returns its summary.json and
// per-second series (all subtasks). Shared by the benchmarks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../experiments/src/run/summary.ts';

export interface BenchRun {
  summary: RunSummary;
  /** Per-second rows of series.csv for subtask `all`: [ts_s, scope, p99]. */
  series: { s: number; scope: string; p99: number; max: number }[];
}

export function runMicroJob(sets: Record<string, string | number | boolean>, job = 'micro-benchmark', keepIn?: string): BenchRun {
  if (keepIn !== undefined) mkdirSync(keepIn, { recursive: true });
  const out = mkdtempSync(join(keepIn ?? tmpdir(), 'spacker-bench-'));
  try {
    const args = ['--import', 'tsx', 'experiments/src/cli/main.ts', 'job', job, '--out', out, '--run', 'bench'];
    for (const [k, v] of Object.entries(sets)) args.push('--set', `${k}=${v}`);
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const dir = join(out, job, 'bench');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    const series = readFileSync(join(dir, 'series.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','))
      .filter((r) => r[1] === 'all')
      .map((r) => ({ s: Number(r[0]), scope: r[2], p99: Number(r[6]), max: Number(r[8]) }));
    return { summary, series };
  } finally {
    if (keepIn === undefined) rmSync(out, { recursive: true, force: true });
    else console.log(`   (run kept in ${join(out, job, 'bench')})`);
  }
}

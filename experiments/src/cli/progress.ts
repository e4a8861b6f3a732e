/**
 * Progress of a running job on the terminal: a cli-progress bar when stderr is a terminal, otherwise a plain
 * line every ten seconds (CI logs stay readable).
 */
import cliProgress from 'cli-progress';
import type { JobProgress } from '../run/run-job.ts';

export interface ProgressView {
  update(p: JobProgress): void;
  stop(): void;
}

export function jobProgress(label: string): ProgressView {
  if (!process.stderr.isTTY) {
    let last = -Infinity;
    return {
      update(p) {
        if (p.elapsedS - last < 10) return;
        last = p.elapsedS;
        console.error(`${label}: ${p.elapsedS.toFixed(0)}/${p.runtimeS} s, ${p.records.toLocaleString('en')} records, state ${(p.stateBytes / 2 ** 20).toFixed(0)} MiB, ${p.phase}`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {elapsed}/{runtime} s | ETA {eta_formatted} | {records} records | state {state} MiB | {phase}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = { elapsed: p.elapsedS.toFixed(0), runtime: p.runtimeS, records: p.records.toLocaleString('en'), state: (p.stateBytes / 2 ** 20).toFixed(0), phase: p.phase };
      if (!started) {
        bar.start(p.runtimeS, 0, payload);
        started = true;
      }
      bar.update(Math.min(p.runtimeS, p.elapsedS), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

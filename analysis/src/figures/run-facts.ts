/** Per-run facts the figures share: migration windows, their timers and spikes. */
import { migrationFigures, migrationTimers, migrationWindows, type MigrationTimers, type MigrationWindow } from '../compute/migrations.ts';
import { overall } from '../compute/series.ts';
import type { Run, SeriesPoint } from '../model.ts';

export interface RunFacts {
  windows: MigrationWindow[];
  timers: MigrationTimers[];
  /** Per migration: max per-second p99 from its start to one second after its end (migrationFigures). */
  spikes: (number | undefined)[];
  /** Per migration: its completion time (migrationFigures: summary.json's, else Σ sync + update). */
  completions: (number | undefined)[];
  /** Max per-second p99 over the whole run (used when a run has no migration windows, e.g. reference logs). */
  runSpike: number | undefined;
}

export function runFacts(run: Run, series: readonly SeriesPoint[]): RunFacts {
  const windows = migrationWindows(run);
  const all = overall(series);
  const timers = migrationTimers(run.timers, windows);
  const figures = migrationFigures(run, series, windows, timers);
  return {
    windows,
    timers,
    spikes: figures.map((f) => f.spikeMs),
    completions: figures.map((f) => f.completionMs),
    runSpike: all.length ? Math.max(...all.map((p) => p.p99)) : undefined,
  };
}

export const firstSpike = (f: RunFacts): number | undefined => f.spikes[0] ?? f.runSpike;

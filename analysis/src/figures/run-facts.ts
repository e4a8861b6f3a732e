/** Per-run facts the figures share: migration windows, their timers and spikes. */
import { migrationTimers, migrationWindows, windowSpike, type MigrationTimers, type MigrationWindow } from '../compute/migrations.ts';
import { overall } from '../compute/series.ts';
import type { Run, SeriesPoint } from '../model.ts';

export interface RunFacts {
  windows: MigrationWindow[];
  timers: MigrationTimers[];
  /** Per migration: max per-second p99 from its start to one second after its end. */
  spikes: (number | undefined)[];
  /** Max per-second p99 over the whole run (used when a run has no migration windows, e.g. reference logs). */
  runSpike: number | undefined;
}

export function runFacts(run: Run, series: readonly SeriesPoint[]): RunFacts {
  const windows = migrationWindows(run);
  const all = overall(series);
  return {
    windows,
    timers: migrationTimers(run.timers, windows),
    spikes: windows.map((w, i) => run.summary?.migrations[i]?.spikeMs ?? windowSpike(series, w)),
    runSpike: all.length ? Math.max(...all.map((p) => p.p99)) : undefined,
  };
}

export const firstSpike = (f: RunFacts): number | undefined => f.spikes[0] ?? f.runSpike;

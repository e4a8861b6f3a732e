/**
 * Regenerates figures: scan the results, build every figure whose runs exist, write `<id>.vl.json` (data
 * inlined), `<id>.svg` and `<id>.png`, and an index (figures.json) that the report reads. Figures whose runs
 * are missing are listed with the npm script that produces them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES } from '../figures/index.ts';
import { scanResults } from '../read/run-folder.ts';
import { readLatencyLog } from '../read/latency-log.ts';
import { seriesFromLogs } from '../compute/series.ts';
import { toSvg, svgToPng } from './render.ts';
import type { FigureContext, FigureDef } from '../figures/figure.ts';
import type { LatencyLog, Problem, Run, SeriesPoint } from '../model.ts';

export interface FigureEntry {
  id: string;
  family: string;
  title: string;
  caption: string;
  files: { spec: string; svg: string; png: string };
  runs: string[];
  renderMs: number;
}

export interface MissingFigure {
  id: string;
  family: string;
  title: string;
  produce: string;
}

export interface FiguresIndex {
  generatedAt: string;
  results: string;
  figures: FigureEntry[];
  missing: MissingFigure[];
  problems: Problem[];
}

/** Context with cached series (series.csv, else recomputed from the logs) and cached logs; bad logs become problems. */
export function makeContext(runs: readonly Run[], problems: Problem[]): FigureContext {
  const logCache = new Map<Run, LatencyLog[]>();
  const seriesCache = new Map<Run, SeriesPoint[]>();
  const logs = (run: Run): LatencyLog[] => {
    let l = logCache.get(run);
    if (!l) {
      l = [];
      for (const f of run.latencyFiles) {
        try {
          const log = readLatencyLog(f);
          if (log.latencyMs.length === 0) problems.push({ path: f, message: 'empty latency log (no records)' });
          else l.push(log);
        } catch (e) {
          problems.push({ path: f, message: e instanceof Error ? e.message : String(e) });
        }
      }
      if (run.latencyFiles.length === 0) problems.push({ path: run.dir, message: 'no latency logs' });
      logCache.set(run, l);
    }
    return l;
  };
  const series = (run: Run): SeriesPoint[] => {
    let s = seriesCache.get(run);
    if (!s) {
      s = run.series.length > 0 ? run.series : seriesFromLogs(logs(run), { origin: run.format === 'reference' ? 'min-bucket' : 'run-start' });
      seriesCache.set(run, s);
    }
    return s;
  };
  return { runs, series, logs };
}

export interface GenerateOptions {
  results: string;
  out: string;
  /** Called before each figure is built (index from 0) and once at the end with `done`. */
  onProgress?: (def: FigureDef, index: number, total: number, status: 'built' | 'missing' | 'failed') => void;
  only?: (def: FigureDef) => boolean;
  /** Write figures.json (the report's index of every figure); false when rendering a subset beside a full set. */
  writeIndex?: boolean;
}

export async function generateFigures(options: GenerateOptions): Promise<FiguresIndex> {
  const { runs, problems } = scanResults(options.results);
  mkdirSync(options.out, { recursive: true });
  const ctx = makeContext(runs, problems);
  const figures: FigureEntry[] = [];
  const missing: MissingFigure[] = [];
  const defs = FIGURES.filter(options.only ?? (() => true));
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    const t0 = performance.now();
    let status: 'built' | 'missing' | 'failed' = 'missing';
    try {
      const fig = def.build(ctx);
      if (fig) {
        const svg = await toSvg(fig.spec);
        const files = { spec: `${fig.id}.vl.json`, svg: `${fig.id}.svg`, png: `${fig.id}.png` };
        writeFileSync(join(options.out, files.spec), JSON.stringify(fig.spec, null, 1));
        writeFileSync(join(options.out, files.svg), svg);
        writeFileSync(join(options.out, files.png), svgToPng(svg));
        figures.push({ id: fig.id, family: fig.family, title: fig.title, caption: fig.caption, files, runs: fig.runs.map((r) => r.dir), renderMs: Math.round(performance.now() - t0) });
        status = 'built';
      } else missing.push({ id: def.id, family: def.family, title: def.title, produce: def.produce });
    } catch (e) {
      status = 'failed';
      problems.push({ path: def.id, message: `figure failed: ${e instanceof Error ? e.message : String(e)}` });
    }
    options.onProgress?.(def, i, defs.length, status);
  }
  const index: FiguresIndex = { generatedAt: new Date().toISOString(), results: options.results, figures, missing, problems };
  if (options.writeIndex !== false) writeFileSync(join(options.out, 'figures.json'), JSON.stringify(index, null, 1));
  return index;
}

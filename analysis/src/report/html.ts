/** The HTML report as a pure function of the figure index and the runs: figures with captions, per-run tables. */
import { COMPARE_METRICS, GOALS, compareCells, isCompareRun, recommend, tieNote } from '../compute/compare.ts';
import { strategyLabel } from '../identify.ts';
import type { FiguresIndex } from '../render/generate.ts';
import type { Run } from '../model.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number | undefined, d = 1): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));

function runTable(runs: readonly Run[]): string {
  const head = '<tr><th>run</th><th>strategy</th><th>records</th><th>throughput (rec/s)</th><th>p99 (ms)</th><th>steady p99 max (ms)</th><th>migrations: spike / mean during scaling / re-stable / completion (ms), key groups, MiB</th></tr>';
  const rows = runs.map((r) => {
    const s = r.summary;
    const migs = (s?.migrations ?? []).map((m) => `${fmt(m.spikeMs)} / ${fmt(m.meanDuringScalingMs, 2)} / ${m.restableMs === null ? 'never' : fmt(m.restableMs, 0)} / ${fmt(m.completionMs)}, ${m.keyGroups ?? '–'} kg, ${fmt((m.bytes ?? NaN) / 2 ** 20)} (${esc(m.mode)}, sync ${m.syncKeys ?? '–'}, filter ${m.replicateFilter ?? '–'}, ${esc(m.order ?? '–')})`);
    return `<tr><td>${esc(r.experiment)}/${esc(r.name)}</td><td>${esc(strategyLabel(r))}</td><td>${s?.records ?? '–'}</td><td>${fmt(s?.throughputRecPerS, 0)}</td><td>${fmt(s?.latencyMs?.p99, 2)}</td><td>${fmt(s?.steadyP99MaxMs, 2)}</td><td>${migs.join('<br>') || '–'}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

/** Which strategy for which workload: the recommendation per goal, from the `spacker compare` runs. */
function recommendations(runs: readonly Run[]): string {
  const recs = recommend(compareCells(runs.filter(isCompareRun)));
  if (recs.length === 0) return '';
  const rows = recs.map((r) => {
    const goal = GOALS.find((g) => g.id === r.goal)?.label ?? r.goal;
    const m = COMPARE_METRICS.find((x) => x.id === r.metric);
    const d = m?.digits ?? 2;
    const note = tieNote(r);
    const tie = note === undefined ? '' : `; ${esc(note)}`;
    const next = r.runnerUp ? `${esc(r.runnerUp.strategy)} (${r.runnerUp.value.toFixed(d)}${tie})` : '–';
    return `<tr><td>${esc(r.workload)}</td><td>${esc(goal)}</td><td><b>${esc(r.strategy)}</b></td><td>${esc(m?.label ?? r.metric)}: ${r.value.toFixed(d)}</td><td>${next}</td></tr>`;
  });
  return `<section id="recommendations"><h2>Which strategy?</h2><p>From the <code>npm run compare</code> runs: per workload, the strategy with the lowest mean for each goal (least overhead = checkpoint and replication time per second, ties by memory).</p><table><tr><th>workload</th><th>goal</th><th>strategy</th><th>its value</th><th>next best</th></tr>${rows.join('')}</table></section>`;
}

/** `figureDir` is the figures folder relative to the report's index.html. */
export function reportHtml(index: FiguresIndex, runs: readonly Run[], figureDir: string): string {
  const families = [...new Set(index.figures.map((f) => f.family))];
  const sections = families.map((fam) => {
    const figs = index.figures
      .filter((f) => f.family === fam)
      .map((f) => `<figure id="${esc(f.id)}"><img src="${esc(`${figureDir}/${f.files.png}`)}" alt="${esc(f.title)}"><figcaption><b>${esc(f.title)}.</b> ${esc(f.caption)} <a href="${esc(`${figureDir}/${f.files.spec}`)}">Vega-Lite spec</a> · <a href="${esc(`${figureDir}/${f.files.svg}`)}">SVG</a></figcaption></figure>`);
    return `<section><h2>${esc(fam)}</h2>${figs.join('\n')}</section>`;
  });
  const missing = index.missing.length
    ? `<section><h2>Not produced (runs missing)</h2><ul>${index.missing.map((m) => `<li>${esc(m.title)} (${esc(m.id)}): <code>npm run ${esc(m.produce)}</code></li>`).join('')}</ul></section>`
    : '';
  const problems = index.problems.length ? `<section><h2>Problems</h2><ul>${index.problems.map((p) => `<li><code>${esc(p.path)}</code>: ${esc(p.message)}</li>`).join('')}</ul></section>` : '';
  const experiments = [...new Set(runs.map((r) => r.experiment))];
  const tables = experiments.map((e) => `<h3>${esc(e)}</h3>${runTable(runs.filter((r) => r.experiment === e))}`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>spacker-ts report</title>
<style>body{font-family:"DejaVu Sans",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#333}table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}</style>
</head><body>
<h1>spacker-ts report</h1>
<p>Generated ${esc(index.generatedAt)} from <code>${esc(index.results)}</code>: ${index.figures.length} figure(s). Latency = completion at the stateful operator minus the record's scheduled emission time; per-second percentiles from HDR histograms; spike = max per-second p99 from a migration's start to one second after its end; mean during scaling = mean latency of the records completed from a migration's start to its end; re-stable = from a migration's start until every later second's p99 stays below 1.2 x the peak per-second p99 of the 10 s before it (never: not before the next migration or the run's last second); completion = Σ over chunks of sync + update.</p>
${recommendations(runs)}
${sections.join('\n')}
${missing}
${problems}
<section><h2>Runs</h2>${tables}</section>
</body></html>
`;
}

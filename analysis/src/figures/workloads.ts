/**
 * Workload sensitivity sweeps (the reference's workloads/breakdown/*): grouped bars of completion time and
 * latency spike per swept workload parameter, one bar per strategy.
 */
import { timerTotals } from '../compute/migrations.ts';
import { KEYS, cfgNum, filterOf, isRestart, orderOf, pickSweep, replicationPercent, scenarioOf, syncOf } from '../identify.ts';
import { describeRuns, type FigureContext, type FigureDef } from './figure.ts';
import { firstSpike, runFacts } from './run-facts.ts';
import { groupedSpec } from './sweep-charts.ts';
import type { Run } from '../model.ts';

const MEASURE =
  'Completion = Σ over the whole run of sync + update + replication (timers.csv; the reference\'s workloads/ convention); spike = max per-second overall p99 from the migration\'s start to one second after its end.';

type Dim = 'batching' | 'ordering' | 'replication';

function chunkLabel(r: Run): string {
  const s = syncOf(r);
  const perTask = cfgNum(r, KEYS.affectedKeys, 512) / Math.max(1, cfgNum(r, KEYS.affectedTasks, 8));
  return s === 0 || s >= perTask ? 'All-at-once' : `Chunk-${s}`;
}

const DIMS: Record<Dim, { key: string; where: (r: Run) => boolean; series: (r: Run) => string; produce: string }> = {
  batching: { key: KEYS.syncKeys, where: (r) => filterOf(r) === 0 && orderOf(r) === 'default', series: chunkLabel, produce: 'exp:micro-bench-workloads' },
  ordering: { key: KEYS.order, where: (r) => syncOf(r) > 0, series: orderOf, produce: 'exp:micro-bench-workloads-order' },
  replication: { key: KEYS.filter, where: (r) => syncOf(r) === 0 && filterOf(r) > 0, series: (r) => `Repl-${replicationPercent(filterOf(r))}%`, produce: 'exp:micro-bench-workloads' },
};

function sweep(dim: Dim, key: string, extraVary: string[], name: string, xTitle: string, label: (r: Run) => string): FigureDef {
  const d = DIMS[dim];
  const id = `workload-${dim}-${name}`;
  const title = `${dim[0].toUpperCase()}${dim.slice(1)} vs ${xTitle.toLowerCase()}`;
  return {
    id,
    family: 'workloads',
    title,
    produce: d.produce,
    build(ctx: FigureContext) {
      const points = pickSweep(ctx.runs, {
        vary: [key, d.key, ...extraVary],
        where: (r) => !isRestart(r) && scenarioOf(r) !== 'dynamic' && d.where(r),
        x: (r) => cfgNum(r, key, 0),
        series: d.series,
        minPerSeries: 2,
      });
      const xs = new Set(points.map((p) => p.x));
      if (xs.size < 2) return undefined;
      const xOrder = [...new Set(points.map((p) => p.x as number))].sort((a, b) => a - b).map((x) => label(points.find((p) => p.x === x)!.run));
      const rows = points.map((p) => {
        const t = timerTotals(p.run.timers);
        return { x: label(p.run), series: p.series, completionMs: t.sync + t.update + t.replication, spikeMs: firstSpike(runFacts(p.run, ctx.series(p.run))) };
      });
      return {
        id,
        family: 'workloads',
        title,
        caption: `${title}: ${key} swept, one bar per ${dim} setting (${d.key}). ${MEASURE} Runs: ${describeRuns(points.map((p) => p.run))}.`,
        spec: groupedSpec(title, xTitle, rows, xOrder),
        runs: points.map((p) => p.run),
      };
    },
  };
}

const kib = (key: string) => (r: Run): string => `${Math.round(cfgNum(r, key, 0) / 1024)}K`;
const plain = (key: string) => (r: Run): string => String(cfgNum(r, key, 0));

export const WORKLOADS: FigureDef[] = [
  sweep('batching', KEYS.maxParallelism, [KEYS.affectedKeys], 'key-groups', 'Key groups', plain(KEYS.maxParallelism)),
  sweep('batching', KEYS.affectedKeys, [], 'keys-to-migrate', 'Key groups to migrate', plain(KEYS.affectedKeys)),
  sweep('batching', KEYS.perKeySize, [], 'state-size', 'State per key', kib(KEYS.perKeySize)),
  sweep('batching', KEYS.rate, [], 'input-rate', 'Input rate per task (rec/s)', plain(KEYS.rate)),
  sweep('ordering', KEYS.rate, [], 'input-rate', 'Input rate per task (rec/s)', plain(KEYS.rate)),
  sweep('ordering', KEYS.zipf, [KEYS.reconfigZipf], 'zipf-skew', 'Zipf skew', plain(KEYS.zipf)),
  sweep('replication', KEYS.accessRatio, [], 'access-ratio', 'State access ratio (%)', plain(KEYS.accessRatio)),
  sweep('replication', KEYS.perKeySize, [], 'state-size', 'State per key', kib(KEYS.perKeySize)),
];

/**
 * Trade-off figures of the planning dimensions (the reference's pareto_curve_*): per run of a sweep, the
 * first migration's Σ sync and Σ update (stacked) and its latency spike on a second axis.
 */
import { KEYS, filterOf, isRestart, isShuffleSpacker, orderOf, pickSweep, replicationPercent, scenarioOf, syncOf, type SweepSpec } from '../identify.ts';
import { cfgNum } from '../identify.ts';
import { describeRuns, type FigureContext, type FigureDef } from './figure.ts';
import { firstSpike, runFacts } from './run-facts.ts';
import { paretoSpec, type ParetoRow } from './sweep-charts.ts';
import type { Run } from '../model.ts';

const MEASURE =
  'Bars: Σ over the chunks of the first migration of sync (barrier injection until aligned everywhere, "Synchronization") and update (snapshot, transfer, install and drain, "Redistribution"), from timers.csv. Line: latency spike = max per-second overall p99 from the migration\'s start to one second after its end (series.csv, HDR histograms).';

function pareto(id: string, title: string, xTitle: string, produce: string, sweep: SweepSpec, label: (r: Run) => string, what: string): FigureDef {
  return {
    id,
    family: 'pareto',
    title,
    produce,
    build(ctx: FigureContext) {
      const points = pickSweep(ctx.runs, sweep);
      if (points.length < 2) return undefined;
      const rows: ParetoRow[] = points.map((p, i) => {
        const f = runFacts(p.run, ctx.series(p.run));
        const t = f.timers[0];
        return { x: label(p.run), order: i, syncMs: t?.syncMs ?? 0, updateMs: t?.updateMs ?? 0, spikeMs: firstSpike(f) };
      });
      return { id, family: 'pareto', title, caption: `${what} ${MEASURE} Runs: ${describeRuns(points.map((p) => p.run))}.`, spec: paretoSpec(title, xTitle, rows), runs: points.map((p) => p.run) };
    },
  };
}

export const PARETO: FigureDef[] = [
  pareto(
    'pareto-chunk-size',
    'Chunk size: completion vs spike',
    'Chunk Size (key groups per source subtask)',
    'exp:micro-bench',
    { vary: [KEYS.syncKeys], where: (r) => isShuffleSpacker(r) && filterOf(r) === 0 && syncOf(r) > 0, x: syncOf },
    (r) => String(syncOf(r)),
    'Shuffle of the affected key groups with spector.reconfig.sync_keys swept (no replication, default order).',
  ),
  pareto(
    'pareto-replication',
    'Replication ratio: completion vs spike',
    'Replicated key groups',
    'exp:micro-bench',
    { vary: [KEYS.filter], where: (r) => isShuffleSpacker(r) && syncOf(r) === 0, x: (r) => -replicationPercent(filterOf(r)) },
    (r) => `Repl-${replicationPercent(filterOf(r))}%`,
    'All-at-once shuffle with spector.replicate_keys_filter swept (kg % f == 0 replicated at every checkpoint).',
  ),
  pareto(
    'pareto-ordering',
    'Prioritization: completion vs spike',
    'Prioritization Method',
    'exp:micro-bench-order',
    { vary: [KEYS.order], where: (r) => !isRestart(r) && scenarioOf(r) !== 'dynamic' && syncOf(r) > 0, x: orderOf },
    orderOf,
    'Fluid migration with spector.reconfig.order_function swept.',
  ),
  pareto(
    'pareto-shuffled-tasks',
    'Shuffled tasks: completion vs spike',
    'Shuffled Tasks',
    'exp:micro-bench-multi-source',
    { vary: [KEYS.affectedTasks, KEYS.affectedKeys], where: isShuffleSpacker, x: (r) => cfgNum(r, KEYS.affectedTasks, 8) },
    (r) => `Shuffle-${cfgNum(r, KEYS.affectedTasks, 8)}`,
    'Shuffle over spector.reconfig.affected_tasks subtasks (affected_keys scaled with it).',
  ),
];

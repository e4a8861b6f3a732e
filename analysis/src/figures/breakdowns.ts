/**
 * Timer breakdowns (the reference's overhead/breakdown/*): per run of a sweep, the whole run's Σ sync,
 * Σ replication (every periodic checkpoint) and Σ update, stacked.
 */
import { timerTotals } from '../compute/migrations.ts';
import { KEYS, cfgNum, filterOf, isRestart, isShuffleSpacker, orderOf, pickSweep, replicationPercent, scenarioOf, syncOf, type SweepSpec } from '../identify.ts';
import { describeRuns, type FigureContext, type FigureDef } from './figure.ts';
import { breakdownSpec } from './sweep-charts.ts';
import type { Run } from '../model.ts';

const MEASURE =
  'Σ over the whole run of each timer (timers.csv): sync ("Synchronization"), replication (duration of every periodic checkpoint, which ships dirty replicated key groups) and update ("Redistribution").';

function breakdown(id: string, title: string, xTitle: string, produce: string, sweep: SweepSpec, label: (r: Run) => string, what: string): FigureDef {
  return {
    id,
    family: 'breakdowns',
    title,
    produce,
    build(ctx: FigureContext) {
      const points = pickSweep(ctx.runs, sweep);
      if (points.length < 2) return undefined;
      const rows = points.map((p) => {
        const t = timerTotals(p.run.timers);
        return { x: label(p.run), syncMs: t.sync, replicationMs: t.replication, updateMs: t.update };
      });
      return { id, family: 'breakdowns', title, caption: `${what} ${MEASURE} Runs: ${describeRuns(points.map((p) => p.run))}.`, spec: breakdownSpec(title, xTitle, rows), runs: points.map((p) => p.run) };
    },
  };
}

export const BREAKDOWNS: FigureDef[] = [
  breakdown('breakdown-sync-keys', 'Time breakdown vs chunk size', 'Sync Keys', 'exp:micro-bench', { vary: [KEYS.syncKeys], where: (r) => isShuffleSpacker(r) && filterOf(r) === 0 && syncOf(r) > 0, x: syncOf }, (r) => String(syncOf(r)), 'Shuffle with spector.reconfig.sync_keys swept.'),
  breakdown('breakdown-replicate-keys', 'Time breakdown vs replication', 'Replicate filter', 'exp:micro-bench', { vary: [KEYS.filter], where: (r) => isShuffleSpacker(r) && syncOf(r) === 0 && filterOf(r) > 0, x: filterOf }, (r) => `Repl-${filterOf(r)} (${replicationPercent(filterOf(r))}%)`, 'All-at-once shuffle with spector.replicate_keys_filter swept.'),
  breakdown('breakdown-order', 'Time breakdown vs order', 'Order function', 'exp:micro-bench-order', { vary: [KEYS.order], where: (r) => !isRestart(r) && scenarioOf(r) !== 'dynamic' && syncOf(r) > 0, x: orderOf }, orderOf, 'Fluid migration with spector.reconfig.order_function swept.'),
  breakdown(
    'breakdown-state-size',
    'Time breakdown vs state size',
    'State per key',
    'exp:micro-bench-workloads',
    { vary: [KEYS.perKeySize], where: (r) => isShuffleSpacker(r) && syncOf(r) === 0 && filterOf(r) === 0, x: (r) => cfgNum(r, KEYS.perKeySize, 0) },
    (r) => `${Math.round(cfgNum(r, KEYS.perKeySize, 0) / 1024)} KiB`,
    'All-at-once shuffle with spacker.workload.per_key_size swept.',
  ),
];

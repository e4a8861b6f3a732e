/**
 * Rhino (Del Monte et al., SIGMOD 2020) on this engine: every key group is replicated at every checkpoint
 * (incrementally: only key groups written since their last replica); a handover marker flows like a barrier
 * and upstream re-routes right after forwarding it (Spacker's executor, all key groups in one chunk); the
 * origin ships only the change since the last replica, and the target restores replica + change, holding
 * the moving key groups' records until then.
 */
import type { MechanismSpec } from '../mechanism.ts';
import { MigrationExecutor } from '../spacker/executor.ts';
import { RHINO_HANDOVER } from './handover.ts';

export const RHINO: MechanismSpec = {
  name: 'rhino',
  doc: 'Rhino: every key group replicated at every checkpoint; one handover marker; the origin ships only the change since the last replica',
  family: 'rhino',
  options: {},
  replicatesAll: true,
  create: (ctx) => {
    for (const s of ctx.subtasks) s.state.trackChanges();
    return new MigrationExecutor(ctx, {
      name: 'rhino',
      // One handover for every move; everything is replicated (the order is Spacker's requested one, immaterial in one chunk).
      strategy: (s) => ({ ...s, syncKeys: 0, replicateFilter: 1, hotRatio: 0 }),
      handover: RHINO_HANDOVER,
    });
  },
};

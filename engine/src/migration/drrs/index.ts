/**
 * DRRS (decoupled, re-routing, subscale rescaling, after the DRRS paper and its artifact on Flink 1.17):
 * per-channel trigger/confirm instead of a global alignment, records re-routed from the old owner once a
 * key group's state left, a bounded buffer at the new owner, key groups pulled one at a time in an adaptive
 * order, moves cut into subscales with at most a few at once per subtask.
 */
import type { MechanismOption, MechanismSpec } from '../mechanism.ts';
import { DrrsMechanism } from './drrs.ts';

const OPTIONS: Record<string, MechanismOption> = {
  buffer_records: {
    kind: 'int',
    default: 200,
    min: 1,
    max: 10_000_000,
    doc: 'records a new owner buffers while they wait for their key group\'s state; when full the subtask stops until a state arrives (artifact: drrs.cache.capacity, 200)',
  },
  subscale_min: { kind: 'int', default: 7, min: 1, max: 65_536, doc: 'key groups per subscale at least: a subscale has max(this, average moves per (source, target) pair / 2)' },
  max_concurrent_subscales: { kind: 'int', default: 2, min: 1, max: 1024, doc: 'subscales in progress at once per subtask (as source or target)' },
};

export const DRRS: MechanismSpec = {
  name: 'drrs',
  doc: 'DRRS: per-channel trigger and confirm, re-routing at the old owner, a bounded buffer at the new owner, adaptive pull order, subscales',
  family: 'drrs',
  options: OPTIONS,
  create: (ctx) => new DrrsMechanism(ctx),
};

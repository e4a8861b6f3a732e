/** The restart baseline: what Flink does to change an assignment (stop, drain, snapshot, redistribute, resume). */
import type { MechanismSpec } from '../mechanism.ts';
import { RestartExecutor } from './restart.ts';

export const RESTART: MechanismSpec = {
  name: 'restart',
  doc: 'stop the sources, drain, snapshot every key group, redistribute, restore, resume (what Flink does)',
  family: 'restart',
  options: {},
  create: (ctx) => new RestartExecutor(ctx),
};

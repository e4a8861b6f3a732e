/**
 * Spacker (ICDCS 2025): the plan decides which key groups move, in what order, in how many chunks and which
 * are replicated beforehand; each chunk switches routing at a reconfiguration barrier, the destinations
 * hold only the chunk's key groups, and state is shipped and installed while everything else runs.
 */
import type { MechanismSpec } from '../mechanism.ts';
import { MigrationExecutor } from './executor.ts';

export const SPACKER: MechanismSpec = {
  name: 'spacker',
  doc: "Spacker's chunked live migration: routing switches per chunk at a barrier, only moving key groups wait (the plan's order, chunk size and replication)",
  family: 'spacker',
  options: {},
  create: (ctx) => new MigrationExecutor(ctx),
};

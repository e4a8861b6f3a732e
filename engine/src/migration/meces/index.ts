/**
 * Meces (Gu et al., USENIX ATC 2022): prioritized state migration; key groups split into bins, routing
 * switched without global alignment, bins fetched on demand (hot first) and in background rounds, borrowed
 * back by the old owner. `meces` blocks the task on a record whose bin is away (the artifact); `meces-set-aside`
 * holds such records and processes other keys meanwhile.
 */
import { BinLayout } from '../../core/bins.ts';
import type { MechanismOption, MechanismSpec } from '../mechanism.ts';
import { MecesMechanism, type MecesWaiting } from './meces.ts';

const OPTIONS: Record<string, MechanismOption> = {
  bins: { kind: 'int', default: 14, min: 0, max: 20, doc: 'bin bits: keys hash into 2^bins bins inside the key groups (14: 16 bins per key group at the default 1024 key groups, the artifact\'s state.numBins = 16)' },
  fetch_batch: { kind: 'int', default: 10, min: 1, max: 4096, doc: 'most key groups one background round fetches, at most one per old owner (the artifact\'s state.batchSize = 10)' },
};

function spec(waiting: MecesWaiting, name: string, doc: string): MechanismSpec {
  return {
    name,
    doc,
    family: 'meces',
    options: OPTIONS,
    check: (o, job) => {
      const why = BinLayout.invalid(o.bins as number, job.maxParallelism);
      return why === undefined ? undefined : { option: 'bins', allowed: `bin bits whose 2^bits bins divide into the ${job.maxParallelism} key groups (${why})` };
    },
    create: (ctx) => new MecesMechanism(ctx, waiting),
  };
}

export const MECES = spec('block', 'meces', 'Meces: routing switched at once, bins fetched on demand (hot first) and in background rounds, borrowed back; a record whose bin is away blocks its task (the artifact)');
export const MECES_SET_ASIDE = spec('set-aside', 'meces-set-aside', 'Meces with records whose bin is away set aside (held per bin and channel) while the task processes other keys');

/**
 * Megaphone (Hoffmann, Lattuada, McSherry et al., VLDB 2019): bins, configuration updates at logical times,
 * state moved through the dataflow; fluid = one bin per step, batched = a maximum matching per step.
 */
import { BinLayout } from '../../core/bins.ts';
import type { MechanismOption, MechanismSpec } from '../mechanism.ts';
import { MegaphoneMechanism, type MegaphonePattern } from './megaphone.ts';

const OPTIONS: Record<string, MechanismOption> = {
  bins: { kind: 'int', default: 12, min: 0, max: 20, doc: 'bin bits: keys hash into 2^bins bins inside the key groups (Megaphone\'s paper runs: 12)' },
  epoch_ms: { kind: 'float', default: 1, min: 0, max: 10_000, doc: 'one step is issued per epoch of this many ms, without waiting for earlier steps (0: all at once, back to back)' },
};

function spec(pattern: MegaphonePattern, doc: string): MechanismSpec {
  return {
    name: `megaphone-${pattern}`,
    doc,
    family: 'megaphone',
    options: OPTIONS,
    check: (o, job) => {
      const why = BinLayout.invalid(o.bins as number, job.maxParallelism);
      return why === undefined ? undefined : { option: 'bins', allowed: `bin bits whose 2^bits bins divide into the ${job.maxParallelism} key groups (${why})` };
    },
    create: (ctx) => new MegaphoneMechanism(ctx, pattern),
  };
}

export const MEGAPHONE_FLUID = spec('fluid', 'Megaphone fluid: one bin per step, steps pipelined one per epoch, the new owner holds only bins in flight');
export const MEGAPHONE_BATCHED = spec('batched', 'Megaphone batched: each step a maximum matching (every subtask sends and receives at most one bin), pipelined');

// Tests of mechanismChoice: the run's mechanism and its options from the configuration, refused before
// anything runs when an option belongs to another mechanism or the bins do not divide into the key groups.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../config/resolve.ts';
import { mechanismChoice } from './migration-setup.ts';

const shape = { maxParallelism: 128, parallelism: 4 };
const config = (values: Record<string, unknown>) => resolveConfig([{ source: '--set', values }]);

describe('run > migration-setup > mechanismChoice', () => {
  it("a mechanism's own options are passed on; another mechanism's option is refused, naming the key and who takes it", () => {
    assert.deepEqual(mechanismChoice(config({ 'spacker.strategy': 'megaphone-fluid', 'spacker.megaphone.bins': 10 }), shape), {
      mechanism: 'megaphone-fluid',
      mechanismOptions: { 'megaphone-fluid': { bins: 10 } },
    });
    assert.throws(() => mechanismChoice(config({ 'spacker.strategy': 'spacker', 'spacker.megaphone.bins': 10 }), shape), /spacker\.megaphone\.bins.*only with spacker.strategy = megaphone-fluid or megaphone-batched/s);
    // At its default value an option selects nothing (a run's config.json lists every key).
    assert.equal(mechanismChoice(config({ 'spacker.strategy': 'spacker', 'spacker.megaphone.bins': 12 }), shape).mechanism, 'spacker');
  });

  it('bins that do not divide into the key groups are refused with the key and what is allowed', () => {
    assert.throws(() => mechanismChoice(config({ 'spacker.strategy': 'megaphone-batched', 'spacker.megaphone.bins': 6 }), shape), /spacker\.megaphone\.bins.*divide into the 128 key groups/s);
    assert.throws(() => mechanismChoice(config({ 'spacker.strategy': 'megaphone' }), shape), /spacker\.strategy.*megaphone-fluid/s);
  });

  it("Meces's bins that do not divide and a Meces option given to another mechanism are refused", () => {
    assert.throws(() => mechanismChoice(config({ 'spacker.strategy': 'meces', 'spacker.meces.bins': 6 }), shape), /spacker\.meces\.bins.*divide into the 128 key groups/s);
    assert.throws(() => mechanismChoice(config({ 'spacker.strategy': 'megaphone-fluid', 'spacker.meces.fetch_batch': 3 }), shape), /spacker\.meces\.fetch_batch.*only with spacker.strategy = meces or meces-set-aside/s);
    assert.deepEqual(mechanismChoice(config({ 'spacker.strategy': 'meces-set-aside', 'spacker.meces.fetch_batch': 3 }), shape), {
      mechanism: 'meces-set-aside',
      mechanismOptions: { 'meces-set-aside': { fetch_batch: 3 } },
    });
  });
});

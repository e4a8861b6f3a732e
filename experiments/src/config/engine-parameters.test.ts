// Issue 17: the engine's errors name its parameters; what the user sees names the configuration key the value
// came from, exactly as before the engine stopped knowing the keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Assignment, InvalidConfigError, InvalidParameterError, mechanismNamed, resolveOptions, scenarioNamed } from '../../../engine/src/index.ts';
import { judgeRequest } from '../run/reconfig-request.ts';
import { PARAMETER_KEYS, configKeyOf, inConfigTerms, withConfigKeys } from './engine-parameters.ts';
import { isConfigKey } from './schema.ts';

describe('config > engine parameters', () => {
  test('every mapped parameter is a configuration key; mechanism options are spacker.<family>.<option>', () => {
    for (const key of Object.values(PARAMETER_KEYS)) assert.ok(isConfigKey(key), key);
    assert.equal(configKeyOf('bins', 'meces-set-aside'), 'spacker.meces.bins');
    assert.equal(configKeyOf('bins', 'megaphone-batched'), 'spacker.megaphone.bins');
    assert.equal(configKeyOf('hotRatio'), 'hotRatio');
  });

  test('the engine names its field; the harness shows the key, with the message as before', () => {
    let engine: unknown;
    assert.throws(() => scenarioNamed('profiling'), (err: unknown) => ((engine = err), true));
    assert.ok(engine instanceof InvalidParameterError && engine.field === 'scenario');
    assert.match(engine.message, /^invalid value for 'scenario': "profiling"/);
    const shown = inConfigTerms(engine);
    assert.ok(shown instanceof InvalidConfigError && shown.key === 'spector.reconfig.scenario');
    assert.equal(shown.message, `invalid value for 'spector.reconfig.scenario': "profiling"; allowed: shuffle, load_balance, load_balance_zipf, static, dynamic, stock`);
    assert.throws(() => withConfigKeys(() => mechanismNamed('megaphone')), /invalid value for 'spacker\.strategy': "megaphone"; allowed: one of spacker, /);
  });

  test("a mechanism option names its key, also where the allowed text lists the mechanism's other options", () => {
    assert.throws(() => resolveOptions(mechanismNamed('meces'), { bins: 21 }), /invalid value for 'mechanismOptions\.meces\.bins': "21"; allowed: a whole number from 0 to 20/);
    assert.throws(() => withConfigKeys(() => resolveOptions(mechanismNamed('meces'), { bins: 21 })), /^InvalidConfigError: invalid value for 'spacker\.meces\.bins': "21"; allowed: a whole number from 0 to 20$/);
    assert.throws(
      () => withConfigKeys(() => resolveOptions(mechanismNamed('meces'), { epoch_ms: 5 })),
      /'spacker\.meces\.epoch_ms': "5"; allowed: an option of megaphone-fluid, megaphone-batched, not of 'meces'; 'meces' takes spacker\.meces\.bins, spacker\.meces\.fetch_batch$/,
    );
  });

  test('a bad value reaching a scenario through a ZooKeeper request is refused naming its key', () => {
    const context = { maxParallelism: 16, parallelism: 4, affectedKeys: -4, affectedTasks: 4, zipfSkew: 1, seed: 1 };
    const strategy = { order: 'default', syncKeys: 1, replicateFilter: 0, hotRatio: 0, seed: 1 } as const;
    const current = Assignment.initial(16, 4);
    const verdict = judgeRequest({ scenario: 'shuffle' }, { current, maxParallelism: 16, parallelism: 4, context, strategy, mechanism: 'spacker' }, 'r1');
    assert.deepEqual(verdict, { ok: false, reason: `scenario 'shuffle' does not apply to this job: invalid value for 'spector.reconfig.affected_keys': -4; allowed: an integer >= 0` });
  });
});

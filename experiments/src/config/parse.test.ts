// Tests of --set parsing and value conversion: one test per validation message (error class, key, value and
// allowed text), the unknown-key suggestions, and the accepted spellings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidConfigError, UnknownKeyError } from '../../../engine/src/index.ts';
import { parseSetArgs, parseValue } from './parse.ts';
import { closestKeys, editDistance } from './suggest.ts';

type ErrorClass = typeof InvalidConfigError | typeof UnknownKeyError;
type Bad = readonly [item: string, cls: ErrorClass, key: string, value: string, allowed: string];
const I = InvalidConfigError;
const U = UnknownKeyError;

const INT_PARALLELISM = 'an integer from 1 to 32768 (tasks)';
const ORDERS = 'one of: default, reverse, random, hot-first, cold-first';
const LIST = 'a non-empty comma-separated list of integers of at least 0 (ms)';
const SCENARIOS = 'one of: shuffle, load_balance, load_balance_zipf, static, dynamic, stock';
const RATE = 'a number greater than 0 (rec/s)';
const PERCENT = 'a number from 0 to 100 (%)';

/** Each row: the --set item, the error class, the key it names, the value and the allowed text it must show. */
const BAD: readonly Bad[] = [
  ['spacker.paralelism=8', U, 'spacker.paralelism', "'spacker.parallelism'", 'spacker config --list'],
  ['parallelism=8', U, 'parallelism', "'spacker.parallelism'", 'spacker config --list'],
  ['spector.reconfig.sync_key=2', U, 'spector.reconfig.sync_key', "'spector.reconfig.sync_keys'", 'did you mean'],
  ['Spacker.Seed=1', U, 'Spacker.Seed', "'spacker.seed'", 'did you mean'],
  ['spacker.workload.bogus=1', U, 'spacker.workload.bogus', "'spacker.workload.n_keys'", 'did you mean'],
  ['totally.unrelated.thing=1', U, 'totally.unrelated.thing', 'no known key is close', 'spacker config --list'],
  ['spacker.runtime=fast', I, 'spacker.runtime', '"fast"', 'an integer of at least 1 (s)'],
  ['spacker.parallelism=1.5', I, 'spacker.parallelism', '"1.5"', INT_PARALLELISM],
  ['spacker.parallelism=12abc', I, 'spacker.parallelism', '"12abc"', INT_PARALLELISM],
  ['spacker.parallelism=', I, 'spacker.parallelism', '""', INT_PARALLELISM],
  ['spacker.parallelism=NaN', I, 'spacker.parallelism', '"NaN"', INT_PARALLELISM],
  ['spacker.parallelism=0x10', I, 'spacker.parallelism', '"0x10"', INT_PARALLELISM],
  ['spacker.parallelism=0', I, 'spacker.parallelism', '"0"', INT_PARALLELISM],
  ['spacker.parallelism=40000', I, 'spacker.parallelism', '"40000"', INT_PARALLELISM],
  ['spacker.max_parallelism=0', I, 'spacker.max_parallelism', '"0"', 'an integer from 1 to 32768 (key groups)'],
  ['spacker.rate.per_task=Infinity', I, 'spacker.rate.per_task', '"Infinity"', RATE],
  ['spacker.rate.per_task=1e400', I, 'spacker.rate.per_task', '"1e400"', RATE],
  ['spacker.rate.per_task=-5', I, 'spacker.rate.per_task', '"-5"', RATE],
  ['spacker.rate.per_task=0', I, 'spacker.rate.per_task', '"0"', RATE],
  ['spacker.workload.per_key_size=0', I, 'spacker.workload.per_key_size', '"0"', 'an integer of at least 1 (bytes)'],
  ['spacker.workload.state_access_ratio=101', I, 'spacker.workload.state_access_ratio', '"101"', PERCENT],
  ['spacker.workload.state_access_ratio=-1', I, 'spacker.workload.state_access_ratio', '"-1"', PERCENT],
  ['spacker.replication.hot_ratio=1.5', I, 'spacker.replication.hot_ratio', '"1.5"', 'a number from 0 to 1'],
  ['spacker.workload.zipf_skew=-0.5', I, 'spacker.workload.zipf_skew', '"-0.5"', 'a number of at least 0'],
  ['spacker.checkpoint.interval=-1', I, 'spacker.checkpoint.interval', '"-1"', 'an integer of at least 0 (ms)'],
  ['spacker.seed=1e20', I, 'spacker.seed', '"1e20"', 'an integer'],
  ['spector.reconfig.sync_keys=-1', I, 'spector.reconfig.sync_keys', '"-1"', 'an integer of at least 0 (key groups)'],
  ['spector.reconfig.order_function=hot_first', I, 'spector.reconfig.order_function', '"hot_first"', ORDERS],
  ['spector.reconfig.scenario=Shuffle', I, 'spector.reconfig.scenario', '"Shuffle"', SCENARIOS],
  ['spacker.strategy=live', I, 'spacker.strategy', '"live"', 'one of: spacker, restart'],
  ['spacker.output.latency_log=yes', I, 'spacker.output.latency_log', '"yes"', 'true or false'],
  ['snapshot.changelog.enabled=1', I, 'snapshot.changelog.enabled', '"1"', 'true or false'],
  ['spacker.output.spector=TRUE', I, 'spacker.output.spector', '"TRUE"', 'true or false'],
  ['spector.reconfig.start=50000,abc', I, 'spector.reconfig.start', '"50000,abc"', LIST],
  ['spector.reconfig.start=5 * 1000', I, 'spector.reconfig.start', '"5 * 1000"', LIST],
  ['spector.reconfig.start=-1', I, 'spector.reconfig.start', '"-1"', LIST],
  ['spector.reconfig.start=1.5,2', I, 'spector.reconfig.start', '"1.5,2"', LIST],
  ['spector.reconfig.start=1,,2', I, 'spector.reconfig.start', '"1,,2"', LIST],
  ['netty.state.transmission.enabled=maybe', I, 'netty.state.transmission.enabled', '"maybe"', 'true or false'],
  ['spector.netty.channel.count=0', I, 'spector.netty.channel.count', '"0"', 'an integer of at least 1'],
  ['jobmanager.rpc.port=70000', I, 'jobmanager.rpc.port', '"70000"', 'an integer from 0 to 65535'],
  ['spacker.parallelism', I, 'spacker.parallelism', '"spacker.parallelism"', 'a key=value pair'],
  ['=8', I, '', '"=8"', 'a key=value pair with a non-empty key'],
  ['  =8', I, '', '"  =8"', 'a key=value pair with a non-empty key'],
];

describe('config > parse > bad input', () => {
  for (const [item, cls, key, value, allowed] of BAD) {
    test(`--set ${JSON.stringify(item)} is refused naming ${JSON.stringify(key)}`, () => {
      assert.throws(
        () => parseSetArgs([item]),
        (err: unknown) => {
          assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
          assert.equal(err.key, key);
          assert.ok(err.message.includes(`'${key}'`), err.message);
          assert.ok(err.message.includes(value), `${err.message} should show ${value}`);
          assert.ok(err.message.includes(allowed), `${err.message} should say ${allowed}`);
          assert.ok(err.message.includes('(from --set)'), err.message);
          return true;
        },
      );
    });
  }

  test('the source named in messages is the one given', () => {
    const fromExperiment = /\(from experiment micro-bench\)/;
    assert.throws(() => parseSetArgs(['spacker.runtime=x'], 'experiment micro-bench'), fromExperiment);
    assert.throws(() => parseValue('spacker.runtime', 'x', 'conf.yaml'), /\(from conf\.yaml\)/);
  });

  test('the first bad item stops parsing', () => {
    assert.throws(() => parseSetArgs(['spacker.seed=1', 'spacker.runtime=0', 'nope=1']), InvalidConfigError);
  });
});

describe('config > parse > accepted input', () => {
  test('trims keys and values and keeps "=" inside the value', () => {
    const { source, values } = parseSetArgs([' spacker.parallelism = 16 ', 'controller.target.operators=a=b, c']);
    assert.equal(source, '--set');
    assert.deepEqual(values, { 'spacker.parallelism': 16, 'controller.target.operators': 'a=b, c' });
  });

  test('converts each kind', () => {
    assert.equal(parseValue('spacker.seed', '-42'), -42);
    assert.equal(parseValue('spacker.runtime', '1e3'), 1000);
    assert.equal(parseValue('spacker.workload.zipf_skew', '.5'), 0.5);
    assert.equal(parseValue('spacker.workload.zipf_skew', '-0'), 0);
    assert.equal(Object.is(parseValue('spacker.workload.zipf_skew', '-0'), 0), true);
    assert.equal(parseValue('spacker.rate.per_task', '0.001'), 0.001);
    assert.equal(parseValue('spacker.workload.state_access_ratio', '0'), 0);
    assert.equal(parseValue('snapshot.changelog.enabled', 'false'), false);
    assert.equal(parseValue('spector.reconfig.order_function', 'cold-first'), 'cold-first');
    assert.deepEqual(parseValue('spector.reconfig.start', '10000, 20000'), [10000, 20000]);
    assert.equal(parseValue('spector.exp.dir', ' /tmp/x '), '/tmp/x');
  });

  test('a later item for the same key wins', () => {
    assert.deepEqual(parseSetArgs(['spacker.seed=1', 'spacker.seed=2']).values, { 'spacker.seed': 2 });
  });
});

describe('config > suggest', () => {
  test('edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('same', 'same'), 0);
  });

  test('at most five suggestions, closest first', () => {
    const close = closestKeys('spacker.workload.x');
    assert.ok(close.length > 0 && close.length <= 5);
    assert.ok(close.every((k) => k.startsWith('spacker.workload.')));
    assert.equal(closestKeys('spector.reconfig.strat')[0], 'spector.reconfig.start');
    assert.deepEqual(closestKeys(''), []);
  });
});

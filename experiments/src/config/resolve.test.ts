// Tests of configuration resolution: defaults, layer order, typed YAML values, explicit(), the checks between
// keys (one test per message), the schema's own consistency and the key listing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidConfigError, UnknownKeyError } from '../../../engine/src/index.ts';
import { COMPAT_KEYS } from './keys-compat.ts';
import { SPACKER_KEYS } from './keys-spacker.ts';
import { NEXMARK_KEYS } from './keys-nexmark.ts';
import { IO_KEYS } from './keys-io.ts';
import { SPECTOR_KEYS } from './keys-spector.ts';
import { STOCK_KEYS } from './keys-stock.ts';
import { MECHANISM_KEYS } from './keys-mechanisms.ts';
import { withConfigKeys } from './engine-parameters.ts';
import { coerceValue, parseSetArgs } from './parse.ts';
import { listKeys, resolveConfig, type ConfigLayer } from './resolve.ts';
import { CONFIG_KEYS, COMPAT_NOTE, SCHEMA } from './schema.ts';

const set = (values: Record<string, unknown>, source = '--set'): ConfigLayer => ({ source, values });

function assertInvalid(layers: ConfigLayer[], key: string, value: string, allowed: string): void {
  assert.throws(
    () => resolveConfig(layers),
    (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError, `expected InvalidConfigError, got ${String(err)}`);
      assert.equal(err.key, key);
      assert.ok(err.message.includes(value), `${err.message} should show ${value}`);
      assert.ok(err.message.includes(allowed), `${err.message} should say ${allowed}`);
      return true;
    },
  );
}

describe('config > resolve > checks between keys', () => {
  test('affected_keys above max_parallelism', () => {
    const key = 'spector.reconfig.affected_keys';
    const layers = [set({ 'spacker.max_parallelism': 128 })];
    const limit = `as ${key} must not exceed spacker.max_parallelism = 128 (from --set)`;
    assertInvalid(layers, key, '(from default): 512', limit);
    assertInvalid(layers, key, '512', 'an integer from 0 to 128 (key groups)');
  });

  test('affected_tasks above parallelism', () => {
    const layers = [set({ 'spacker.parallelism': 4 }, 'conf.yaml'), set({ 'spector.reconfig.affected_tasks': 6 })];
    const limit = 'must not exceed spacker.parallelism = 4 (from conf.yaml)';
    assertInvalid(layers, 'spector.reconfig.affected_tasks', '(from --set): 6', limit);
  });

  test('parallelism above max_parallelism', () => {
    const layers = [
      set({ 'spacker.max_parallelism': 4, 'spector.reconfig.affected_keys': 4, 'spacker.parallelism': 16 }),
    ];
    const allowed =
      'an integer from 1 to 4 (tasks), as spacker.parallelism must not exceed spacker.max_parallelism = 4';
    assertInvalid(layers, 'spacker.parallelism', '16', allowed);
  });

  test('source_parallelism above max_parallelism', () => {
    const layers = [set({ 'spacker.source_parallelism': 2048 })];
    const allowed = 'must not exceed spacker.max_parallelism = 1024 (from default)';
    assertInvalid(layers, 'spacker.source_parallelism', '2048', allowed);
  });

  test('empty spector.reconfig.start, as text or as a YAML list', () => {
    const allowed = 'a non-empty comma-separated list of integers of at least 0 (ms)';
    assertInvalid([set({ 'spector.reconfig.start': '' })], 'spector.reconfig.start', '""', allowed);
    const fromFile = [set({ 'spector.reconfig.start': [] }, 'conf.yaml')];
    assertInvalid(fromFile, 'spector.reconfig.start', '(from conf.yaml)', allowed);
  });
});

describe('config > resolve > typed YAML values', () => {
  const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
    ['spacker.parallelism', true, 'true', 'an integer from 1 to 32768'],
    ['spacker.parallelism', 2.5, '2.5', 'an integer from 1 to 32768'],
    ['spacker.rate.per_task', 0, ': 0;', 'a number greater than 0'],
    ['spacker.rate.per_task', Number.NaN, 'NaN', 'a number greater than 0'],
    ['snapshot.changelog.enabled', 1, ': 1;', 'true or false'],
    ['spector.reconfig.scenario', 3, ': 3;', 'one of: shuffle, load_balance'],
    ['spector.exp.dir', ['a'], ': a;', 'any text'],
    ['spector.reconfig.start', [1000, 'x'], '1000,x', 'comma-separated list of integers'],
    ['spacker.seed', null, ': null;', 'an integer'],
  ];
  for (const [key, value, shown, allowed] of cases) {
    test(`${key}: ${JSON.stringify(value)} is refused`, () => {
      assertInvalid([set({ [key]: value }, 'flink-conf.yaml')], key, shown, allowed);
      assertInvalid([set({ [key]: value }, 'flink-conf.yaml')], key, '(from flink-conf.yaml)', allowed);
    });
  }

  test('an unknown key in a file, nested or not, names the file and suggests', () => {
    for (const values of [{ 'spacker.paralelism': 8 }, { spacker: { paralelism: 8 } }]) {
      assert.throws(
        () => resolveConfig([set(values, 'conf-local/flink-conf.yaml')]),
        (err: unknown) =>
          err instanceof UnknownKeyError &&
          err.key === 'spacker.paralelism' &&
          err.message.includes('(from conf-local/flink-conf.yaml)') &&
          err.message.includes("'spacker.parallelism'"),
      );
    }
  });

  test('typed and text values are both accepted', () => {
    const config = resolveConfig([
      set({
        'spacker.parallelism': '16',
        'spacker.rate.per_task': 2500.5,
        'snapshot.changelog.enabled': 'false',
        'spector.reconfig.start': 10000,
        'spector.exp.dir': 123,
        spacker: { workload: { zipf_skew: 1.5 } },
      }),
      set({ 'spector.reconfig.order_function': 'reverse', 'state.backend.async': true }, 'conf.yaml'),
    ]);
    assert.equal(config.get('spacker.parallelism'), 16);
    assert.equal(config.get('spacker.rate.per_task'), 2500.5);
    assert.equal(config.get('snapshot.changelog.enabled'), false);
    assert.deepEqual(config.get('spector.reconfig.start'), [10000]);
    assert.equal(config.get('spector.exp.dir'), '123');
    assert.equal(config.get('spacker.workload.zipf_skew'), 1.5);
    assert.equal(config.get('spector.reconfig.order_function'), 'reverse');
  });
});

describe('config > resolve > defaults and layers', () => {
  test('no layers gives every default', () => {
    const config = resolveConfig([]);
    for (const key of CONFIG_KEYS) assert.deepEqual(config.get(key), SCHEMA[key].default, key);
    assert.equal(config.get('spacker.parallelism'), 8);
    assert.equal(config.get('spector.reconfig.affected_keys'), 512);
    assert.equal(config.get('spector.reconfig.scenario'), 'shuffle');
    assert.deepEqual(config.get('spector.reconfig.start'), [50000]);
    assert.deepEqual(config.explicit(), []);
    assert.equal(config.sourceOf('spacker.seed'), 'default');
    assert.ok(Object.isFrozen(config.get('spector.reconfig.start')));
  });

  test('later layers win and explicit() lists what layers set, in schema order', () => {
    const config = resolveConfig([
      set({ 'spacker.parallelism': 4, 'spector.reconfig.affected_tasks': 4, 'spacker.seed': 12345678 }, 'conf.yaml'),
      parseSetArgs(['spacker.parallelism=16']),
    ]);
    assert.equal(config.get('spacker.parallelism'), 16);
    assert.deepEqual(config.explicit(), [
      { key: 'spacker.parallelism', value: 16, source: '--set' },
      { key: 'spacker.seed', value: 12345678, source: 'conf.yaml' },
      { key: 'spector.reconfig.affected_tasks', value: 4, source: 'conf.yaml' },
    ]);
  });

  test('the result is frozen, typed and serialisable', () => {
    const config = resolveConfig([set({ 'spector.reconfig.start': '1000,2000' })]);
    assert.ok(Object.isFrozen(config));
    const start = config.get('spector.reconfig.start');
    assert.ok(Object.isFrozen(start));
    const json = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [...CONFIG_KEYS]);
    assert.deepEqual(json['spector.reconfig.start'], [1000, 2000]);
    const order: 'default' | 'reverse' | 'random' | 'hot-first' | 'cold-first' = config.get('spector.reconfig.order_function');
    const parallelism: number = config.get('spacker.parallelism');
    // @ts-expect-error an enum value is not any string
    const wrong: 'reverse' = config.get('spector.reconfig.order_function');
    // The mechanisms are the registry's names, known when it loads: any string to the type.
    const mechanism: string = config.get('spacker.strategy');
    assert.equal(`${order}/${parallelism}/${wrong}/${mechanism}`, 'default/8/default/spacker');
    // @ts-expect-error unknown keys do not compile, and throw if forced
    assert.throws(() => config.get('spacker.nope'), UnknownKeyError);
  });
});

describe('config > schema', () => {
  test('no key is declared twice', () => {
    const total = [SPACKER_KEYS, IO_KEYS, NEXMARK_KEYS, STOCK_KEYS, SPECTOR_KEYS, COMPAT_KEYS, MECHANISM_KEYS].reduce((n, t) => n + Object.keys(t).length, 0);
    assert.equal(CONFIG_KEYS.length, total);
  });

  test('every default passes its own validation', () => {
    for (const key of CONFIG_KEYS) {
      assert.deepEqual(coerceValue(key, SCHEMA[key].default, 'schema'), SCHEMA[key].default, key);
    }
  });

  test('listKeys shows every key with its type, default and doc', () => {
    const text = listKeys();
    for (const key of CONFIG_KEYS) assert.match(text, new RegExp(`^  ${key.replace(/\./g, '\\.')} `, 'm'), key);
    assert.match(text, /spacker\.parallelism\s+int 1\.\.32768\s+8 tasks\s+parallelism of the stateful/);
    assert.match(text, /spector\.reconfig\.start\s+int-list >=0\s+50000 ms/);
    assert.ok(text.includes(COMPAT_NOTE));
    assert.ok(text.includes('one of: default, reverse, random, hot-first, cold-first'));
  });
});

describe('config > mechanism options', () => {
  test("Megaphone's bins must divide into the key groups; an option of another mechanism is refused; both before anything runs", async () => {
    const { MigrationLayer } = await import('../../../engine/src/index.ts');
    const { resolveOptions, mechanismNamed } = await import('../../../engine/src/index.ts');
    assert.ok(MigrationLayer !== undefined);
    assert.throws(() => withConfigKeys(() => resolveOptions(mechanismNamed('megaphone-fluid'), { bins: 12 }, { maxParallelism: 100, parallelism: 4 })), /spacker\.megaphone\.bins.*divide into the 100 key groups/s);
    assert.throws(() => withConfigKeys(() => resolveOptions(mechanismNamed('spacker'), { bins: 12 })), /spacker\.spacker\.bins.*an option of megaphone-fluid, megaphone-batched, meces, meces-set-aside(, [\w-]+)*, not of 'spacker'/s);
    assert.equal(resolveOptions(mechanismNamed('megaphone-batched'), {}, { maxParallelism: 128, parallelism: 4 }).bins, 12);
    assert.ok('spacker.megaphone.bins' in MECHANISM_KEYS && 'spacker.megaphone.epoch_ms' in MECHANISM_KEYS);
  });

  test("DRRS's options are range-checked: a buffer of 0 records, a fractional subscale size, 0 subscales at once are refused with the key", async () => {
    const { resolveOptions, mechanismNamed } = await import('../../../engine/src/index.ts');
    const drrs = mechanismNamed('drrs');
    assert.throws(() => withConfigKeys(() => resolveOptions(drrs, { buffer_records: 0 })), /spacker\.drrs\.buffer_records.*a whole number from 1 to/s);
    assert.throws(() => withConfigKeys(() => resolveOptions(drrs, { subscale_min: 2.5 })), /spacker\.drrs\.subscale_min.*a whole number from 1 to/s);
    assert.throws(() => withConfigKeys(() => resolveOptions(drrs, { max_concurrent_subscales: 0 })), /spacker\.drrs\.max_concurrent_subscales.*a whole number from 1 to/s);
    assert.throws(() => withConfigKeys(() => resolveOptions(drrs, { bins: 4 })), /spacker\.drrs\.bins.*an option of megaphone-fluid, megaphone-batched.*not of 'drrs'/s);
    assert.deepEqual(resolveOptions(drrs, {}), { buffer_records: 200, subscale_min: 7, max_concurrent_subscales: 2 });
    assert.ok('spacker.drrs.buffer_records' in MECHANISM_KEYS && 'spacker.drrs.subscale_min' in MECHANISM_KEYS && 'spacker.drrs.max_concurrent_subscales' in MECHANISM_KEYS);
  });

  test("Meces's options: bins must divide into the key groups, fetch_batch and bins in range; defaults as the artifact's", async () => {
    const { resolveOptions, mechanismNamed } = await import('../../../engine/src/index.ts');
    for (const name of ['meces', 'meces-set-aside']) {
      const spec = mechanismNamed(name);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { bins: 5 }, { maxParallelism: 128, parallelism: 4 })), /spacker\.meces\.bins.*divide into the 128 key groups/s);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { bins: 12 }, { maxParallelism: 100, parallelism: 4 })), /spacker\.meces\.bins.*divide into the 100 key groups/s);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { bins: 21 })), /spacker\.meces\.bins.*a whole number from 0 to 20/s);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { fetch_batch: 0 })), /spacker\.meces\.fetch_batch.*a whole number from 1 to 4096/s);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { fetch_batch: 2.5 })), /spacker\.meces\.fetch_batch/);
      assert.throws(() => withConfigKeys(() => resolveOptions(spec, { epoch_ms: 1 })), /spacker\.meces\.epoch_ms.*an option of megaphone-fluid, megaphone-batched(, [\w-]+)*, not of '/s);
      assert.deepEqual(resolveOptions(spec, {}, { maxParallelism: 1024, parallelism: 4 }), { bins: 14, fetch_batch: 10 });
    }
    assert.ok('spacker.meces.bins' in MECHANISM_KEYS && 'spacker.meces.fetch_batch' in MECHANISM_KEYS);
  });
});

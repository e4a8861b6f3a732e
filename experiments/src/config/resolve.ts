/**
 * Resolves the configuration of a run: defaults, then each layer in order (conf file, experiment, --set), every
 * value validated against the schema, then the checks between keys. The result is frozen and typed.
 */
import { InvalidConfigError, UnknownKeyError } from '../../../engine/src/index.ts';
import { coerceValue } from './parse.ts';
import {
  CONFIG_KEYS,
  SCHEMA,
  describeAllowed,
  isConfigKey,
  specOf,
  type AnyValue,
  type ConfigKey,
  type ConfigValues,
  type ValueOf,
} from './schema.ts';
import { unknownKeyHint } from './suggest.ts';

export { listKeys } from './list-keys.ts';

/** One source of values. YAML values may be typed (numbers, booleans, lists) or text; both are validated. */
export interface ConfigLayer {
  /** Where the values came from ("flink-conf/conf-local/flink-conf.yaml", "--set"), named in errors. */
  readonly source: string;
  /** Key to value; nested plain objects are read as dotted keys (`spacker: {seed: 1}` = `spacker.seed`). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** A key that some layer set, with its final value and the layer that set it last. */
export interface ExplicitSetting {
  readonly key: ConfigKey;
  readonly value: AnyValue;
  readonly source: string;
}

/** The source name given to values that no layer set. */
export const DEFAULT_SOURCE = 'default';

/** A validated, complete, immutable configuration. */
export interface ResolvedConfig {
  /** The value of `key`, typed from the schema: e.g. `get('spacker.parallelism')` is a `number`. */
  get<K extends ConfigKey>(key: K): ValueOf<K>;
  /** The layer that set `key` last, or {@link DEFAULT_SOURCE}. */
  sourceOf(key: ConfigKey): string;
  /** The keys set by some layer, in schema order, with their values and sources. */
  explicit(): readonly ExplicitSetting[];
  /** Every key and its value (a fresh plain object), e.g. for a run's config.json. */
  toJSON(): ConfigValues;
}

/** Keys that may not exceed another key's value: [key, limit]. */
const AT_MOST: ReadonlyArray<readonly [ConfigKey, ConfigKey]> = [
  ['spacker.parallelism', 'spacker.max_parallelism'],
  ['spacker.source_parallelism', 'spacker.max_parallelism'],
  ['spector.reconfig.affected_keys', 'spacker.max_parallelism'],
  ['spector.reconfig.affected_tasks', 'spacker.parallelism'],
];

/**
 * Starts from the schema's defaults, applies `layers` in order (later wins), validates every value and then the
 * relations between keys (parallelism and source parallelism and affected_keys at most max_parallelism,
 * affected_tasks at most parallelism, a non-empty spector.reconfig.start).
 * @throws UnknownKeyError for a key not in the schema; InvalidConfigError for a bad value or relation.
 */
export function resolveConfig(layers: readonly ConfigLayer[]): ResolvedConfig {
  const values = new Map<ConfigKey, AnyValue>();
  const sources = new Map<ConfigKey, string>();
  for (const key of CONFIG_KEYS) values.set(key, freeze(SCHEMA[key].default));
  for (const layer of layers) {
    for (const [key, value] of flatten(layer.values)) {
      const known = requireKey(key, layer.source);
      values.set(known, freeze(coerceValue(known, value, layer.source)));
      sources.set(known, layer.source);
    }
  }
  const sourceOf = (key: ConfigKey): string => sources.get(key) ?? DEFAULT_SOURCE;
  checkRelations((key) => values.get(key) as AnyValue, sourceOf);

  const config: ResolvedConfig = {
    get<K extends ConfigKey>(key: K): ValueOf<K> {
      if (!values.has(key)) throw new UnknownKeyError(key, unknownKeyHint(key), 'ResolvedConfig.get');
      return values.get(key) as ValueOf<K>;
    },
    sourceOf,
    explicit: () =>
      CONFIG_KEYS.filter((key) => sources.has(key)).map((key) => ({
        key,
        value: values.get(key) as AnyValue,
        source: sourceOf(key),
      })),
    toJSON: () => Object.fromEntries(values) as ConfigValues,
  };
  return Object.freeze(config);
}

function checkRelations(get: (key: ConfigKey) => AnyValue, sourceOf: (key: ConfigKey) => string): void {
  for (const [key, limitKey] of AT_MOST) {
    // The Flink engine reads no affected_tasks; scenario rescale (the whole key-group range) neither, nor affected_keys.
    if (key === 'spector.reconfig.affected_tasks' && (get('spacker.engine') === 'flink' || get('spector.reconfig.scenario') === 'rescale')) continue;
    if (key === 'spector.reconfig.affected_keys' && get('spector.reconfig.scenario') === 'rescale') continue;
    const value = get(key) as number;
    const limit = get(limitKey) as number;
    if (value <= limit) continue;
    const spec = specOf(key);
    if (spec.kind !== 'int') throw new TypeError(`${key} is not an int key`);
    const allowed =
      `${describeAllowed({ ...spec, max: limit })}, ` +
      `as ${key} must not exceed ${limitKey} = ${limit} (from ${sourceOf(limitKey)})`;
    throw new InvalidConfigError(key, value, allowed, sourceOf(key));
  }
  // The user's own build is only run by spacker.engine=spacker-on-flink (experiments/src/flink/spacker-on-flink/).
  for (const key of ['spacker.flink.home', 'spacker.flink.testbed_jar'] as const) {
    const engine = get('spacker.engine');
    if (get(key) !== '' && engine !== 'spacker-on-flink') throw new InvalidConfigError(key, get(key), `'' unless spacker.engine=spacker-on-flink (spacker.engine is ${engine}, from ${sourceOf('spacker.engine')})`, sourceOf(key));
  }
  const start = get('spector.reconfig.start') as readonly number[];
  if (start.length === 0) {
    const key = 'spector.reconfig.start';
    throw new InvalidConfigError(key, '', describeAllowed(specOf(key)), sourceOf(key));
  }
}

function requireKey(key: string, source: string): ConfigKey {
  if (!isConfigKey(key)) throw new UnknownKeyError(key, unknownKeyHint(key), source);
  return key;
}

/** Lists are frozen so that a resolved configuration cannot be changed through a value it returned. */
function freeze(value: AnyValue): AnyValue {
  return Array.isArray(value) ? Object.freeze([...value]) : value;
}

/** Yields [dotted key, value] pairs; plain objects nest (YAML maps), anything else is a value. */
function* flatten(values: Readonly<Record<string, unknown>>, prefix = ''): Generator<[string, unknown]> {
  for (const [key, value] of Object.entries(values)) {
    const path = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      yield* flatten(value as Record<string, unknown>, `${path}.`);
    } else {
      yield [path, value];
    }
  }
}

/**
 * The one table of every configuration key (reference `spector.*` keys, our `spacker.*` keys and the Flink keys
 * accepted for compatibility), the types derived from it, and the wording of what each key allows.
 */
import { COMPAT_KEYS } from './keys-compat.ts';
import { NEXMARK_KEYS } from './keys-nexmark.ts';
import { IO_KEYS } from './keys-io.ts';
import { MECHANISM_KEYS } from './keys-mechanisms.ts';
import { SPACKER_KEYS } from './keys-spacker.ts';
import { SPECTOR_KEYS } from './keys-spector.ts';
import { STOCK_KEYS } from './keys-stock.ts';
import type { KeySpec, SpecValue } from './schema-types.ts';

export type { AnyValue, KeyKind, KeySpec } from './schema-types.ts';
export { formatValue } from './schema-types.ts';

/**
 * Every configuration key and its declaration. Declared `as const` so that {@link ValueOf} can give each key its
 * exact value type (e.g. the union of an enum's words).
 */
export const SCHEMA = { ...SPACKER_KEYS, ...(MECHANISM_KEYS as object), ...IO_KEYS, ...NEXMARK_KEYS, ...STOCK_KEYS, ...SPECTOR_KEYS, ...COMPAT_KEYS } as const;

/** The name of a configuration key. */
export type ConfigKey = keyof typeof SCHEMA;

/** The type of the value of key `K`: `number`, `boolean`, `string`, an enum's word union or `readonly number[]`. */
export type ValueOf<K extends ConfigKey> = SpecValue<(typeof SCHEMA)[K]>;

/** Every key with its value: the shape of a fully resolved configuration. */
export type ConfigValues = { readonly [K in ConfigKey]: ValueOf<K> };

/** All key names in table order: `spacker.*`, then the reference's keys, then the compatibility keys. */
export const CONFIG_KEYS: readonly ConfigKey[] = Object.keys(SCHEMA) as ConfigKey[];

const KEY_SET: ReadonlySet<string> = new Set(CONFIG_KEYS);

/** Whether `key` names a configuration key. */
export function isConfigKey(key: string): key is ConfigKey {
  return KEY_SET.has(key);
}

/** The declaration of `key`, widened to the common {@link KeySpec} shape. */
export function specOf(key: ConfigKey): KeySpec {
  return SCHEMA[key];
}

/** The note appended to the doc of every key accepted only for compatibility. */
export const COMPAT_NOTE = 'accepted for compatibility, no effect in this engine';

/** The one-line doc of `key`, with {@link COMPAT_NOTE} for compatibility keys. */
export function docOf(key: ConfigKey): string {
  const spec = specOf(key);
  return spec.compat ? `${spec.doc} (${COMPAT_NOTE})` : spec.doc;
}

/**
 * What `spec` allows, in words, as used in error messages and listings: "an integer from 1 to 32768",
 * "a number greater than 0", "true or false", "one of: a, b".
 */
export function describeAllowed(spec: KeySpec): string {
  const unit = spec.unit ? ` (${spec.unit})` : '';
  switch (spec.kind) {
    case 'int':
      return `an integer${describeRange(spec.min, false, spec.max)}${unit}`;
    case 'float':
      return `a number${describeRange(spec.min, spec.minExclusive ?? false, spec.max)}${unit}`;
    case 'bool':
      return 'true or false';
    case 'string':
      return 'any text';
    case 'enum':
      return `one of: ${spec.values.join(', ')}`;
    case 'int-list':
      return `a non-empty comma-separated list of integers${describeRange(spec.min, false, spec.max)}${unit}`;
  }
}

/** The short type column of a listing: "int 1..32768", "float >0", "enum", "bool", "int-list >=0". */
export function describeType(spec: KeySpec): string {
  switch (spec.kind) {
    case 'int':
    case 'int-list':
      return spec.kind + shortRange(spec.min, false, spec.max);
    case 'float':
      return spec.kind + shortRange(spec.min, spec.minExclusive ?? false, spec.max);
    default:
      return spec.kind;
  }
}

function describeRange(min: number | undefined, minExclusive: boolean, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return minExclusive ? ` greater than ${min} and at most ${max}` : ` from ${min} to ${max}`;
  }
  if (min !== undefined) return minExclusive ? ` greater than ${min}` : ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

function shortRange(min: number | undefined, minExclusive: boolean, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return minExclusive ? ` (${min}..${max}]` : ` ${min}..${max}`;
  if (min !== undefined) return minExclusive ? ` >${min}` : ` >=${min}`;
  if (max !== undefined) return ` <=${max}`;
  return '';
}

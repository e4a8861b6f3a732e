/**
 * Turns `key=value` strings (the CLI's --set) and values read from YAML into typed configuration values,
 * throwing UnknownKeyError / InvalidConfigError that name the key, the value and what is allowed.
 */
import { InvalidConfigError, UnknownKeyError } from '../../../engine/src/index.ts';
import {
  describeAllowed,
  isConfigKey,
  specOf,
  type AnyValue,
  type ConfigKey,
  type ConfigValues,
  type KeySpec,
  type ValueOf,
} from './schema.ts';
import { unknownKeyHint } from './suggest.ts';

/** Validated values of one configuration layer, ready to be passed to `resolveConfig`. */
export interface Overrides {
  /** Where the values came from, e.g. "--set" or a file path; named in error messages and `explicit()`. */
  readonly source: string;
  readonly values: Partial<ConfigValues>;
}

const SET_SYNTAX = 'a key=value pair with a non-empty key, e.g. spacker.parallelism=8';

/**
 * Parses `key=value` items (the value may itself contain '='; spaces around key and value are trimmed) into
 * typed, validated overrides. A later item for the same key wins.
 * @throws InvalidConfigError for an item without '=' or with an empty key, or for a bad value.
 * @throws UnknownKeyError for a key that does not exist (the message suggests close keys).
 */
export function parseSetArgs(items: readonly string[], source = '--set'): Overrides {
  const values: Record<string, AnyValue> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = (eq < 0 ? item : item.slice(0, eq)).trim();
    if (eq < 0 || key === '') throw new InvalidConfigError(key, item, SET_SYNTAX, source);
    values[key] = parseValue(key, item.slice(eq + 1), source);
  }
  return { source, values: values as Partial<ConfigValues> };
}

/**
 * Converts the text `raw` (trimmed) to the type of `key`: ints and floats must parse completely and be finite
 * ("12abc", "", "NaN", "Infinity", "1e400" are refused; ints refuse fractions), booleans are `true`/`false`
 * only, enums must be one of their words, int-lists are comma-separated ints. Ranges are checked.
 * @throws UnknownKeyError if `key` does not exist; InvalidConfigError if `raw` does not fit.
 */
export function parseValue<K extends ConfigKey>(key: K, raw: string, source?: string): ValueOf<K>;
export function parseValue(key: string, raw: string, source?: string): AnyValue;
export function parseValue(key: string, raw: string, source = '--set'): AnyValue {
  const known = requireKey(key, source);
  return fromText(known, specOf(known), raw, raw, source);
}

/**
 * Validates a value that may already be typed (a YAML number, boolean or list) or still be text, and returns it
 * as the key's type. Text goes through {@link parseValue}; a number given for a text key becomes its decimal text.
 * @throws UnknownKeyError if `key` does not exist; InvalidConfigError if `value` does not fit.
 */
export function coerceValue(key: string, value: unknown, source: string): AnyValue {
  const known = requireKey(key, source);
  const spec = specOf(known);
  if (typeof value === 'string') return fromText(known, spec, value, value, source);
  const fail = (): never => {
    throw new InvalidConfigError(known, value, describeAllowed(spec), source);
  };
  switch (spec.kind) {
    case 'int':
    case 'float':
      return typeof value === 'number' ? checkNumber(known, spec, value, value, source) : fail();
    case 'bool':
      return typeof value === 'boolean' ? value : fail();
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : fail();
    case 'enum':
      return fail();
    case 'int-list': {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      if (!items.every((v) => typeof v === 'number' || typeof v === 'string')) return fail();
      return fromText(known, spec, items.map(String).join(','), value, source);
    }
  }
}

function requireKey(key: string, source: string): ConfigKey {
  if (!isConfigKey(key)) throw new UnknownKeyError(key, unknownKeyHint(key), source);
  return key;
}

/** `shown` is the value as the user gave it, for the error message; `text` is what gets parsed. */
function fromText(key: ConfigKey, spec: KeySpec, text: string, shown: unknown, source: string): AnyValue {
  const trimmed = text.trim();
  const fail = (): never => {
    throw new InvalidConfigError(key, shown, describeAllowed(spec), source);
  };
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const n = parseNumber(trimmed);
      return n === undefined ? fail() : checkNumber(key, spec, n, shown, source);
    }
    case 'bool':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : fail();
    case 'string':
      return trimmed;
    case 'enum':
      return spec.values.includes(trimmed) ? trimmed : fail();
    case 'int-list': {
      if (trimmed === '') return [];
      const list = trimmed.split(',').map((part) => parseNumber(part.trim()));
      const fits = (n: number | undefined): n is number =>
        n !== undefined && Number.isSafeInteger(n) && inRange(n, spec.min, false, spec.max);
      return list.every(fits) ? list.map((n) => n + 0) : fail();
    }
  }
}

function checkNumber(key: ConfigKey, spec: KeySpec, n: number, shown: unknown, source: string): number {
  if (spec.kind !== 'int' && spec.kind !== 'float') throw new TypeError(`${key} is not numeric`);
  const ok =
    Number.isFinite(n) &&
    (spec.kind === 'float' || Number.isSafeInteger(n)) &&
    inRange(n, spec.min, spec.kind === 'float' && spec.minExclusive === true, spec.max);
  if (!ok) throw new InvalidConfigError(key, shown, describeAllowed(spec), source);
  return n + 0; // turns -0 into 0
}

function inRange(n: number, min: number | undefined, minExclusive: boolean, max: number | undefined): boolean {
  if (min !== undefined && (minExclusive ? n <= min : n < min)) return false;
  return max === undefined || n <= max;
}

/** A plain decimal number ("12", "-3.5", ".5", "1e9"), finite; anything else (hex, "NaN", "12abc") is undefined. */
function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

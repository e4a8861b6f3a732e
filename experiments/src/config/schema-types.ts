/**
 * The shapes of a configuration key's declaration (kind, default, range, unit, doc) and the mapping from a
 * declaration to the TypeScript type of its value. Pure types plus one helper; imports nothing.
 */

/** Fields every key declaration has. */
interface SpecBase {
  /** Unit of the value, shown in listings ("ms", "s", "bytes", ...); omitted when the value has none. */
  readonly unit?: string;
  /** One line saying what the key does. */
  readonly doc: string;
  /**
   * True for keys of the reference's Flink configuration that this engine accepts (and type-checks) so that a
   * reference conf file loads, but that change nothing here.
   */
  readonly compat?: boolean;
}

/** A whole number (a JavaScript safe integer), optionally bounded; bounds are inclusive. */
export interface IntSpec extends SpecBase {
  readonly kind: 'int';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
}

/** A finite number, optionally bounded; `min` is exclusive when `minExclusive` is set. */
export interface FloatSpec extends SpecBase {
  readonly kind: 'float';
  readonly default: number;
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
}

/** `true` or `false`, nothing else (no yes/no, no 1/0). */
export interface BoolSpec extends SpecBase {
  readonly kind: 'bool';
  readonly default: boolean;
}

/** Free text. */
export interface StringSpec extends SpecBase {
  readonly kind: 'string';
  readonly default: string;
}

/** One of a fixed list of words, compared exactly (case-sensitive, as the reference compares them). */
export interface EnumSpec extends SpecBase {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default: string;
}

/** Comma-separated whole numbers, e.g. "50000,80000"; every element lies in [min, max]. */
export interface IntListSpec extends SpecBase {
  readonly kind: 'int-list';
  readonly default: readonly number[];
  readonly min?: number;
  readonly max?: number;
}

/** The declaration of one configuration key. */
export type KeySpec = IntSpec | FloatSpec | BoolSpec | StringSpec | EnumSpec | IntListSpec;

/** The kinds of value a key can hold. */
export type KeyKind = KeySpec['kind'];

/**
 * The TypeScript type of the value of a key declared as `S`. Enums give the union of their words, which is why
 * the key tables are declared `as const`.
 */
export type SpecValue<S> = S extends { readonly kind: 'int' | 'float' }
  ? number
  : S extends { readonly kind: 'bool' }
    ? boolean
    : S extends { readonly kind: 'string' }
      ? string
      : S extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
        ? V
        : S extends { readonly kind: 'int-list' }
          ? readonly number[]
          : never;

/** Any value a key can hold. */
export type AnyValue = number | boolean | string | readonly number[];

/** Shows a value the way it is written in a conf file or on the command line (lists comma-separated). */
export function formatValue(value: AnyValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

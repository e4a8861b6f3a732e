/**
 * The options of the registered migration mechanisms as configuration keys (`spacker.<family>.<option>`),
 * made from the registry: a mechanism that declares an option gets its key here, with nothing to copy.
 */
import { MECHANISMS } from '../../../engine/src/index.ts';
import { optionKey } from './engine-parameters.ts';
import type { KeySpec } from './schema-types.ts';

function mechanismKeys(): Record<string, KeySpec> {
  const out: Record<string, KeySpec> = {};
  for (const m of MECHANISMS) {
    for (const [name, o] of Object.entries(m.options)) {
      const key = optionKey(m, name);
      const owners = MECHANISMS.filter((x) => x.family === m.family && x.options[name] !== undefined).map((x) => x.name);
      const doc = `${o.doc} (mechanisms ${owners.join(', ')})`;
      out[key] = o.kind === 'bool' ? { kind: 'bool', default: o.default, doc } : { kind: o.kind, default: o.default, min: o.min, max: o.max, doc };
    }
  }
  return out;
}

/** Every mechanism option key and its declaration (typed loosely: the set depends on the registry). */
export const MECHANISM_KEYS: Readonly<Record<string, KeySpec>> = mechanismKeys();

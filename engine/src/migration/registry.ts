/**
 * The migration mechanisms, by name: the one list that the configuration (`spacker.strategy`), `compare`
 * and the ZooKeeper `reconfigure` request read. A new mechanism is a folder beside these and one line here.
 */
import { InvalidConfigError } from '../errors.ts';
import { DRRS } from './drrs/index.ts';
import type { JobShape, MechanismSpec } from './mechanism.ts';
import { MEGAPHONE_BATCHED, MEGAPHONE_FLUID } from './megaphone/index.ts';
import { MECES, MECES_SET_ASIDE } from './meces/index.ts';
import { RESTART } from './restart/index.ts';
import { RHINO } from './rhino/index.ts';
import { SPACKER } from './spacker/index.ts';

export const MECHANISMS: readonly MechanismSpec[] = [SPACKER, RESTART, MEGAPHONE_FLUID, MEGAPHONE_BATCHED, MECES, MECES_SET_ASIDE, DRRS, RHINO];

export const MECHANISM_NAMES: readonly string[] = MECHANISMS.map((m) => m.name);

/** The mechanism called `name`; an unknown name is an error that lists the allowed ones. */
export function mechanismNamed(name: string, key = 'mechanism'): MechanismSpec {
  const m = MECHANISMS.find((x) => x.name === name);
  if (m === undefined) throw new InvalidConfigError(key, name, `one of ${MECHANISM_NAMES.join(', ')}`);
  return m;
}

/** The configuration key of a mechanism option. */
export function optionKey(spec: MechanismSpec, option: string): string {
  return `spacker.${spec.family}.${option}`;
}

/**
 * Every option of `spec`, from `given` (option -> value) or its default: checked against the spec (an
 * option it does not have, a value of the wrong kind or out of range) and the job's shape. Errors name the
 * configuration key and what is allowed.
 */
export function resolveOptions(spec: MechanismSpec, given: Readonly<Record<string, unknown>>, job?: JobShape): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [name, value] of Object.entries(given)) {
    const o = spec.options[name];
    if (o === undefined) {
      const owners = MECHANISMS.filter((m) => m.options[name] !== undefined).map((m) => m.name);
      const allowed = Object.keys(spec.options).map((k) => optionKey(spec, k));
      throw new InvalidConfigError(
        optionKey(spec, name),
        String(value),
        `${owners.length > 0 ? `an option of ${owners.join(', ')}, not of '${spec.name}'; ` : ''}'${spec.name}' takes ${allowed.length === 0 ? 'no options' : allowed.join(', ')}`,
      );
    }
    if (o.kind === 'bool') {
      if (typeof value !== 'boolean') throw new InvalidConfigError(optionKey(spec, name), String(value), 'true or false');
    } else {
      const ok = typeof value === 'number' && (o.kind === 'float' || Number.isInteger(value)) && value >= o.min && value <= o.max;
      if (!ok) throw new InvalidConfigError(optionKey(spec, name), String(value), `${o.kind === 'int' ? 'a whole number' : 'a number'} from ${o.min} to ${o.max}`);
    }
    out[name] = value as number | boolean;
  }
  for (const [name, o] of Object.entries(spec.options)) if (!(name in out)) out[name] = o.default;
  if (job !== undefined) {
    const bad = spec.check?.(out, job);
    if (bad !== undefined) throw new InvalidConfigError(optionKey(spec, bad.option), String(out[bad.option]), bad.allowed);
  }
  return out;
}

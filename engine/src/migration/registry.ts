/**
 * The migration mechanisms, by name: the one list that the harness's configuration, `compare` and the
 * ZooKeeper `reconfigure` request read. A new mechanism is a folder beside these and one line here.
 */
import { InvalidParameterError, type ParameterNamer } from '../errors.ts';
import { DRRS } from './drrs/index.ts';
import type { JobShape, MechanismSpec } from './mechanism.ts';
import { MEGAPHONE_BATCHED, MEGAPHONE_FLUID } from './megaphone/index.ts';
import { MECES, MECES_SET_ASIDE } from './meces/index.ts';
import { RESTART } from './restart/index.ts';
import { RHINO } from './rhino/index.ts';
import { SPACKER } from './spacker/index.ts';

export const MECHANISMS: readonly MechanismSpec[] = [SPACKER, RESTART, MEGAPHONE_FLUID, MEGAPHONE_BATCHED, MECES, MECES_SET_ASIDE, DRRS, RHINO];

export const MECHANISM_NAMES: readonly string[] = MECHANISMS.map((m) => m.name);

/** The mechanism called `name`; an unknown name is an InvalidParameterError (field `mechanism`) listing the allowed ones. */
export function mechanismNamed(name: string): MechanismSpec {
  const m = MECHANISMS.find((x) => x.name === name);
  if (m === undefined) throw new InvalidParameterError('mechanism', name, `one of ${MECHANISM_NAMES.join(', ')}`);
  return m;
}

/**
 * Every option of `spec`, from `given` (option -> value) or its default: checked against the spec (an
 * option it does not have, a value of the wrong kind or out of range) and the job's shape. Errors are
 * InvalidParameterErrors naming the option (`field`) and the mechanism, and what is allowed.
 */
export function resolveOptions(spec: MechanismSpec, given: Readonly<Record<string, unknown>>, job?: JobShape): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  const bad = (option: string, value: unknown, allowed: string | ((name: ParameterNamer) => string)): InvalidParameterError =>
    new InvalidParameterError(option, String(value), allowed, spec.name);
  for (const [name, value] of Object.entries(given)) {
    const o = spec.options[name];
    if (o === undefined) {
      const owners = MECHANISMS.filter((m) => m.options[name] !== undefined).map((m) => m.name);
      const options = Object.keys(spec.options);
      throw bad(name, value, (named) =>
        `${owners.length > 0 ? `an option of ${owners.join(', ')}, not of '${spec.name}'; ` : ''}'${spec.name}' takes ${options.length === 0 ? 'no options' : options.map((k) => named(k, spec.name)).join(', ')}`,
      );
    }
    if (o.kind === 'bool') {
      if (typeof value !== 'boolean') throw bad(name, value, 'true or false');
    } else {
      const ok = typeof value === 'number' && (o.kind === 'float' || Number.isInteger(value)) && value >= o.min && value <= o.max;
      if (!ok) throw bad(name, value, `${o.kind === 'int' ? 'a whole number' : 'a number'} from ${o.min} to ${o.max}`);
    }
    out[name] = value as number | boolean;
  }
  for (const [name, o] of Object.entries(spec.options)) if (!(name in out)) out[name] = o.default;
  if (job !== undefined) {
    const fault = spec.check?.(out, job);
    if (fault !== undefined) throw bad(fault.option, out[fault.option], fault.allowed);
  }
  return out;
}

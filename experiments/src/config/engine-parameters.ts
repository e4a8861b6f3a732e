/**
 * Which configuration key sets which engine parameter: the one table from the engine's field names (its
 * errors name those) to the keys a user writes, and the wrapper that turns an engine error into the message
 * the user expects. Imports the engine's entry point only.
 */
import { InvalidParameterError, mechanismNamed, type MechanismSpec, type ParameterNamer } from '../../../engine/src/index.ts';
import type { ConfigKey } from './schema.ts';

/**
 * The configuration key of each engine parameter the harness sets from configuration (fields of the
 * scenario context, the strategy and the migration layer's options). Mechanism options are keyed by rule:
 * {@link optionKey}. A field not listed keeps the engine's name.
 */
export const PARAMETER_KEYS = {
  affectedKeys: 'spector.reconfig.affected_keys',
  affectedTasks: 'spector.reconfig.affected_tasks',
  zipfSkew: 'spector.reconfig.workload.zipf_skew',
  scenario: 'spector.reconfig.scenario',
  order: 'spector.reconfig.order_function',
  syncKeys: 'spector.reconfig.sync_keys',
  replicateFilter: 'spector.replicate_keys_filter',
  mechanism: 'spacker.strategy',
} as const satisfies Readonly<Record<string, ConfigKey>>;

/** The configuration key of a mechanism option: `spacker.<family>.<option>` (one key per family). */
export function optionKey(spec: MechanismSpec, option: string): string {
  return `spacker.${spec.family}.${option}`;
}

/** Names an engine parameter by its configuration key ({@link PARAMETER_KEYS}, {@link optionKey}). */
export const configKeyOf: ParameterNamer = (field, mechanism) => {
  if (mechanism !== undefined) return optionKey(mechanismNamed(mechanism), field);
  return Object.hasOwn(PARAMETER_KEYS, field) ? PARAMETER_KEYS[field as keyof typeof PARAMETER_KEYS] : field;
};

/** `err` in the user's terms: an InvalidParameterError renamed to configuration keys; anything else as it is. */
export function inConfigTerms(err: unknown): unknown {
  return err instanceof InvalidParameterError ? err.renamed(configKeyOf) : err;
}

/** Runs `f` (a call into the engine with configuration values); its parameter errors name configuration keys. */
export function withConfigKeys<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw inConfigTerms(err);
  }
}

/**
 * Errors of the engine and of everything built on it. Every error carries a stable `code`; errors caused by
 * bad input name the field, the value given and what is allowed. Imports nothing.
 */

/** Base class: a stable machine-readable `code` plus an optional `cause`. */
export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value (option, key, parameter) that is unknown, of the wrong type or out of range. */
export class InvalidConfigError extends EngineError {
  readonly key: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(key: string, value: unknown, allowed: string, source?: string) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const where = source ? ` (from ${source})` : '';
    super('INVALID_CONFIG', `invalid value for '${key}'${where}: ${shown}; allowed: ${allowed}`);
    this.key = key;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Names an engine parameter in a message: `field` of an options object, or option `field` of `mechanism`. */
export type ParameterNamer = (field: string, mechanism?: string) => string;

/** The engine's own names: `affectedKeys`, `order`, and `mechanismOptions.meces.bins` for option `bins` of 'meces'. */
export const engineParameterName: ParameterNamer = (field, mechanism) => (mechanism === undefined ? field : `mechanismOptions.${mechanism}.${field}`);

/**
 * A bad value of one of the engine's own parameters. `field` (plus `mechanism` for a mechanism's option) says
 * which, in the engine's terms; the message names it with {@link engineParameterName}. A caller that took the
 * value from somewhere else (a configuration key, a command-line option) gets the same message in its own
 * terms from {@link InvalidParameterError.renamed}.
 */
export class InvalidParameterError extends InvalidConfigError {
  /** The parameter: a field of the options object the value was given in (`affectedKeys`, `order`, `bins`). */
  readonly field: string;
  /** The mechanism whose option `field` is; undefined for a parameter of the engine itself. */
  readonly mechanism: string | undefined;
  private readonly describeAllowed: (name: ParameterNamer) => string;

  /** `allowed` is a text, or a function of a namer when it names other parameters. */
  constructor(field: string, value: unknown, allowed: string | ((name: ParameterNamer) => string), mechanism?: string) {
    const describe = typeof allowed === 'string' ? () => allowed : allowed;
    super(engineParameterName(field, mechanism), value, describe(engineParameterName));
    this.field = field;
    this.mechanism = mechanism;
    this.describeAllowed = describe;
  }

  /** The same error with every parameter named by `name` (in `key`, `allowed` and the message). */
  renamed(name: ParameterNamer): InvalidConfigError {
    return new InvalidConfigError(name(this.field, this.mechanism), this.value, this.describeAllowed(name));
  }
}

/** A configuration key that does not exist. */
export class UnknownKeyError extends EngineError {
  readonly key: string;
  constructor(key: string, allowed: string, source?: string) {
    const where = source ? ` (from ${source})` : '';
    super('UNKNOWN_KEY', `unknown configuration key '${key}'${where}; ${allowed}`);
    this.key = key;
  }
}

/** A migration plan or target assignment that cannot be executed. */
export class InvalidPlanError extends EngineError {
  constructor(message: string) {
    super('INVALID_PLAN', message);
  }
}

/** A control message that arrived out of sequence or with the wrong content. */
export class ProtocolError extends EngineError {
  constructor(message: string) {
    super('PROTOCOL', message);
  }
}

/** An executor state machine asked to make a transition its table does not allow. */
export class IllegalTransitionError extends EngineError {
  constructor(machine: string, from: string, event: string) {
    super('ILLEGAL_TRANSITION', `${machine}: no transition from '${from}' on '${event}'`);
  }
}

/** A file or folder that cannot be read or written. */
export class IoError extends EngineError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('IO', `${path}: ${message}`, options);
    this.path = path;
  }
}

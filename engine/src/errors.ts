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

import { type ErrorCode, type ErrorKind, errorCodes } from './error-codes/index.js';

export type { ErrorCode, ErrorKind } from './error-codes/index.js';

/** Options for {@link TenonError}. */
export interface TenonErrorOptions {
  /** The underlying error, kept for `--verbose` output and programmatic callers. */
  cause?: unknown;
  /** What the user can do about it, in one or two sentences. */
  hint?: string;
  /** Structured facts (file, line, SQLSTATE, …) that `--json` output carries. */
  details?: Record<string, unknown>;
}

/** Marks TenonError's prototype, shared by every copy of the class (`Symbol.for`). */
const TENON_ERROR = Symbol.for('tenon.TenonError');

/**
 * The one error class tenon throws. `code` is stable across releases and
 * documented in `docs/errors.md`; `message` says what happened; `hint` says
 * what to do about it.
 *
 * @example
 * ```ts
 * throw new TenonError('TENON_CONFIG_INVALID', 'migrate.lockTimeout: expected a duration', {
 *   hint: 'Use a number with a unit, e.g. 5s or 500ms.',
 * });
 * ```
 */
export class TenonError extends Error {
  /**
   * `instanceof TenonError` holds for a TenonError of any copy of tenon's
   * modules in the process: the CLI is a bundle (scripts/bundle-cli.ts)
   * with a copy of its own, and a load scenario that imports `tenon/load`
   * throws errors of the package's unbundled modules.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TENON_ERROR] === true
    );
  }

  override readonly name = 'TenonError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: TenonErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = Object.freeze({ ...options.details });
  }

  /** How the CLI classifies this error (and so which exit code it gets). */
  get kind(): ErrorKind {
    return errorCodes[this.code].kind;
  }

  /** A plain object for `--json` output and logs. */
  toJSON(): { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.details).length > 0 ? { details: { ...this.details } } : {}),
    };
  }
}

Object.defineProperty(TenonError.prototype, TENON_ERROR, { value: true });

/** True when `value` is a {@link TenonError}, optionally with the given code. */
export function isTenonError(value: unknown, code?: ErrorCode): value is TenonError {
  return value instanceof TenonError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into a {@link TenonError}, keeping TenonErrors as they are. */
export function toTenonError(value: unknown): TenonError {
  if (value instanceof TenonError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TenonError('TENON_INTERNAL', message, {
    cause: value,
    hint: 'This is a bug in tenon. Run again with --verbose and report the output.',
  });
}

/**
 * The security events the service logs, each a pino line with this stable
 * `event` field, for alerts and audits. Lines carry ids, never a password,
 * token, email or query string.
 */
export type SecurityEvent =
  /** A failed login: `userId` when the email is an account's (null otherwise), `reason` `password` or `unknown`. */
  | 'auth.login_failed'
  /** A failed login reached the lockout threshold: `userId`, `failures`, `lockedSeconds`. */
  | 'auth.lockout_started'
  /** A rotated refresh token was presented again: its whole family is revoked (`userId`, `familyId`). */
  | 'auth.refresh_token_reused'
  /** A session ended by logout (`userId`, `familyId`). */
  | 'auth.logout'
  /** A password changed (`userId`); every session of the account ended. */
  | 'auth.password_changed'
  /** A role or scope granted or revoked (`userId`, `role`, `scopes`, `grant`, `revoke`). */
  | 'auth.role_changed'
  /** A write by a caller whose role sees every row (`userId`, `operationId`, `method`, `path`, `status`). */
  | 'admin.write';

/** Fields of an event line: ids, names, counts. */
export type SecurityFields = Record<string, string | number | boolean | null | string[]>;

/** Logs one security event. */
export type SecurityLog = (event: SecurityEvent, fields: SecurityFields) => void;

/** What a security log writes to: pino's logger, or a request's child logger. */
export interface LevelLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Events that may be an attack in progress: logged at `warn`, the rest at `info`. */
const WARN = new Set<SecurityEvent>(['auth.login_failed', 'auth.lockout_started', 'auth.refresh_token_reused']);

/** The security log over a pino logger. */
export function securityLog(logger: LevelLogger): SecurityLog {
  return (event, fields) => {
    const line = { event, ...fields };
    if (WARN.has(event)) logger.warn(line, event);
    else logger.info(line, event);
  };
}

/** A security log that writes nothing (tools and tests that do not look at events). */
export const SILENT: SecurityLog = () => undefined;

import { TenonError } from '../errors.js';

/** The fields PostgreSQL sends with an error; `pg` and PGlite both expose them. */
interface PgErrorFields {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string | number;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  severity?: string;
}

const SQLSTATE_RE = /^[0-9A-Z]{5}$/;
/** SQLSTATEs and socket errors that mean the connection is gone, not that the statement was wrong. */
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '08006', '08003', '08000', 'ECONNRESET', 'EPIPE']);

/** Where a connection attempt was going, for messages. */
export interface ConnectTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  displayUrl: string;
  timeoutMs: number;
  /** `sslmode` of the URL, when it has one. */
  sslmode?: string | undefined;
  /** Whether the failed attempt used TLS. */
  tls?: boolean;
  /** The server asked for a password and none was given (URL, PGPASSWORD, ~/.pgpass). */
  passwordMissing?: boolean;
}

/** Node's codes for a server certificate that failed verification. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `host:port`, `[v6]:port`, or the socket file of a Unix-domain socket directory. */
export function describeEndpoint(host: string, port: number): string {
  if (host.startsWith('/')) return `the socket ${host.replace(/\/$/, '')}/.s.PGSQL.${port}`;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Turns whatever `pg` (or Node's TLS) threw while connecting into a
 * TenonError that says what went wrong and what to check. Never includes
 * the password, and never the driver's own wording alone.
 */
export function toConnectError(error: unknown, target: ConnectTarget): TenonError {
  const e = (error ?? {}) as PgErrorFields & { errno?: number; syscall?: string };
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const where = describeEndpoint(target.host, target.port);
  const socket = target.host.startsWith('/');
  const details = { url: target.displayUrl, ...(code ? { reason: code } : {}) };
  const sslmode = target.sslmode ? `sslmode=${target.sslmode}` : 'the URL';
  if (target.passwordMissing) {
    return new TenonError(
      'TENON_DB_PASSWORD_MISSING',
      `The server asks for a password for user "${target.user}", and none was given.`,
      {
        cause: error,
        details,
        hint: `Put it in the URL (postgres://${target.user}:PASSWORD@…, percent-encoded), or set PGPASSWORD, or add it to ~/.pgpass.`,
      },
    );
  }
  if (message === 'The server does not support SSL connections') {
    return new TenonError(
      'TENON_DB_TLS_FAILED',
      `${where} does not accept TLS connections, and ${sslmode} requires TLS.`,
      {
        cause: error,
        details,
        hint: 'Use sslmode=prefer to fall back to an unencrypted connection (or sslmode=disable), or turn ssl on in the server configuration.',
      },
    );
  }
  if (code === '28000' && /no encryption/.test(message)) {
    return new TenonError(
      'TENON_DB_TLS_FAILED',
      `${where} accepts user "${target.user}" only over TLS, and ${sslmode} did not ask for it.`,
      {
        cause: error,
        details,
        hint: 'Add sslmode=require to the URL (or sslmode=verify-full with sslrootcert=FILE to also check the certificate).',
      },
    );
  }
  if (CERTIFICATE_CODES.has(code)) {
    return new TenonError(
      'TENON_DB_TLS_FAILED',
      `The TLS certificate of ${where} was not accepted: ${message}.`,
      {
        cause: error,
        details,
        hint: 'To check it, give the CA that signed it (sslrootcert=/path/to/ca.pem) and connect by the name in the certificate; sslmode=require encrypts without checking it.',
      },
    );
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || (target.tls && /\bSSL\b|\bTLS\b/.test(message))) {
    return new TenonError('TENON_DB_TLS_FAILED', `The TLS handshake with ${where} failed: ${message}`, {
      cause: error,
      details,
      hint: 'Check that the port is a PostgreSQL server with ssl on, or use sslmode=disable.',
    });
  }
  if (code === 'ECONNREFUSED' || (socket && code === 'ENOENT')) {
    return new TenonError(
      'TENON_DB_UNREACHABLE',
      socket
        ? `No PostgreSQL server listens on ${where} (${target.displayUrl}).`
        : `Connection refused by ${where} (${target.displayUrl}).`,
      {
        cause: error,
        details,
        hint: socket
          ? `Is PostgreSQL running, and does its unix_socket_directories include ${target.host}? Check --database-url or DATABASE_URL.`
          : `Is PostgreSQL running and listening on ${where}? Check --database-url or DATABASE_URL.`,
      },
    );
  }
  if (code === 'EACCES' && socket) {
    return new TenonError('TENON_DB_UNREACHABLE', `Permission denied on ${where}.`, {
      cause: error,
      details,
      hint: 'Run as a user that may open the socket (often a member of the postgres group), or connect over TCP.',
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new TenonError('TENON_DB_UNREACHABLE', `Host "${target.host}" could not be resolved.`, {
      cause: error,
      details,
      hint: 'Check the host name in --database-url or DATABASE_URL.',
    });
  }
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) {
    return new TenonError(
      'TENON_DB_UNREACHABLE',
      `No answer from ${where} within ${target.timeoutMs} ms (${target.displayUrl}).`,
      {
        cause: error,
        details,
        hint: 'The host may be down, firewalled, or not a PostgreSQL server. Check the URL and the network.',
      },
    );
  }
  if (code === '28P01' || code === '28000' || /password/i.test(message)) {
    const noEntry = /pg_hba\.conf/.test(message);
    return new TenonError('TENON_DB_AUTH_FAILED', `The server rejected user "${target.user}": ${message}`, {
      cause: error,
      details,
      hint: noEntry
        ? 'The server does not accept this user from this host (pg_hba.conf); ask its administrator, or connect as another user.'
        : 'Check the user name and password in the URL (percent-encode special characters).',
    });
  }
  if (code === '3D000') {
    return new TenonError('TENON_DB_NOT_FOUND', `Database "${target.database}" does not exist on ${where}.`, {
      cause: error,
      details,
      hint: `Create it first (createdb -h ${target.host} -p ${target.port} ${target.database}) or fix the URL.`,
    });
  }
  if (code === 'ECONNRESET' || /terminated|closed/i.test(message)) {
    return new TenonError(
      'TENON_DB_UNREACHABLE',
      `${where} closed the connection during start-up: ${message}`,
      {
        cause: error,
        details,
        hint: 'Is this a PostgreSQL server? If it requires TLS, add ?sslmode=require to the URL.',
      },
    );
  }
  if (SQLSTATE_RE.test(code)) {
    return new TenonError('TENON_DB_UNREACHABLE', `${where} refused the connection: ${message}`, {
      cause: error,
      details: { ...details, sqlState: code },
      hint: e.hint ?? 'See the server message above.',
    });
  }
  return new TenonError('TENON_DB_UNREACHABLE', `Could not connect to ${target.displayUrl}: ${message}`, {
    cause: error,
    details,
    hint: 'Check --database-url or DATABASE_URL.',
  });
}

/**
 * Turns an error from running a statement into a TenonError:
 * `TENON_DB_QUERY_FAILED` with the SQLSTATE and position when PostgreSQL
 * rejected it, `TENON_DB_CONNECTION_LOST` when the connection broke.
 */
export function toQueryError(error: unknown, sql: string): TenonError {
  if (error instanceof TenonError) return error;
  const e = (error ?? {}) as PgErrorFields;
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  if (LOST_CODES.has(code) || /Connection terminated|connection is closed|Client was closed/i.test(message)) {
    return new TenonError('TENON_DB_CONNECTION_LOST', `The database connection was lost: ${message}`, {
      cause: error,
      details: { ...(code ? { sqlState: code } : {}) },
      hint: 'The server may have restarted or terminated the session; run the command again.',
    });
  }
  const position = e.position === undefined ? undefined : Number(e.position);
  const details: Record<string, unknown> = {};
  if (SQLSTATE_RE.test(code)) details.sqlState = code;
  if (position !== undefined && Number.isFinite(position)) details.position = position;
  for (const key of ['detail', 'where', 'schema', 'table', 'column', 'constraint'] as const) {
    if (e[key]) details[key] = e[key];
  }
  details.statement = sql.length > 2000 ? `${sql.slice(0, 2000)}…` : sql;
  return new TenonError('TENON_DB_QUERY_FAILED', message, {
    cause: error,
    details,
    ...(e.hint ? { hint: e.hint } : {}),
  });
}

/** The SQLSTATE of a database error, if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof TenonError) {
    const state = error.details.sqlState;
    return typeof state === 'string' ? state : undefined;
  }
  const code = (error as PgErrorFields | undefined)?.code;
  return code && SQLSTATE_RE.test(code) ? code : undefined;
}

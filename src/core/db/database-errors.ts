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
}

/**
 * Turns whatever `pg` threw while connecting into a TenonError that says
 * what went wrong and what to check. Never includes the password.
 */
export function toConnectError(error: unknown, target: ConnectTarget): TenonError {
  const e = (error ?? {}) as PgErrorFields & { errno?: number; syscall?: string };
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const where = `${target.host}:${target.port}`;
  const details = { url: target.displayUrl, ...(code ? { reason: code } : {}) };
  if (code === 'ECONNREFUSED') {
    return new TenonError('TENON_DB_UNREACHABLE', `Connection refused by ${where} (${target.displayUrl}).`, {
      cause: error,
      details,
      hint: `Is PostgreSQL running and listening on ${where}? Check --database-url or DATABASE_URL.`,
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
        ? 'The server does not accept this user from this host; check pg_hba.conf, or add ?sslmode=require to the URL if it needs TLS.'
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

import { userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { TenonError } from '../errors.js';
import type { ConnectOptions, Database } from './database.js';
import { PgUrlProblem, pgConnectionConfig, SSL_MODES, type SslMode } from './pg-connection-config.js';
import { PostgresDatabase } from './postgres-database.js';

/** Where the embedded database lives when no URL is given. */
export const DEFAULT_PGLITE_DIR = '.tenon/pglite';

/** A database URL taken apart: which implementation, and where. */
export type ParsedDatabaseUrl =
  | { kind: 'pglite'; dataDir: string | undefined; displayUrl: string }
  | {
      kind: 'postgres';
      url: string;
      displayUrl: string;
      /** Host name, IP address, or the directory of a Unix-domain socket. */
      host: string;
      port: number;
      database: string;
      user: string;
      /** `sslmode` from the URL, read with libpq's meaning (see {@link pgConnectionConfig}). */
      sslmode: SslMode | undefined;
      /** Whether the URL carries a password (PGPASSWORD and ~/.pgpass may still give one). */
      hasPassword: boolean;
    };

/**
 * Parses a database URL without connecting. Unset means PGlite in
 * `.tenon/pglite`; `pglite://memory` is an in-memory database;
 * `pglite://PATH` is a directory relative to `cwd` (or absolute). Server
 * URLs follow libpq: `postgres://user:password@host:port/db?param=value`,
 * a Unix-domain socket as `postgres:///db?host=/var/run/postgresql` or
 * `postgres://%2Fvar%2Frun%2Fpostgresql/db`.
 *
 * @throws TenonError `TENON_DB_URL_INVALID`
 */
export function parseDatabaseUrl(
  databaseUrl: string | undefined,
  cwd: string = process.cwd(),
): ParsedDatabaseUrl {
  const text = databaseUrl?.trim();
  if (!text) {
    return {
      kind: 'pglite',
      dataDir: resolve(cwd, DEFAULT_PGLITE_DIR),
      displayUrl: `pglite://${DEFAULT_PGLITE_DIR}`,
    };
  }
  if (text.startsWith('pglite://')) {
    const rest = text.slice('pglite://'.length);
    if (rest === 'memory') return { kind: 'pglite', dataDir: undefined, displayUrl: 'pglite://memory' };
    if (!rest) throw invalidUrl(text, 'the PGlite URL has no directory');
    return { kind: 'pglite', dataDir: isAbsolute(rest) ? rest : resolve(cwd, rest), displayUrl: text };
  }
  if (!/^postgres(ql)?:\/\//i.test(text)) {
    throw invalidUrl(text, 'it must start with postgres://, postgresql:// or pglite://');
  }
  const badEscape = /%(?![0-9a-f]{2})/i.exec(text);
  if (badEscape) {
    throw invalidUrl(
      text,
      `${partAt(text, badEscape.index)} has a % that does not start a percent-encoded byte (%XX)`,
      'Write a literal % as %25 (and @ as %40, : as %3A, / as %2F) in the user name, password and database name.',
    );
  }
  // libpq allows an empty host before the path when the socket comes in ?host=; WHATWG URLs do not.
  const emptyHost = /^postgres(ql)?:\/\/[^/?#]*@\//i.test(text);
  let url: URL;
  try {
    url = new URL(emptyHost ? text.replace('@/', '@localhost/') : text);
  } catch {
    throw invalidUrl(text, portProblem(text) ?? 'it is not a valid URL');
  }
  const portText = url.port || url.searchParams.get('port') || process.env.PGPORT || '5432';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw invalidUrl(text, 'the port must be a number from 1 to 65535');
  }
  const decode = (part: string, what: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw invalidUrl(text, `${what} is not valid UTF-8 once percent-decoded`);
    }
  };
  // The defaults libpq (and pg) use: environment, then the operating-system user.
  const user =
    decode(url.username, 'the user name') || url.searchParams.get('user') || process.env.PGUSER || osUser();
  const hostParam = url.searchParams.get('host');
  const hostname = emptyHost ? '' : url.hostname.replace(/^\[|\]$/g, '');
  const host = hostParam || decode(hostname, 'the host') || process.env.PGHOST || 'localhost';
  if (host.includes(',')) {
    throw invalidUrl(text, `it names several hosts (${host}); tenon connects to one`);
  }
  const database =
    decode(url.pathname.replace(/^\//, ''), 'the database name') ||
    url.searchParams.get('dbname') ||
    process.env.PGDATABASE ||
    user;
  const sslmode = url.searchParams.get('sslmode') ?? undefined;
  if (sslmode !== undefined && !(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw invalidUrl(
      text,
      `sslmode=${sslmode} is not one of ${SSL_MODES.join(', ')}`,
      'Use sslmode=require to encrypt, verify-full (with sslrootcert=FILE for a private CA) to also check the server certificate, or disable.',
    );
  }
  const display = new URL(url.toString());
  if (display.password) display.password = '****';
  for (const key of ['password', 'sslpassword'])
    if (display.searchParams.has(key)) display.searchParams.set(key, '****');
  const displayUrl = emptyHost ? display.toString().replace('@localhost/', '@/') : display.toString();
  return {
    kind: 'postgres',
    url: text,
    displayUrl,
    host,
    port,
    database,
    user,
    sslmode: sslmode as SslMode | undefined,
    hasPassword: url.password !== '' || !!url.searchParams.get('password'),
  };
}

/** The operating-system user name, libpq's default user. */
function osUser(): string {
  try {
    return userInfo().username || 'postgres';
  } catch {
    return process.env.USER || 'postgres';
  }
}

/** Which part of a URL the character at `index` belongs to, for messages that must not quote a password. */
function partAt(text: string, index: number): string {
  const authorityStart = text.indexOf('//') + 2;
  const authorityLength = text.slice(authorityStart).search(/[/?#]/);
  const authorityEnd = authorityLength < 0 ? text.length : authorityStart + authorityLength;
  if (index >= authorityEnd) {
    const query = text.indexOf('?', authorityEnd);
    return query >= 0 && index > query ? 'a query parameter' : 'the database name';
  }
  const at = text.lastIndexOf('@', authorityEnd - 1);
  if (at >= authorityStart && index < at) {
    const colon = text.indexOf(':', authorityStart);
    return colon >= 0 && colon < at && index > colon ? 'the password' : 'the user name';
  }
  return 'the host';
}

/** Why the port of a URL that did not parse is wrong, if that is why. */
function portProblem(text: string): string | undefined {
  const authority = /^[a-z]+:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(text);
  const port = authority?.[2];
  if (port === undefined || port === '') return undefined;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    return 'the port must be a number from 1 to 65535';
  }
  return undefined;
}

function invalidUrl(text: string, why: string, hint?: string): TenonError {
  const shown = text
    .replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:****@')
    .replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1****');
  return new TenonError('TENON_DB_URL_INVALID', `Invalid database URL "${shown}": ${why}.`, {
    hint:
      hint ??
      'Use postgres://user:password@host:5432/dbname for a server, or pglite://DIR / pglite://memory for the embedded database.',
  });
}

/**
 * Opens a {@link Database}: a `pg` pool for `postgres://` URLs, PGlite
 * otherwise. The connection is checked before this resolves, so a wrong
 * URL, host or password fails here, within `connectTimeoutMs`.
 *
 * @example
 * ```ts
 * const db = await connect({ databaseUrl: process.env.DATABASE_URL });
 * try {
 *   const { rows } = await db.query('select count(*) from users');
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const parsed = parseDatabaseUrl(options.databaseUrl, options.cwd);
  if (parsed.kind === 'pglite') {
    // Loaded on demand: commands run against a server skip PGlite's startup cost.
    const { PgliteDatabase } = await import('./pglite-database.js');
    return PgliteDatabase.open({ dataDir: parsed.dataDir, displayUrl: parsed.displayUrl });
  }
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  let config: ReturnType<typeof pgConnectionConfig>;
  try {
    config = pgConnectionConfig(parsed);
  } catch (error) {
    if (error instanceof PgUrlProblem) throw invalidUrl(parsed.url, error.message, error.hint);
    throw error;
  }
  return PostgresDatabase.open({
    config,
    applicationName: options.applicationName ?? 'tenon',
    maxConnections: options.maxConnections ?? 10,
    target: { ...parsed, timeoutMs },
  });
}

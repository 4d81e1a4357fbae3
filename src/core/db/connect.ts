import { isAbsolute, resolve } from 'node:path';
import { TenonError } from '../errors.js';
import type { ConnectOptions, Database } from './database.js';
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
      host: string;
      port: number;
      database: string;
      user: string;
    };

/**
 * Parses a database URL without connecting. Unset means PGlite in
 * `.tenon/pglite`; `pglite://memory` is an in-memory database;
 * `pglite://PATH` is a directory relative to `cwd` (or absolute).
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
  if (!/^postgres(ql)?:\/\//.test(text)) {
    throw invalidUrl(text, 'it must start with postgres://, postgresql:// or pglite://');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidUrl(text, 'it is not a valid URL');
  }
  const port = url.port ? Number(url.port) : 5432;
  const socketHost = url.searchParams.get('host');
  const host = socketHost ?? (url.hostname.replace(/^\[|\]$/g, '') || 'localhost');
  const database =
    decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
  const user = decodeURIComponent(url.username) || process.env.USER || 'postgres';
  const display = new URL(text);
  if (display.password) display.password = '****';
  return { kind: 'postgres', url: text, displayUrl: display.toString(), host, port, database, user };
}

function invalidUrl(text: string, why: string): TenonError {
  const shown = text.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:****@');
  return new TenonError('TENON_DB_URL_INVALID', `Invalid database URL "${shown}": ${why}.`, {
    hint: 'Use postgres://user:password@host:5432/dbname for a server, or pglite://DIR / pglite://memory for the embedded database.',
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
  return PostgresDatabase.open({
    url: parsed.url,
    applicationName: options.applicationName ?? 'tenon',
    maxConnections: options.maxConnections ?? 10,
    target: { ...parsed, timeoutMs },
  });
}

/** Rows and row count of one statement. */
export interface QueryResult<R> {
  rows: R[];
  /** Rows returned or affected (0 for statements that neither return nor change rows). */
  rowCount: number;
}

/** Which implementation is behind a {@link Database}. */
export type DatabaseKind = 'pglite' | 'postgres';

/**
 * The one way tenon talks to PostgreSQL, implemented by a `pg` pool
 * (server PostgreSQL) and by PGlite (the embedded database). Code that needs
 * a capability one of them lacks asks {@link Database.kind} or the catalog
 * instead of assuming.
 *
 * Errors are always {@link TenonError}s: `TENON_DB_QUERY_FAILED` carries the
 * SQLSTATE (`details.sqlState`), `position`, `detail` and the server's hint.
 */
export interface Database {
  /** Runs one statement with `$1…$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of one or more statements without parameters (simple protocol). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction on one connection: COMMIT when it resolves,
   * ROLLBACK when it throws. Nested calls use savepoints.
   */
  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one dedicated connection (session-level settings and
   * advisory locks stay with it), released when `fn` settles.
   */
  withSession<T>(fn: (session: Database) => Promise<T>): Promise<T>;
  readonly kind: DatabaseKind;
  /** `server_version_num`, e.g. 150019 or 180006. */
  readonly serverVersion: number;
  /** The URL with any password removed, for messages. */
  readonly displayUrl: string;
  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /**
   * `postgres://user:pass@host:port/db` (or `postgresql://`) for a server,
   * `pglite://DIR` or `pglite://memory` for the embedded database. Unset:
   * PGlite in `.tenon/pglite` under {@link ConnectOptions.cwd}.
   */
  databaseUrl?: string | undefined;
  /** Base for relative PGlite directories. Default: `process.cwd()`. */
  cwd?: string;
  /** How long to wait for a server to accept and authenticate a connection. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** `application_name` shown in `pg_stat_activity`. Default `tenon`. */
  applicationName?: string;
  /** Maximum connections in the pool (server only). Default 10. */
  maxConnections?: number;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite } from '@electric-sql/pglite';
import { pg_stat_statements } from '@electric-sql/pglite/contrib/pg_stat_statements';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { TenonError } from '../errors.js';
import type { Database, QueryResult } from './database.js';
import { toQueryError } from './database-errors.js';
import { lockPgliteDir } from './pglite-dir-lock.js';
import { SessionDatabase, type SqlRunner } from './session-database.js';

const INT8_OID = 20;

/** Options of {@link PgliteDatabase.open}. */
export interface PgliteDatabaseOptions {
  /** Absolute data directory, or `undefined` for an in-memory database. */
  dataDir: string | undefined;
  displayUrl: string;
  /** A data directory dump (`dumpDataDir`) to start from instead of running initdb (in-memory only). */
  loadDataDir?: Blob;
}

/** {@link lockPgliteDir}, with a filesystem failure (permissions, a read-only disk) as a coded error. */
async function lockDir(dir: string, displayUrl: string): Promise<() => void> {
  try {
    return await lockPgliteDir(dir);
  } catch (error) {
    if (error instanceof TenonError) throw error;
    throw new TenonError(
      'TENON_DB_PGLITE_FAILED',
      `Could not lock the embedded database ${displayUrl}: ${(error as Error).message}`,
      { cause: error, hint: `Check that ${dir} is a directory this user may write.` },
    );
  }
}

/**
 * {@link Database} on PGlite, PostgreSQL compiled to WebAssembly and run in
 * this process. There is one connection, so sessions and transactions take
 * turns: a mutex keeps one caller's statements from interleaving with
 * another's, and {@link AsyncLocalStorage} lets code already inside a session
 * call the outer object without deadlocking.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #insideSession = new AsyncLocalStorage<true>();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly pglite: PGlite,
    readonly serverVersion: number,
    readonly displayUrl: string,
    private readonly unlock: () => void,
  ) {}

  /**
   * Opens (creating when needed) the database and loads the
   * `pg_stat_statements` contrib module so `tenon db` can use it, and
   * `pg_trgm` so the trigram indexes it recommends can be created (by
   * `CREATE EXTENSION`, as on a server).
   */
  static async open(options: PgliteDatabaseOptions): Promise<PgliteDatabase> {
    const unlock = options.dataDir ? await lockDir(options.dataDir, options.displayUrl) : () => undefined;
    try {
      const pglite = await PGlite.create(options.dataDir, {
        extensions: { pg_stat_statements, pg_trgm },
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        // Match `pg`: int8 arrives as a string, since a JS number loses precision past 2^53.
        parsers: { [INT8_OID]: (value: string) => value },
      });
      const { rows } = await pglite.query<{ server_version_num: string }>('SHOW server_version_num');
      return new PgliteDatabase(pglite, Number(rows[0]?.server_version_num), options.displayUrl, unlock);
    } catch (error) {
      unlock();
      throw new TenonError(
        'TENON_DB_PGLITE_FAILED',
        `Could not open the embedded database ${options.displayUrl}: ${(error as Error).message}`,
        {
          cause: error,
          hint: 'The directory may be damaged or written by another PGlite version. Move it aside to start fresh.',
        },
      );
    }
  }

  readonly #runner: SqlRunner = {
    query: async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
      try {
        const result = await this.pglite.query<R>(sql, params as unknown[] | undefined);
        return {
          rows: result.rows,
          rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0),
        };
      } catch (error) {
        throw toQueryError(error, sql);
      }
    },
    exec: async (sql: string): Promise<void> => {
      try {
        await this.pglite.exec(sql);
      } catch (error) {
        throw toQueryError(error, sql);
      }
    },
  };

  /** Runs `fn` alone on the connection, unless this call is already inside a session. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new TenonError('TENON_DB_CONNECTION_LOST', 'The embedded database is closed.'));
    }
    if (this.#insideSession.getStore()) return fn();
    const run = this.#queue.then(() => this.#insideSession.run(true, fn));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * The PGlite instance itself, for serving it to another process over the
   * wire protocol (`tenon demo`). Statements sent through it bypass this
   * object's session queue.
   */
  get instance(): PGlite {
    return this.pglite;
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#exclusive(() => this.#runner.query<R>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#exclusive(() => this.#runner.exec(sql));
  }

  transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    return this.withSession((session) => session.transaction(fn));
  }

  withSession<T>(fn: (session: Database) => Promise<T>): Promise<T> {
    return this.#exclusive(() => fn(new SessionDatabase(this.#runner, this)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    try {
      await this.pglite.close();
    } finally {
      this.unlock();
    }
  }
}

import { mkdirSync } from 'node:fs';
import pg from 'pg';
import type { Config } from '../config.js';
import { lockPgliteDir } from './pglite-lock.js';
import { isForeignSession, isStalePlan, StatementNames } from './statement-names.js';

export { DatabaseLockedError } from './pglite-lock.js';

/** Rows and the number of rows a statement touched. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * The one way the service talks to PostgreSQL: parameterized SQL only.
 * Implemented over a `pg` Pool (DATABASE_URL) or PGlite (embedded, for
 * development and tests).
 */
export interface Db {
  readonly kind: 'postgres' | 'pglite';
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs several statements separated by `;`, without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `fn` in a transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Resolves when the database answers `select 1`. */
  ping(): Promise<void>;
  /** The pool's connections (server PostgreSQL only; PGlite has one connection and no pool). */
  pool?(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

// int8 (count(*), bigint ids) as numbers while they are exact; date as 'YYYY-MM-DD' (no time zone shift).
const INT8 = 20;
const DATE = 1082;
function parseInt8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return parseInt8;
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

type QueryCallback = (error: Error | null, result: pg.QueryResult) => void;

/**
 * Runs a named statement on one connection. pg takes a Query object as it is, while it copies a
 * query config object ({ name, text, values }) on every call into a slow, dictionary-mode object
 * (1.8 against 0.1 µs a query, measured in process).
 */
function runNamed(client: pg.ClientBase, name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(text, values) as pg.Query & { name: string; callback: QueryCallback };
    query.name = name;
    query.callback = (error, result) => (error ? reject(error) : resolve(result));
    client.query(query);
  });
}

/** {@link runNamed} on a pooled connection, taken and given back as `pool.query` does (thrown away after an error). */
function poolNamed(pool: pg.Pool, name: string, text: string, values: unknown[]): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    pool.connect((connectError, client, release) => {
      if (connectError || !client) return reject(connectError ?? new Error('no connection'));
      let released = false;
      const done = (error: Error | undefined) => {
        if (released) return false;
        released = true;
        client.removeListener('error', onError);
        release(error);
        return true;
      };
      // The connection failing while the query runs (pg-pool's query listens for it too).
      const onError = (error: Error) => {
        if (done(error)) reject(error);
      };
      client.once('error', onError);
      runNamed(client, name, text, values).then(
        (result) => {
          if (done(undefined)) resolve(result);
        },
        (error: Error) => {
          if (done(error)) reject(error);
        },
      );
    });
  });
}

function wrapClient(
  client: pg.PoolClient | pg.Pool,
  statements: StatementNames | undefined,
  inTransaction = false,
): Pick<Db, 'query' | 'exec'> {
  return {
    async query<R>(text: string, params: readonly unknown[] = []) {
      const name = statements?.nameOf(text, params);
      if (name === undefined) {
        const result = await client.query(text, params as unknown[]);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      }
      try {
        const values = params as unknown[];
        const result = await (client instanceof pg.Pool ? poolNamed(client, name, text, values) : runNamed(client, name, text, values));
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      } catch (error) {
        if (isForeignSession(error)) {
          // A pooler shares server sessions between connections: names are turned off for good, and
          // this statement (which did not run) runs unnamed, unless its transaction is aborted.
          if (statements!.turnOff()) {
            process.emitWarning(
              'the database sessions are shared between connections (a pooler such as PgBouncer in transaction mode): statements now run unnamed; set DB_PREPARED_STATEMENTS=false to start that way',
              { code: 'DB_PREPARED_STATEMENTS_OFF' },
            );
          }
        } else if (isStalePlan(error)) {
          // A migration changed a column under the prepared plan: later calls prepare it anew, and this
          // one runs unnamed (inside a transaction the error has aborted it: the caller sees the error).
          statements!.forget(text);
        } else throw error;
        if (inTransaction) throw error;
        const result = await client.query(text, params as unknown[]);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      }
    },
    async exec(text: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await client.query(text);
    },
  };
}

/** pg's client-side query timeout, or a connection lost: the client must not go back to the pool. */
function isBrokenConnection(error: unknown): boolean {
  return /Query read timeout|Connection terminated|Connection ended/.test((error as Error)?.message ?? '');
}

/** A `pg` Pool with the service's limits and timeouts. */
export function createPostgresDb(config: Config): Db {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS || undefined,
    // The server cancels a slow statement (above); a server that stopped answering at all (frozen,
    // a network path that drops packets) cannot, so the client gives up too, a little later.
    query_timeout: config.DB_QUERY_TIMEOUT_MS || undefined,
    // TCP keepalive notices a dead peer on an idle pooled connection before a request picks it up.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: process.env.npm_package_name ?? 'api',
    types: pgTypes,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Named statements: parsed and planned once per connection (off behind a pooler that cannot keep them).
  const statements = config.DB_PREPARED_STATEMENTS ? new StatementNames() : undefined;
  const db: Db = {
    kind: 'postgres',
    ...wrapClient(pool, statements),
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: config.DB_POOL_MAX }),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('begin');
        const tx: Db = { ...db, ...wrapClient(client, statements, true), transaction: (inner) => inner(tx) };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        // A connection that stopped answering is not rolled back (that would wait as long again)
        // but thrown away: the server ends the transaction when the connection closes.
        broken = isBrokenConnection(error) || (await client.query('rollback').then(() => false, () => true));
        throw error;
      } finally {
        client.release(broken || undefined);
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
  return db;
}

/** Options of {@link createPgliteDb}. */
export interface PgliteOptions {
  /** How long to wait for another process to release the directory (a server restarting); default 0. */
  lockWaitMs?: number;
  /** A migrated copy to start from (`dumpDataDir()`), instead of an empty cluster; in-memory databases only. */
  loadDataDir?: Blob;
}

/**
 * PGlite: PostgreSQL compiled to WebAssembly, in `dir` or in memory. One
 * connection, and one process per directory: a directory another process has
 * open is refused with {@link DatabaseLockedError} (two processes writing it
 * would corrupt it).
 */
export async function createPgliteDb(dir: string, options: PgliteOptions = {}): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  // Loaded like tenon loads it, so `tenon migrate` / `tenon db` and this app can open the same directory.
  const { pg_stat_statements } = await import('@electric-sql/pglite/contrib/pg_stat_statements');
  let release = () => undefined as void;
  if (dir !== 'memory') {
    mkdirSync(dir, { recursive: true });
    release = await lockPgliteDir(dir, options.lockWaitMs);
  }
  let lite: InstanceType<typeof PGlite>;
  try {
    lite = new PGlite({
      ...(dir === 'memory' ? {} : { dataDir: dir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: { [DATE]: (value: string) => value },
      extensions: { pg_stat_statements },
    });
    await lite.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  type Queryable = Pick<typeof lite, 'query' | 'exec'>;
  const wrap = (q: Queryable): Pick<Db, 'query' | 'exec'> => ({
    async query<R>(text: string, params: readonly unknown[] = []) {
      const result = await q.query<R>(text, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(text: string) {
      await q.exec(text);
    },
  });
  const db: Db = {
    kind: 'pglite',
    ...wrap(lite),
    transaction(fn) {
      return lite.transaction(async (t) => {
        const tx: Db = { ...db, ...wrap(t), transaction: (inner) => inner(tx) };
        return fn(tx);
      });
    },
    async ping() {
      await lite.query('select 1');
    },
    async close() {
      try {
        await lite.close();
      } finally {
        release();
      }
    },
  };
  pgliteOf.set(db, lite);
  return db;
}

const pgliteOf = new WeakMap<Db, { dumpDataDir(compression?: 'none'): Promise<Blob> }>();

/**
 * A snapshot of a PGlite database's whole cluster, for {@link PgliteOptions.loadDataDir}:
 * tests migrate one database and start every other from its copy, which is
 * several times faster than creating and migrating each.
 */
export async function dumpPglite(db: Db): Promise<Blob> {
  const lite = pgliteOf.get(db);
  if (!lite) throw new Error('only a PGlite database can be dumped');
  return lite.dumpDataDir('none');
}

/** The database the configuration asks for: DATABASE_URL, or PGlite when it is unset. */
export async function createDb(config: Config, options: PgliteOptions = {}): Promise<Db> {
  return config.DATABASE_URL ? createPostgresDb(config) : createPgliteDb(config.PGLITE_DIR, options);
}

import type { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Database, QueryResult } from './database.js';
import { type ConnectTarget, toConnectError, toQueryError } from './database-errors.js';
import { loadPg } from './load-pg.js';
import type { PgConnectionConfig } from './pg-connection-config.js';
import { SessionDatabase, type SqlRunner } from './session-database.js';

const pgLib = loadPg();

/** Options of {@link PostgresDatabase.open}. */
export interface PostgresDatabaseOptions {
  /** Settings from the URL, with the TLS settings to try in turn. */
  config: PgConnectionConfig;
  target: ConnectTarget;
  applicationName: string;
  maxConnections: number;
}

/** What the connection check reads of pg's client beyond its typings. */
interface ProbeInternals {
  connection: EventEmitter;
  /** After a password request: what pg found (URL, PGPASSWORD, ~/.pgpass), or null. */
  password: unknown;
}

const PASSWORD_REQUESTS = [
  'authenticationCleartextPassword',
  'authenticationMD5Password',
  'authenticationSASL',
] as const;

/**
 * Whether `error` means: try the next TLS setting. A server without TLS
 * answers the TLS request with "no" (sslmode=prefer then goes plain); a
 * server that only accepts TLS for this user rejects a plain connection
 * with "no encryption" (sslmode=allow then tries TLS).
 */
function refusedThisTls(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const message = e?.message ?? '';
  return (
    message === 'The server does not support SSL connections' ||
    (e?.code === '28000' && /no encryption/.test(message))
  );
}

/** Is this error about the connection itself (so the client must be discarded)? */
function isConnectionBroken(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = (error as Error | undefined)?.message ?? '';
  return (
    ['ECONNRESET', 'EPIPE', '57P01', '57P02', '08006'].includes(code) ||
    /Connection terminated|connection is closed/i.test(message)
  );
}

function runnerFor(client: pg.PoolClient): SqlRunner {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      try {
        const result = await client.query(sql, params as unknown[] | undefined);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
      } catch (error) {
        throw toQueryError(error, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (error) {
        throw toQueryError(error, sql);
      }
    },
  };
}

/** {@link Database} on a server PostgreSQL through a `pg` pool. */
export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  #closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly target: ConnectTarget,
    readonly serverVersion: number,
    /** The checked connection until the pool takes it (see {@link PostgresDatabase.open}). */
    private readonly spare: { client?: pg.Client | undefined },
  ) {}

  get displayUrl(): string {
    return this.target.displayUrl;
  }

  /**
   * Opens a pool and checks the connection once, so a wrong URL, password or
   * host fails here, within the connect timeout, with a clear error.
   */
  static async open(options: PostgresDatabaseOptions): Promise<PostgresDatabase> {
    const { base, ssl: attempts } = options.config;
    let config: pg.ClientConfig = {};
    let serverVersion = 0;
    let checked: pg.Client | undefined;
    let checkedBroken = false;
    for (const [i, ssl] of attempts.entries()) {
      checkedBroken = false;
      config = {
        application_name: options.applicationName,
        ...base,
        ssl,
        connectionTimeoutMillis: options.target.timeoutMs,
        keepAlive: true,
      };
      // Check with a lone client first: pg.Pool's own connect timeout can leave the
      // half-open socket behind, while a Client destroys it when its timer fires.
      const probe = new pgLib.Client(config);
      const internals = probe as unknown as ProbeInternals;
      probe.on('error', () => {
        checkedBroken = true;
      });
      let passwordRequested = false;
      for (const request of PASSWORD_REQUESTS) {
        internals.connection.once(request, () => {
          passwordRequested = true;
        });
      }
      try {
        await probe.connect();
        const { rows } = await probe.query<{ server_version_num: string }>('SHOW server_version_num');
        serverVersion = Number(rows[0]?.server_version_num);
        checked = probe;
        break;
      } catch (error) {
        await probe.end().catch(() => undefined);
        if (i < attempts.length - 1 && refusedThisTls(error)) continue;
        // pg resolves the password (URL, PGPASSWORD, ~/.pgpass) only when the server asks for one.
        const passwordGiven = typeof internals.password === 'string' && internals.password !== '';
        throw toConnectError(error, {
          ...options.target,
          tls: ssl !== false && ssl !== undefined,
          passwordMissing: passwordRequested && !passwordGiven,
        });
      }
    }
    // The pool uses the TLS setting the check settled on, and the checked connection is its first:
    // a command that needs one connection (migrate status, an up-to-date up) opens one, not two
    // (a server backend to start, and a close to wait for; docs/migrate.md#performance).
    const spare = { client: checked };
    function FirstTheCheckedClient(clientConfig: pg.ClientConfig): pg.Client {
      const client = spare.client;
      spare.client = undefined;
      if (!client || checkedBroken) {
        client?.end().catch(() => undefined);
        return new pgLib.Client(clientConfig);
      }
      // Connected already: the pool's connect goes straight on (its callback, asynchronously).
      client.connect = ((callback: (error: Error | null) => void) => {
        process.nextTick(callback, null);
      }) as pg.Client['connect'];
      return client;
    }
    const pool = new pgLib.Pool({
      ...config,
      max: options.maxConnections,
      Client: FirstTheCheckedClient as unknown as new () => pg.ClientBase,
    });
    // An idle client whose server went away emits 'error' on the pool; without a
    // listener Node would crash. The next query simply gets a fresh client.
    pool.on('error', () => undefined);
    // Errors on a checked-out client surface through the query promise; this
    // listener only keeps an 'error' event between queries from crashing Node.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new PostgresDatabase(pool, options.target, serverVersion, spare);
  }

  async #acquire(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw toConnectError(error, this.target);
    }
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return this.withSession((session) => session.query<R>(sql, params));
  }

  async exec(sql: string): Promise<void> {
    return this.withSession((session) => session.exec(sql));
  }

  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    return this.withSession((session) => session.transaction(fn));
  }

  async withSession<T>(fn: (session: Database) => Promise<T>): Promise<T> {
    const client = await this.#acquire();
    let broken = false;
    try {
      return await fn(new SessionDatabase(runnerFor(client), this));
    } catch (error) {
      broken = isConnectionBroken((error as { cause?: unknown }).cause ?? error);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Never handed out (nothing was queried): the pool does not know it, so it is closed here.
    const unused = this.spare.client;
    this.spare.client = undefined;
    await unused?.end().catch(() => undefined);
    await this.pool.end();
  }
}

import type { Database, DatabaseKind, QueryResult } from './database.js';

/** The two primitives a connection offers; everything else is built on them. */
export interface SqlRunner {
  query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  exec(sql: string): Promise<void>;
}

/** Facts about the server shared by a pool and the sessions it hands out. */
export interface DatabaseIdentity {
  readonly kind: DatabaseKind;
  readonly serverVersion: number;
  readonly displayUrl: string;
}

/**
 * A {@link Database} bound to one connection. Transactions are plain
 * BEGIN/COMMIT on that connection, and savepoints when nested, so both
 * implementations share the same semantics.
 */
export class SessionDatabase implements Database {
  readonly kind: DatabaseKind;
  readonly serverVersion: number;
  readonly displayUrl: string;
  #depth: number;
  #savepoints = 0;

  constructor(
    private readonly runner: SqlRunner,
    identity: DatabaseIdentity,
    depth = 0,
  ) {
    this.kind = identity.kind;
    this.serverVersion = identity.serverVersion;
    this.displayUrl = identity.displayUrl;
    this.#depth = depth;
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.runner.query<R>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.runner.exec(sql);
  }

  async transaction<T>(fn: (tx: Database) => Promise<T>): Promise<T> {
    const nested = this.#depth > 0;
    const savepoint = `tenon_sp_${this.#depth}_${this.#savepoints++}`;
    await this.runner.exec(nested ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    const tx = new SessionDatabase(this.runner, this, this.#depth + 1);
    try {
      const result = await fn(tx);
      await this.runner.exec(nested ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
      return result;
    } catch (error) {
      // The rollback can itself fail when the connection is gone; the original error matters more.
      await this.runner
        .exec(nested ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK')
        .catch(() => undefined);
      throw error;
    }
  }

  withSession<T>(fn: (session: Database) => Promise<T>): Promise<T> {
    return fn(this);
  }

  /** A session does not own its connection; the pool (or PGlite) closes it. */
  async close(): Promise<void> {}
}

import type { Database } from '../core/db/index.js';

class RollbackWith<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` in a transaction on one session and always rolls it back, so
 * whatever `fn` creates (a hypopg extension, candidate indexes, rows an
 * `EXPLAIN ANALYZE` wrote) leaves no trace. Errors from `fn` propagate.
 */
export async function inRolledBackTransaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new RollbackWith(await fn(tx));
    });
  } catch (thrown) {
    if (thrown instanceof RollbackWith) return thrown.value as T;
    throw thrown;
  }
  throw new Error('unreachable: the transaction is always rolled back');
}

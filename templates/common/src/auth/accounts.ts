import type { Db } from '../db/database.js';

/** What the server holds true about an account now: its grants and the version its access tokens must carry. */
export interface Account {
  /** The role, then the scopes granted next to it, space-separated (`auth_users.role`). */
  role: string;
  /** `auth_users.token_version`: raised by logout, password change and refresh-token reuse. */
  tokenVersion: number;
}

/**
 * The accounts behind access tokens, read from the database and remembered
 * for at most `ttlMs` (AUTH_ACCOUNT_CACHE_MS), so a caller's requests cost a
 * map lookup and one indexed read every `ttlMs`. That is the bound on
 * revocation: a logout, password change, role change (`npm run grant`) or
 * deleted account elsewhere (another replica, another process) is seen here
 * within `ttlMs`; a change made through this process is seen at once
 * (`forget`).
 */
export interface Accounts {
  /** The account of user `id`; undefined when it no longer exists. */
  get(id: number): Promise<Account | undefined>;
  /** Drops what is remembered of `id`: the next request reads the database. */
  forget(id: number): void;
}

/** How many accounts are remembered (oldest forgotten first). */
const MAX_ENTRIES = 10_000;

/** Creates the account reader of the app over `db`. `ttlMs` 0 reads the database on every request. */
export function createAccounts(db: Db, ttlMs: number, now: () => number = Date.now): Accounts {
  // The promise is kept, not its value: parallel requests of one caller share one read.
  const cache = new Map<number, { at: number; account: Promise<Account | undefined> }>();
  async function read(id: number): Promise<Account | undefined> {
    const { rows } = await db.query<{ role: string; token_version: number }>(
      'select role, token_version from auth_users where id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { role: row.role, tokenVersion: row.token_version } : undefined;
  }
  return {
    get(id) {
      const at = now();
      const known = cache.get(id);
      // Timed from before the read started: a change committed during a read is still seen within ttlMs.
      if (known && at - known.at < ttlMs) return known.account;
      if (known) cache.delete(id);
      const account = read(id);
      if (ttlMs > 0) {
        const entry = { at, account };
        if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(id, entry);
        // A failed read is not remembered: the next request tries again.
        account.catch(() => {
          if (cache.get(id) === entry) cache.delete(id);
        });
      }
      return account;
    },
    forget(id) {
      cache.delete(id);
    },
  };
}

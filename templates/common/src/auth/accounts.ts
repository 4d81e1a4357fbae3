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
  /** {@link get}, answered at once (no promise) when the account was read within `ttlMs`. */
  getNow(id: number): Account | undefined | Promise<Account | undefined>;
  /** Drops what is remembered of `id`: the next request reads the database. */
  forget(id: number): void;
}

/** How many accounts are remembered (oldest forgotten first). */
const MAX_ENTRIES = 10_000;

/** Creates the account reader of the app over `db`. `ttlMs` 0 reads the database on every request. */
export function createAccounts(db: Db, ttlMs: number, now: () => number = Date.now): Accounts {
  // The promise is kept, not its value: parallel requests of one caller share one read. Once it
  // has answered, its value is kept too, so a request within ttlMs takes it without a microtask.
  interface Entry {
    at: number;
    account: Promise<Account | undefined>;
    read: boolean;
    value: Account | undefined;
  }
  const cache = new Map<number, Entry>();
  async function read(id: number): Promise<Account | undefined> {
    const { rows } = await db.query<{ role: string; token_version: number }>(
      'select role, token_version from auth_users where id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { role: row.role, tokenVersion: row.token_version } : undefined;
  }
  /** The entry of `id` when it is recent enough to answer from (timed from before its read started). */
  const fresh = (id: number): Entry | undefined => {
    const known = cache.get(id);
    // Timed from before the read started: a change committed during a read is still seen within ttlMs.
    if (known && now() - known.at < ttlMs) return known;
    if (known) cache.delete(id);
    return undefined;
  };
  function load(id: number): Promise<Account | undefined> {
    const at = now();
    const account = read(id);
    if (ttlMs > 0) {
      const entry: Entry = { at, account, read: false, value: undefined };
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(id, entry);
      account.then(
        (value) => {
          entry.value = value;
          entry.read = true;
        },
        // A failed read is not remembered: the next request tries again.
        () => {
          if (cache.get(id) === entry) cache.delete(id);
        },
      );
    }
    return account;
  }
  return {
    get(id) {
      return fresh(id)?.account ?? load(id);
    },
    getNow(id) {
      const known = fresh(id);
      if (!known) return load(id);
      return known.read ? known.value : known.account;
    },
    forget(id) {
      cache.delete(id);
    },
  };
}

import type { Config } from '../config.js';

/**
 * The service's settings as the migration step uses them: no statement
 * timeout and no client-side query timeout. The service's 5 s keep one
 * request from holding a connection; a migration's index build or backfill
 * takes as long as its table needs, and what must stay short there is the
 * wait for a lock, which the runner bounds with `lock_timeout` on each
 * migration. `tenon migrate` sets no statement timeout either, by default.
 */
export function migrationConfig(config: Config): Config {
  return { ...config, DB_STATEMENT_TIMEOUT_MS: 0, DB_QUERY_TIMEOUT_MS: 0 };
}

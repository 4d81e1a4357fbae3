import type { DatabaseKind } from '../core/db/database.js';
import { quoteLiteral } from '../core/sql/quote.js';

const DEALLOCATE_SQL_PREPARED =
  'do $tenon$ declare n text; begin for n in select name from pg_prepared_statements where from_sql loop ' +
  "execute format('deallocate %I', n); end loop; end $tenon$";

/** What {@link sessionResetSql} needs to know about the runner's session. */
export interface SessionIdentity {
  kind: DatabaseKind;
  serverVersion: number;
  /** The runner's `application_name` (shown by `status` for the lock holder). */
  applicationName: string;
  /**
   * True when tenon opened the connection itself (no `db` given to the
   * Migrator): nothing else prepares statements through the protocol on it,
   * so every prepared statement there came from a migration's SQL.
   */
  ownConnection?: boolean;
}

/**
 * The SQL that gives each migration a clean session, so a `SET search_path`
 * (or `SET ROLE`, a temporary table, a cursor, `LISTEN`, a `PREPARE`) at the top of one
 * migration is scoped to it and the outcome does not depend on which
 * process ran what before. It is what `DISCARD ALL` does, minus the parts
 * that would break the run: `DISCARD ALL` cannot run in a transaction block
 * and calls `pg_advisory_unlock_all()`, which would release the migration
 * lock. `RESET ALL` leaves `role` and `session_authorization` alone, hence
 * `SET SESSION AUTHORIZATION DEFAULT` (which also resets the role). The
 * runner's own session settings are set again after the reset.
 * Every command here may run inside a transaction block.
 */
export function sessionResetSql(session: SessionIdentity): string {
  const parts = [
    'set session authorization default',
    'reset all',
    'discard temp',
    'discard sequences',
    'close all',
    'unlisten *',
    // DISCARD ALL's DEALLOCATE ALL, for what a migration PREPAREd in SQL only (`from_sql`):
    // statements prepared through the protocol belong to the driver (node-postgres caches
    // their names per connection), and a `db` given to the Migrator goes back to its pool.
    // On a server connection of tenon's own (which prepares nothing by name) every prepared
    // statement is a migration's, and the plain statement costs the server about 0.04 ms
    // against 0.13 ms for the DO block (compiled anew each time): ~30 ms of server time,
    // on the critical path, in a 350-migration `up` (docs/migrate.md#performance).
    session.ownConnection && session.kind === 'postgres' ? 'deallocate all' : DEALLOCATE_SQL_PREPARED,
    `set application_name = ${quoteLiteral(session.applicationName)}`,
  ];
  if (session.kind === 'postgres' && session.serverVersion >= 140000) {
    parts.push(`set client_connection_check_interval = '1s'`);
  }
  return parts.join(';\n');
}

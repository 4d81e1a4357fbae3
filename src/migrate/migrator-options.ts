import * as z from 'zod';
import type { Database } from '../core/db/database.js';
import { migrateConfigSchema } from './migrate-config.js';
import type { MigrateEvent } from './migrate-events.js';

/**
 * Options of {@link Migrator}: the `migrate` settings (same names, types and
 * defaults as the config file section and the CLI flags) plus where the
 * database is. Durations accept `'5s'` or milliseconds.
 */
export const migratorOptionsSchema = migrateConfigSchema.extend({
  /** `postgres://…`, `pglite://DIR`, `pglite://memory`; unset: PGlite in `.tenon/pglite`. Ignored when `db` is given. */
  databaseUrl: z.string().min(1).optional(),
  /** An open database to use instead of `databaseUrl`; the Migrator never closes it. */
  db: z
    .custom<Database>((value) => typeof (value as Database | undefined)?.withSession === 'function')
    .optional(),
  /** Base for a relative `dir` and PGlite directory. Default: `process.cwd()`. */
  cwd: z.string().min(1).optional(),
  /** Stops between migrations (and between statements of a non-transactional one) when aborted. */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional(),
  /** Progress: the lock, each migration and statement, retries, warnings. */
  onEvent: z.custom<(event: MigrateEvent) => void>((value) => typeof value === 'function').optional(),
});

/** What {@link Migrator} accepts. */
export type MigratorOptions = z.input<typeof migratorOptionsSchema>;

/** Options after validation and defaults. */
export type ResolvedMigratorOptions = z.output<typeof migratorOptionsSchema>;

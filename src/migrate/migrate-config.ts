import { z } from 'zod';
import { booleanSchema, identifierSchema, intSchema } from '../core/config-values.js';
import { durationSchema } from '../core/duration.js';

/**
 * Settings of `tenon migrate`, shared by the config file section `migrate`,
 * the `TENON_MIGRATE_*` environment variables, the CLI flags and the
 * {@link Migrator} options.
 */
export const migrateConfigSchema = z.strictObject({
  /** Folder holding the migration files, relative to the working directory. */
  dir: z.string().min(1).default('migrations'),
  /** Name of the history table. */
  table: identifierSchema.default('tenon_migrations'),
  /** Schema of the history table (created when missing). */
  schema: identifierSchema.default('public'),
  /** `SET LOCAL lock_timeout` for every migration; 0 disables it. */
  lockTimeout: durationSchema.default(5000),
  /** `SET LOCAL statement_timeout` for every migration; 0 (the default) disables it. */
  statementTimeout: durationSchema.default(0),
  /** How long to wait for another runner holding the migration lock. */
  lockWait: durationSchema.default(60_000),
  /** How many times a migration that hit lock_timeout is retried before failing. */
  lockRetries: intSchema(0).default(3),
  /** Apply pending migrations older than the newest applied one. */
  allowOutOfOrder: booleanSchema.default(false),
});

/** Resolved `migrate` settings. */
export type MigrateConfig = z.output<typeof migrateConfigSchema>;

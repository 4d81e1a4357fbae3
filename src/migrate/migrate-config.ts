import * as z from 'zod';
import { booleanSchema, identifierSchema, intSchema } from '../core/config-values.js';
import { durationSchema } from '../core/duration.js';

const LINT_LEVELS = ['error', 'warning', 'info', 'off'] as const;

/** A list of names, given as an array or as comma-separated text (flags, environment). */
const nameListSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(','))
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  );

/** Severity per lint rule: an object, or `rule=level,rule=level` text (environment). */
const lintSeveritySchema = z
  .union([z.record(z.string(), z.enum(LINT_LEVELS)), z.string()])
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    const out: Record<string, (typeof LINT_LEVELS)[number]> = {};
    for (const pair of value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [rule, level] = pair.split('=').map((p) => p.trim());
      if (!rule || !level || !(LINT_LEVELS as readonly string[]).includes(level)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected rule=level with level one of ${LINT_LEVELS.join(', ')} (got "${pair}")`,
        });
        return z.NEVER;
      }
      out[rule] = level as (typeof LINT_LEVELS)[number];
    }
    return out;
  });

/** A PostgreSQL version: `15`, `15.4`, or `server_version_num` (`150004`). */
const pgVersionSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value).trim();
  const dotted = /^(\d{1,2})(?:\.(\d{1,2}))?$/.exec(text);
  if (dotted) return Number(dotted[1]) * 10000 + Number(dotted[2] ?? 0);
  if (/^\d{5,6}$/.test(text)) return Number(text);
  ctx.addIssue({
    code: 'custom',
    message: `expected a PostgreSQL version such as 15, 15.4 or 150004 (got ${JSON.stringify(value)})`,
  });
  return z.NEVER;
});

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
  /**
   * The pg_dump that copies the live schema into the shadow of a dry run or `trace` (a path; it
   * must be as new as the server). Default: `TENON_PG_DUMP` when set, else `pg_dump` on the PATH.
   */
  pgDump: z.string().min(1).optional(),
  /** What `up` does with lint findings on the pending migrations: `off`, `warn` (print them), `error` (refuse at `lintFailOn`). */
  lintOnUp: z.enum(['off', 'warn', 'error']).default('warn'),
  /** The lowest severity that fails `migrate lint` (and `up` with `lintOnUp: error`); `never`: nothing fails. */
  lintFailOn: z.enum(['error', 'warning', 'info', 'never']).default('error'),
  /** Lint rules switched off. */
  lintDisable: nameListSchema.default([]),
  /** Severity per rule, replacing its default: `{ "prefer-bigint": "off", "drop-column": "error" }`. */
  lintSeverity: lintSeveritySchema.default({}),
  /** The PostgreSQL version lint assumes without a database (default 13, the oldest supported). */
  lintPgVersion: pgVersionSchema.optional(),
  /** Below this many rows (and 10 MB) a rewrite or scan of a live table is `info`. */
  lintSmallTableRows: intSchema(0).default(10_000),
  /** From this many rows (or 1 GB) a rewrite or scan of a live table is an `error`. */
  lintLargeTableRows: intSchema(1).default(1_000_000),
  /** Lint the down sections too. */
  lintDown: booleanSchema.default(false),
  /** trace: a statement that runs at least this long in the shadow is a slow step. */
  traceSlow: durationSchema.default(1000),
  /** `up` refuses to run when more applied migrations than this have no file (or all of them do: a wrong `dir`). */
  maxMissing: intSchema(0).default(10),
  /** `up` runs whatever number of applied migrations have no file (deleted on purpose; see `repair --forget-missing`). */
  allowMissing: booleanSchema.default(false),
});

/** Resolved `migrate` settings. */
export type MigrateConfig = z.output<typeof migrateConfigSchema>;

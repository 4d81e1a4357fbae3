import type { ErrorCodeInfo } from './error-code-info.js';

/** Codes raised by `tenon migrate`. */
export const migrateErrorCodes = {
  TENON_MIGRATE_FILE_INVALID: {
    kind: 'usage',
    summary: 'A migration file name or its markers are malformed.',
  },
  TENON_MIGRATE_DIR_NOT_FOUND: {
    kind: 'usage',
    summary: 'The migrations directory does not exist or is not a directory.',
  },
  TENON_MIGRATE_DUPLICATE_VERSION: {
    kind: 'usage',
    summary: 'Two migration files have the same version.',
  },
  TENON_MIGRATE_TRANSACTION_CONTROL: {
    kind: 'usage',
    summary: 'A migration file contains BEGIN, COMMIT, ROLLBACK or another transaction control statement.',
  },
  TENON_MIGRATE_ENUM_VALUE_IN_TRANSACTION: {
    kind: 'usage',
    summary:
      'A transactional migration uses an enum value it adds with ALTER TYPE … ADD VALUE, which PostgreSQL refuses until the value is committed.',
  },
  TENON_MIGRATE_FILES_MISSING: {
    kind: 'usage',
    summary:
      'up found more applied migrations without a file than --max-missing allows, or all of them (a wrong --dir?).',
  },
  TENON_MIGRATE_UNKNOWN_VERSION: {
    kind: 'usage',
    summary: 'A version given on the command line matches no migration file or history row.',
  },
  TENON_MIGRATE_OUT_OF_ORDER: {
    kind: 'usage',
    summary: 'Pending migrations are older than the newest applied one and --allow-out-of-order is not set.',
  },
  TENON_MIGRATE_IRREVERSIBLE: {
    kind: 'usage',
    summary: 'A migration to roll back has an empty or missing down section, or its file is gone.',
  },
  TENON_MIGRATE_BASELINE_REFUSED: {
    kind: 'usage',
    summary: 'baseline was asked for on a database whose history already has migrations.',
  },
  TENON_MIGRATE_REPAIR_ACTION_REQUIRED: {
    kind: 'usage',
    summary: 'repair needs to be told what a human did: --retry, --applied or --forget.',
  },
  TENON_MIGRATE_HISTORY_INVALID: {
    kind: 'runtime',
    summary: 'The history table exists but does not have the columns tenon expects.',
  },
  TENON_MIGRATE_LOCK_TIMEOUT: {
    kind: 'runtime',
    summary: 'Another runner held the migration lock for longer than --lock-wait.',
  },
  TENON_MIGRATE_DIRTY: {
    kind: 'runtime',
    summary: 'A non-transactional migration stopped part-way; a human must check it and run repair.',
  },
  TENON_MIGRATE_STATEMENT_FAILED: {
    kind: 'runtime',
    summary: 'A statement of a migration failed; a transactional migration was rolled back.',
  },
  TENON_MIGRATE_LOCK_RETRIES_EXHAUSTED: {
    kind: 'runtime',
    summary: 'A migration hit lock_timeout on every attempt; another session holds a conflicting table lock.',
  },
  TENON_MIGRATE_DRIFT: {
    kind: 'check',
    summary: 'verify found applied files that changed, applied versions without a file, or other drift.',
  },
  TENON_MIGRATE_LINT_FAILED: {
    kind: 'check',
    summary:
      'lint found problems at or above the failing severity (migrate lint, or up with lintOnUp: error).',
  },
  TENON_MIGRATE_SHADOW_FAILED: {
    kind: 'runtime',
    summary:
      'trace or a dry run could not create or load its shadow database (no CREATEDB privilege, or, without pg_dump, an applied migration failed when replayed there).',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

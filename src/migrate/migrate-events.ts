import type { LockHolder } from './advisory-lock.js';
import type { LintResult } from './lint/lint-migrations.js';
import type { Direction } from './plan.js';

/** What happened to one migration in a run. */
export type MigrationOutcome =
  /** `up` ran it and recorded it. */
  | 'applied'
  /** `down` ran its down section and removed its history row. */
  | 'reverted'
  /** Dry run: executed inside a transaction that was rolled back, without error. */
  | 'checked'
  /** Dry run: not executed, because it must run outside a transaction. */
  | 'skipped'
  /** A statement failed; see `error`. */
  | 'failed';

/** The per-migration result of `up` and `down` (and the `migration-done` event). */
export interface MigrationResult {
  version: string;
  name: string;
  file: string;
  direction: Direction;
  status: MigrationOutcome;
  /** True when it ran in one transaction with its history row. */
  transactional: boolean;
  /** Statements in the section that ran. */
  statements: number;
  /** Statement it resumed at, when a dirty migration released by `repair --retry` continued. */
  resumedAt?: number;
  executionMs: number;
  /** Attempts that hit lock_timeout and were retried. */
  retries: number;
  notes: string[];
  /** Set when `status` is `failed`. */
  error?: { code: string; message: string; hint?: string };
}

/** Statement-level detail of a plan, printed by `--dry-run`. */
export interface PlannedStatementView {
  index: number;
  line: number;
  sql: string;
  /** `transaction` or `outside` (autocommit). */
  runs: 'transaction' | 'outside';
  nonTransactional?: string;
  rewritten?: string;
}

/**
 * Events a {@link Migrator} emits while it works. The library never prints;
 * the CLI turns these into a progress line.
 */
export interface MigratorEvents {
  /** The lock is busy; the runner polls until `lockWait`. */
  'lock-wait': [{ key: string; holder: LockHolder | undefined }];
  'lock-acquired': [{ key: string; waitedMs: number }];
  'migration-start': [
    {
      version: string;
      name: string;
      file: string;
      direction: Direction;
      transactional: boolean;
      statements: number;
      dryRun: boolean;
    },
  ];
  'statement-start': [
    { version: string; file: string; index: number; total: number; line: number; sql: string },
  ];
  /** A migration (or statement) hit lock_timeout and will be tried again after `delayMs`. */
  retry: [{ version: string; file: string; attempt: number; delayMs: number; message: string }];
  'migration-done': [MigrationResult];
  /** `trace` starts running a migration on the shadow. */
  'trace-migration': [{ file: string }];
  /** `up` linted the pending migrations (before taking the lock). */
  lint: [LintResult];
  warning: [{ message: string }];
}

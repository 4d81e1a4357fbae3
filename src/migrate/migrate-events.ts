import type { LockHolder } from './advisory-lock.js';
import type { LintResult } from './lint/lint-migrations.js';
import type { Direction } from './plan.js';

/** What happened to one migration in a run. */
export type MigrationOutcome =
  /** `up` ran it and recorded it. */
  | 'applied'
  /** `down` ran its down section and removed its history row. */
  | 'reverted'
  /** Dry run: ran on the shadow as `up`/`down` would run it, without error. */
  | 'checked'
  /** Dry run: not run, because an earlier migration failed (the real run stops there too). */
  | 'not-run'
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

/** What a migration run is about to do, in the `migration-start` event. */
export interface MigrationStart {
  version: string;
  name: string;
  file: string;
  direction: Direction;
  transactional: boolean;
  statements: number;
  dryRun: boolean;
}

/**
 * Progress of a {@link Migrator} command, passed to its `onEvent` option.
 * The library never prints; the CLI turns these into progress lines.
 */
export type MigrateEvent =
  /** The lock is busy; the runner polls until `lockWait`. */
  | { type: 'lock-wait'; key: string; holder: LockHolder | undefined }
  | { type: 'lock-acquired'; key: string; waitedMs: number }
  | ({ type: 'migration-start' } & MigrationStart)
  | {
      type: 'statement-start';
      version: string;
      file: string;
      index: number;
      total: number;
      line: number;
      sql: string;
    }
  /** A migration (or statement) hit lock_timeout and will be tried again after `delayMs`. */
  | { type: 'retry'; version: string; file: string; attempt: number; delayMs: number; message: string }
  /** A migration finished (applied, reverted, checked, not-run or failed). */
  | { type: 'migration-done'; migration: MigrationResult }
  /** `trace` starts running a migration on the shadow. */
  | { type: 'trace-migration'; file: string }
  /** `up` linted the pending migrations (before taking the lock). */
  | { type: 'lint'; result: LintResult }
  | { type: 'warning'; message: string };

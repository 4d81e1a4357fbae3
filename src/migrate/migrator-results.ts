import type { DatabaseKind } from '../core/db/database.js';
import type { LockHolder } from './advisory-lock.js';
import type { InvalidIndex } from './catalog-checks.js';
import type { LintResult } from './lint/lint-migrations.js';
import type { MigrationResult } from './migrate-events.js';
import type { MigrationState, MigrationStatus } from './migration-state.js';
import type { RepairChange } from './repair.js';
import type { VerifyProblem } from './verify.js';

/** Where a command ran: shared by every result. */
export interface TargetInfo {
  /** The database URL without its password. */
  database: string;
  kind: DatabaseKind;
  /** `schema.table` of the history. */
  table: string;
  /** Absolute migrations directory. */
  dir: string;
}

/** The result of `up` and `down`. */
export interface RunResult extends TargetInfo {
  direction: 'up' | 'down';
  dryRun: boolean;
  lockKey: string;
  /** One entry per migration run (or, with dryRun, planned). */
  migrations: MigrationResult[];
  warnings: string[];
  /** `up` only: lint findings on the pending migrations (unless `lintOnUp` is `off`). */
  lint?: LintResult;
  /** Dry run: the shadow it ran on (`temporary database tenon_shadow_… on host:port`, `in-memory copy of …`). */
  shadow?: string;
}

/** The result of `status`. */
export interface StatusResult extends TargetInfo {
  /** The advisory lock key and, when a runner holds it now, who. */
  lock: { key: string; holder: LockHolder | null };
  historyExists: boolean;
  migrations: MigrationStatus[];
  counts: Record<MigrationState, number>;
  /** Indexes left INVALID, e.g. by a failed CREATE INDEX CONCURRENTLY. */
  invalidIndexes: InvalidIndex[];
}

/** The result of `verify`: `ok` is false on any drift. */
export interface VerifyResult extends StatusResult {
  ok: boolean;
  problems: VerifyProblem[];
}

/** The result of `repair`. */
export interface RepairResult extends TargetInfo {
  changes: RepairChange[];
}

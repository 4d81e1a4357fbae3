/**
 * `tenon/migrate`: versioned SQL migrations, safe on a busy PostgreSQL.
 *
 * @example
 * ```ts
 * import { Migrator } from 'tenon/migrate';
 * const migrator = new Migrator({ databaseUrl: process.env.DATABASE_URL });
 * try {
 *   const result = await migrator.up();
 * } finally {
 *   await migrator.close();
 * }
 * ```
 */
export {
  MIGRATION_FILE_RE,
  type MigrationSections,
  migrationChecksum,
  migrationFileName,
  migrationVersion,
  normalizeMigrationText,
  parseMigrationFile,
  renderMigrationFile,
  toSnakeName,
} from '../core/migration/migration-file.js';
export { describeLockHolder, type LockHolder, migrationLockKey } from './advisory-lock.js';
export type { BaselineResult } from './baseline.js';
export type { InvalidIndex, LockBlocker } from './catalog-checks.js';
export type { HistoryRow, HistoryTableName } from './history-table.js';
export {
  DEFAULT_LINT_SERVER_VERSION,
  type LintEvent,
  type LintFinding,
  type LintOptions,
  type LintResult,
  lintMigrations,
  type SuppressedFinding,
} from './lint/lint-migrations.js';
export type {
  Effect,
  IndexFacts,
  LintContext,
  LintMigration,
  LintRule,
  LintSettings,
  LintStatement,
  RuleExample,
  RuleFinding,
  Severity,
  TableFacts,
} from './lint/lint-rule.js';
export { severityAtLeast } from './lint/lint-rule.js';
export type { LintFileError, LintSource } from './lint/lint-source.js';
export { type LockMode, lockName, lockStrength, predictLocks } from './lint/lock-model.js';
export { lintRules } from './lint/rules/index.js';
export { lintSarif, type SarifOptions } from './lint/sarif.js';
export { type MigrateConfig, migrateConfigSchema } from './migrate-config.js';
export type {
  MigrateEvent,
  MigrationOutcome,
  MigrationResult,
  MigrationStart,
  PlannedStatementView,
} from './migrate-events.js';
export { type CreatedMigration, type MigrationSource, readMigrationDir } from './migration-files.js';
export type { MigrationState, MigrationStatus } from './migration-state.js';
export { Migrator } from './migrator.js';
export { type MigratorOptions, migratorOptionsSchema } from './migrator-options.js';
export type { RepairResult, RunResult, StatusResult, TargetInfo, VerifyResult } from './migrator-results.js';
export type { Direction, MigrationPlan, PlannedStatement } from './plan.js';
export type { RepairAction, RepairChange, RepairOptions } from './repair.js';
export type { DownOptions } from './run-down.js';
export type { LintCommandOptions, LintRunResult } from './run-lint.js';
export type { UpOptions } from './run-up.js';
export type { TraceOptions, TraceResult } from './trace/run-trace.js';
export type { TraceFinding } from './trace/trace-findings.js';
export type {
  TracedLock,
  TracedMigration,
  TracedRewrite,
  TracedStatement,
} from './trace/trace-migrations.js';
export type { VerifyProblem } from './verify.js';

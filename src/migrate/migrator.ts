import { resolve } from 'node:path';
import { connect } from '../core/db/connect.js';
import type { Database } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { findLockHolder } from './advisory-lock.js';
import type { BaselineResult } from './baseline.js';
import { findInvalidIndexes } from './catalog-checks.js';
import type { DryRunShadow } from './dry-run.js';
import { type HistoryTableName, readHistory } from './history-table.js';
import { lockKeyOf, withMigrationLock } from './locked-session.js';
import type { MigrateEvent, MigrationResult } from './migrate-events.js';
import {
  type CreatedMigration,
  createMigrationFile,
  type MigrationSource,
  readMigrationDir,
} from './migration-files.js';
import { computeMigrationStatus, countStates } from './migration-state.js';
import {
  type MigratorOptions,
  migratorOptionsSchema,
  type ResolvedMigratorOptions,
} from './migrator-options.js';
import type { RepairResult, RunResult, StatusResult, TargetInfo, VerifyResult } from './migrator-results.js';
import type { RepairOptions } from './repair.js';
import type { DownOptions } from './run-down.js';
import type { LintCommandOptions, LintRunResult } from './run-lint.js';
import {
  checkKnownVersion,
  type LockedContext,
  preflightUp,
  runUp,
  type UpOptions,
  withResults,
} from './run-up.js';
import type { TraceOptions, TraceResult } from './trace/run-trace.js';
import { startUpLint } from './up-lint.js';

// What `status` and an up-to-date `up` do not need loads on first use (lint and its rules, trace,
// shadows, down, repair…): those two must start in well under 300 ms (docs/migrate.md#performance).
const runLintModule = () => import('./run-lint.js');
const shadowModule = () => import('./trace/shadow.js');

function invalidOptions(error: { issues: { path: PropertyKey[]; message: string }[] }): TenonError {
  const lines = error.issues.map((i) => `${i.path.map(String).join('.') || '(options)'}: ${i.message}`);
  return new TenonError('TENON_CONFIG_INVALID', `Invalid Migrator options:\n${lines.join('\n')}`, {
    hint: 'See docs/migrate.md#settings for the options and their types.',
  });
}

/**
 * Versioned SQL migrations on PostgreSQL or PGlite. Every method returns
 * data and never prints; progress goes to the `onEvent` option
 * ({@link MigrateEvent}), and the `signal` option stops a run between
 * migrations.
 * Commands that change the database hold a session-level advisory lock on one
 * dedicated connection for the whole run, and run every statement on it.
 *
 * @example
 * ```ts
 * import { Migrator } from 'tenon/migrate';
 *
 * const migrator = new Migrator({
 *   databaseUrl: process.env.DATABASE_URL,
 *   dir: 'migrations',
 *   onEvent: (e) => {
 *     if (e.type === 'migration-done') log.info(`${e.migration.file}: ${e.migration.status}`);
 *   },
 * });
 * try {
 *   const { migrations } = await migrator.up();
 * } finally {
 *   await migrator.close();
 * }
 * ```
 */
export class Migrator {
  /** The validated options, defaults applied. */
  readonly options: ResolvedMigratorOptions;
  #db: Database | undefined;
  #opening: Promise<Database> | undefined;

  constructor(options: MigratorOptions = {}) {
    const parsed = migratorOptionsSchema.safeParse(options);
    if (!parsed.success) throw invalidOptions(parsed.error);
    this.options = Object.freeze(parsed.data);
  }

  /** The absolute migrations directory. */
  get dir(): string {
    return resolve(this.options.cwd ?? process.cwd(), this.options.dir);
  }

  /** Schema and name of the history table. */
  get historyTable(): HistoryTableName {
    return { schema: this.options.schema, table: this.options.table };
  }

  /** Writes a new migration file with both markers. Needs no database. */
  async create(name: string, sections: { up?: string; down?: string } = {}): Promise<CreatedMigration> {
    return createMigrationFile(this.dir, name, sections);
  }

  /**
   * Applies pending migrations (all, or up to `to`). Everything that can
   * refuse the run (bad files, SQL the server cannot parse, `lintOnUp:
   * error` findings) is checked before the first migration; in `lintOnUp:
   * warn` the lint rules run while the migrations do (see `startUpLint`).
   */
  async up(options: UpOptions = {}): Promise<RunResult> {
    // Files first: a wrong --dir fails before a database is opened (or created).
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const db = await this.#database();
    checkKnownVersion(
      options.to,
      files.map((f) => f.version),
      '--to',
    );
    const preplanned = await preflightUp(db, this.historyTable, files, db.kind);
    const lint = await startUpLint({
      options: this.options,
      db,
      files,
      pending: preplanned,
      to: options.to,
      overlap: options.dryRun !== true,
      emit: (event) => this.#emit(event),
    });
    let run: RunResult;
    try {
      run = await this.#locked(db, files, async (ctx, key) => {
        const { results, warnings, shadow } = await runUp(
          { ...ctx, dryRunShadow: this.#dryRunShadow(db, options.shadow) },
          preplanned,
          options,
        );
        return {
          ...this.#runResult(db, 'up', options.dryRun === true, key, results, warnings),
          ...(shadow ? { shadow } : {}),
        };
      });
    } catch (error) {
      // The findings are reported (the `lint` event) before the run's error, as when lint ran first.
      await lint?.result().catch(() => undefined);
      throw error;
    }
    if (!lint) return run;
    try {
      return { ...run, lint: await lint.result() };
    } catch (error) {
      throw withResults(error, run.migrations);
    }
  }

  /**
   * Lints migration files: the ones given, or (with a database: `databaseUrl`
   * or `db` given) the pending ones, or every file. Without a database it
   * opens none: sizes and versions then come from the settings.
   */
  async lint(options: LintCommandOptions = {}): Promise<LintRunResult> {
    const db = this.options.db || this.options.databaseUrl ? await this.#database() : undefined;
    const { runLint } = await runLintModule();
    return runLint({
      config: this.options,
      options,
      cwd: this.options.cwd ?? process.cwd(),
      dirFiles: () => readMigrationDir(this.dir, this.options.cwd),
      db,
      history: this.historyTable,
      signal: this.options.signal,
    });
  }

  /**
   * Runs the pending migrations (up to `to`) on a shadow of the schema and
   * reports per statement the locks taken, the relations rewritten and how
   * long locks were held. With a server, the shadow is a temporary database
   * on it; with a PGlite database (or the default `.tenon/pglite`, when it
   * exists), an in-memory copy; with none, an empty in-memory PGlite. The
   * live database is only read.
   */
  async trace(options: TraceOptions = {}): Promise<TraceResult> {
    const files = await readMigrationDir(this.dir, this.options.cwd);
    checkKnownVersion(
      options.to,
      files.map((f) => f.version),
      '--to',
    );
    const explicit = this.options.db !== undefined || this.options.databaseUrl !== undefined;
    const { pgliteDirExists } = await shadowModule();
    const existing = explicit || pgliteDirExists(undefined, this.options.cwd ?? process.cwd());
    const live = existing ? await this.#database() : undefined;
    const { runTrace } = await import('./trace/run-trace.js');
    return runTrace({
      files,
      live,
      databaseUrl: this.options.databaseUrl,
      history: this.historyTable,
      options,
      slowMs: this.options.traceSlow,
      largeRows: this.options.lintLargeTableRows,
      pgDump: this.options.pgDump,
      onMigration: (file) => this.#emit({ type: 'trace-migration', file }),
      signal: this.options.signal,
    });
  }

  /** Rolls back the last `steps` (default 1) applied migrations, or everything after `to`. */
  async down(options: DownOptions = {}): Promise<RunResult> {
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const db = await this.#database();
    const { runDown } = await import('./run-down.js');
    return this.#locked(db, files, async (ctx, key) => {
      const { results, warnings, shadow } = await runDown(
        { ...ctx, dryRunShadow: this.#dryRunShadow(db, options.shadow) },
        options,
      );
      return {
        ...this.#runResult(db, 'down', options.dryRun === true, key, results, warnings),
        ...(shadow ? { shadow } : {}),
      };
    });
  }

  /** Files and history side by side, the lock holder, and invalid indexes. Takes no lock. */
  async status(): Promise<StatusResult> {
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const db = await this.#database();
    const history = await readHistory(db, this.historyTable);
    const key = await this.#lockKey(db);
    // One after the other on the one connection: at once, they would open a second one (a server
    // backend to start and warm up, more than either query costs).
    const holder = await findLockHolder(db, key);
    const invalidIndexes = await findInvalidIndexes(db);
    const migrations = computeMigrationStatus(files, history ?? []);
    return {
      ...this.#target(db),
      lock: { key, holder: holder ?? null },
      historyExists: history !== undefined,
      migrations,
      counts: countStates(migrations),
      invalidIndexes,
    };
  }

  /** Status, plus every problem: changed, missing, dirty, out of order, unparsable pending files. */
  async verify(): Promise<VerifyResult> {
    const status = await this.status();
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const { verifyStatuses } = await import('./verify.js');
    const problems = await verifyStatuses(status.migrations, files, {
      kind: status.kind,
      serverVersion: (await this.#database()).serverVersion,
      allowOutOfOrder: this.options.allowOutOfOrder,
    });
    return { ...status, ok: problems.length === 0, problems };
  }

  /** Records the migrations up to `version` as applied without running them. */
  async baseline(version: string): Promise<BaselineResult & TargetInfo> {
    if (!/^\d{14}$/.test(version)) {
      throw new TenonError('TENON_MIGRATE_UNKNOWN_VERSION', `"${version}" is not a migration version.`, {
        hint: 'A version is the 14-digit UTC timestamp that starts a migration file name, e.g. 20261126101500.',
      });
    }
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const db = await this.#database();
    const { runBaseline } = await import('./baseline.js');
    return this.#locked(db, files, async (ctx) => ({
      ...this.#target(db),
      ...(await runBaseline(ctx, version)),
    }));
  }

  /** Resolves a dirty migration, accepts edited checksums, or forgets deleted files. */
  async repair(options: RepairOptions = {}): Promise<RepairResult> {
    const files = await readMigrationDir(this.dir, this.options.cwd);
    const db = await this.#database();
    const { runRepair } = await import('./repair.js');
    return this.#locked(db, files, async (ctx) => ({
      ...this.#target(db),
      changes: await runRepair(ctx, options),
    }));
  }

  /** Closes the connection the Migrator opened (never a `db` it was given). */
  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    this.#opening = undefined;
    if (db && !this.options.db) await db.close();
  }

  /**
   * Where a dry run runs: a temporary database on the live server (a copy
   * of the live schema by pg_dump, or the applied migrations replayed
   * without one; needs CREATEDB and a `databaseUrl`), an in-memory copy of
   * a live PGlite, or, with `pglite` (or a server given as `db` without a
   * URL), an in-memory PGlite built the same way. The same shadows as `trace`.
   */
  #dryRunShadow(db: Database, prefer: 'server' | 'pglite' | undefined): DryRunShadow {
    const server = db.kind === 'postgres' && this.options.databaseUrl !== undefined && prefer !== 'pglite';
    return {
      kind: server ? 'postgres' : 'pglite',
      replays: db.kind !== 'pglite',
      open: async (replay) =>
        (await shadowModule()).openShadow({
          live: db,
          databaseUrl: this.options.databaseUrl,
          prefer,
          applied: replay,
          pgDump: this.options.pgDump,
        }),
    };
  }

  #emit(event: MigrateEvent): void {
    this.options.onEvent?.(event);
  }

  async #database(): Promise<Database> {
    if (this.options.db) return this.options.db;
    if (this.#db) return this.#db;
    this.#opening ??= connect({
      databaseUrl: this.options.databaseUrl,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      applicationName: `tenon migrate (pid ${process.pid})`,
      maxConnections: 3,
    });
    this.#db = await this.#opening;
    return this.#db;
  }

  #lockKey(db: Database): Promise<string> {
    return lockKeyOf(db, this.options);
  }

  #target(db: Database): TargetInfo {
    return {
      database: db.displayUrl,
      kind: db.kind,
      table: `${this.options.schema}.${this.options.table}`,
      dir: this.dir,
    };
  }

  #runResult(
    db: Database,
    direction: 'up' | 'down',
    dryRun: boolean,
    lockKey: string,
    migrations: MigrationResult[],
    warnings: string[],
  ): RunResult {
    for (const message of warnings) this.#emit({ type: 'warning', message });
    return { ...this.#target(db), direction, dryRun, lockKey, migrations, warnings };
  }

  /** Runs `fn` on one dedicated session holding the migration lock (see {@link withMigrationLock}). */
  #locked<T>(
    db: Database,
    files: MigrationSource[],
    fn: (ctx: LockedContext, key: string) => Promise<T>,
  ): Promise<T> {
    return withMigrationLock(db, this.options, files, (event) => this.#emit(event), fn);
  }
}

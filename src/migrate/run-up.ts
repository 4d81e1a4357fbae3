import type { Database, DatabaseKind } from '../core/db/database.js';
import { TenonError } from '../core/errors.js';
import { findInvalidIndexes } from './catalog-checks.js';
import type { DryRunShadow, DryRunStep } from './dry-run.js';
import {
  createHistoryTableSql,
  type HistoryRow,
  type HistoryTableName,
  readHistory,
} from './history-table.js';
import { dirtyHint } from './migrate-errors.js';
import type { MigrationResult } from './migrate-events.js';
import type { MigrationSource } from './migration-files.js';
import type { RunSettings } from './migration-runner.js';
import { computeMigrationStatus, type MigrationStatus } from './migration-state.js';
import type { MigrationPlan } from './plan.js';

// The planner and the runners (and the SQL tree helpers they use) load once something is pending:
// `status` and an up-to-date `up` never need them (docs/migrate.md#performance).
const planModule = () => import('./plan.js');
const runnerModule = () => import('./migration-runner.js');

/** What a locked command works with. */
export interface LockedContext {
  settings: RunSettings;
  kind: DatabaseKind;
  /** The live server's `server_version_num` (plans are checked against its grammar). */
  serverVersion: number;
  files: MigrationSource[];
  allowOutOfOrder: boolean;
  /** `up` refuses when more applied migrations than this have no file; `Infinity` with `allowMissing`. */
  maxMissing?: number;
  /** `up` runs even when every applied migration has no file. */
  allowMissing?: boolean;
  /** Where `--dry-run` runs (see `dryRunOnShadow`). */
  dryRunShadow?: DryRunShadow;
}

/** Options of `up`. */
export interface UpOptions {
  /** Apply pending migrations up to and including this version. */
  to?: string | undefined;
  /** Run the pending migrations as `up` would, on a shadow of the database, and report the verdict. */
  dryRun?: boolean | undefined;
  /** `--dry-run` on a server: `pglite` runs it on an in-memory PGlite instead of a temporary database. */
  shadow?: 'server' | 'pglite' | undefined;
}

/** What `up` and `down` did, besides the per-migration results. */
export interface RunOutcome {
  results: MigrationResult[];
  warnings: string[];
  /** Dry run: the shadow it ran on. */
  shadow?: string;
}

/** `--to VERSION` must name a file, so a typo does not silently apply everything or nothing. */
export function checkKnownVersion(version: string | undefined, known: Iterable<string>, flag: string): void {
  if (version === undefined || version === '0') return;
  if (!/^\d{14}$/.test(version) || ![...known].includes(version)) {
    throw new TenonError(
      'TENON_MIGRATE_UNKNOWN_VERSION',
      `${flag} ${version}: no migration has this version.`,
      {
        hint: 'Versions are the 14-digit prefixes of the migration file names; `tenon migrate status` lists them.',
        details: { version },
      },
    );
  }
}

/**
 * Plans every migration pending before the lock is taken, so a bad file
 * fails at once instead of after waiting for another runner. Another runner
 * may apply some of them meanwhile; `runUp` re-reads the history under the
 * lock and uses the plans that are still pending.
 */
export async function preflightUp(
  db: Database,
  table: HistoryTableName,
  files: readonly MigrationSource[],
  kind: DatabaseKind,
): Promise<Map<string, MigrationPlan>> {
  const history = (await readHistory(db, table)) ?? [];
  const recorded = new Set(history.map((row) => row.version));
  const pending = files.filter((file) => !recorded.has(file.version));
  const plans = new Map<string, MigrationPlan>();
  if (pending.length === 0) return plans;
  const { planMigration, preloadParser, startServerCheck } = await planModule();
  preloadParser();
  // The server's own grammar checks them all in one parse (a long history on a worker thread)
  // while tenon's grammar (PostgreSQL 18) plans each file here. Only when the server's grammar
  // refuses something are the files checked one by one, in order, to report the first that the
  // server cannot parse (file, line, column).
  const serverAccepts = await startServerCheck(pending, db.serverVersion);
  for (const file of pending) plans.set(file.version, await planMigration(file, 'up', { kind }));
  if (!(await serverAccepts())) {
    const target = { kind, serverVersion: db.serverVersion };
    for (const file of pending) plans.set(file.version, await planMigration(file, 'up', target));
  }
  return plans;
}

/** The error `up` and `down` raise when a dirty migration is in the way. */
export async function dirtyError(db: Database, dirty: MigrationStatus): Promise<TenonError> {
  const invalid = await findInvalidIndexes(db).catch(() => []);
  const file = dirty.file ?? `${dirty.version}_${dirty.name}.sql`;
  const progress = dirty.failedDown
    ? 'it failed while rolling back'
    : `${dirty.statementsDone} of ${dirty.statementsTotal} statements committed`;
  const hint = dirty.failedDown
    ? 'Finish or undo the rollback by hand, then run `tenon migrate repair --forget` (it is rolled back) or `tenon migrate repair --applied` (it is in place again).'
    : dirtyHint(file, invalid);
  return new TenonError(
    'TENON_MIGRATE_DIRTY',
    `${file} is dirty (${progress}): ${dirty.error ?? 'released for retry'}.${invalid.length > 0 ? `\nINVALID indexes: ${invalid.map((i) => `${i.schema}.${i.name}`).join(', ')}.` : ''}\nNothing was run: tenon does not continue past a migration that stopped part-way.`,
    { hint, details: { version: dirty.version, file, error: dirty.error, invalidIndexes: invalid } },
  );
}

/**
 * `up` under the lock: creates the history table, refuses a dirty or
 * out-of-order state, resumes a migration released by `repair --retry`,
 * then applies the pending migrations one by one (or dry-runs them).
 */
export async function runUp(
  ctx: LockedContext,
  preplanned: Map<string, MigrationPlan>,
  options: UpOptions,
): Promise<RunOutcome> {
  const { session, history: table } = ctx.settings;
  if (!options.dryRun) await session.exec(createHistoryTableSql(table));
  const history = (await readHistory(session, table)) ?? [];
  const statuses = computeMigrationStatus(ctx.files, history);
  const warnings = driftWarnings(statuses);
  checkMissingFiles(statuses, history.length, ctx);
  const dirty = statuses.filter((s) => s.state === 'dirty');
  const blocking = dirty.find((s) => !s.resumable || s.failedDown || !s.file);
  if (blocking) throw await dirtyError(session, blocking);
  const inRange = (s: MigrationStatus) => options.to === undefined || s.version <= options.to;
  const pending = statuses.filter((s) => s.state === 'pending' && inRange(s));
  const outOfOrder = pending.filter((s) => s.outOfOrder);
  if (outOfOrder.length > 0 && !ctx.allowOutOfOrder) {
    throw new TenonError(
      'TENON_MIGRATE_OUT_OF_ORDER',
      `${outOfOrder.length} pending migration${outOfOrder.length > 1 ? 's are' : ' is'} older than the newest applied one: ${outOfOrder.map((s) => s.file).join(', ')}.`,
      {
        hint: 'This happens when branches merge. If these migrations do not depend on the newer ones, run again with --allow-out-of-order (migrate.allowOutOfOrder); otherwise give the file a newer timestamp.',
        details: { versions: outOfOrder.map((s) => s.version) },
      },
    );
  }
  for (const s of outOfOrder)
    warnings.push(`${s.file} is applied out of order (older than the newest applied)`);
  const sources = new Map(ctx.files.map((f) => [f.version, f]));
  const planFor = async (version: string) =>
    preplanned.get(version) ??
    (await planModule()).planMigration(sources.get(version)!, 'up', {
      kind: ctx.kind,
      serverVersion: ctx.serverVersion,
    });
  const resumable = dirty.filter(inRange);
  if (options.dryRun) {
    return dryRunUp(ctx, history, [...resumable, ...pending], warnings, sources);
  }
  if (resumable.length === 0 && pending.length === 0) return { results: [], warnings };
  const { runPlan } = await runnerModule();
  const results: MigrationResult[] = [];
  try {
    for (const s of resumable) {
      const plan = await planFor(s.version);
      const from = Math.min((s.statementsDone ?? 0) + 1, Math.max(plan.statements.length, 1));
      // Resuming is statement by statement even if the fixed file would now fit in a transaction:
      // the statements before `from` are committed already.
      results.push(await runPlan(ctx.settings, { ...plan, transactional: false }, { resumeFrom: from }));
    }
    for (const s of pending) {
      if (ctx.settings.signal?.aborted) {
        throw new TenonError('TENON_INTERRUPTED', `Interrupted after ${results.length} migration(s).`);
      }
      results.push(await runPlan(ctx.settings, await planFor(s.version)));
    }
  } catch (error) {
    throw withResults(error, results);
  }
  return { results, warnings };
}

/**
 * `up --dry-run`: the shadow starts from the live schema (or, when it
 * cannot be copied, the applied migrations and the committed statements of
 * a resumable dirty one are replayed there), then the pending ones run
 * there as `up` would run them.
 */
async function dryRunUp(
  ctx: LockedContext,
  history: readonly HistoryRow[],
  toRun: readonly MigrationStatus[],
  warnings: string[],
  sources: ReadonlyMap<string, MigrationSource>,
): Promise<RunOutcome> {
  const shadowOf = ctx.dryRunShadow;
  if (!shadowOf) throw new Error('dry run without a shadow');
  const { planMigration } = await planModule();
  const plan = (version: string) => planMigration(sources.get(version)!, 'up', { kind: shadowOf.kind });
  let gone: string | undefined;
  let appliedRows: HistoryRow[] = [];
  if (shadowOf.replays) {
    const applied = history
      .filter((row) => row.state === 'applied')
      .sort((a, b) => a.appliedAt.getTime() - b.appliedAt.getTime() || a.version.localeCompare(b.version));
    const missing = applied.filter((row) => !sources.has(row.version));
    // Said only when the shadow was replayed: a copy of the live schema has what they made.
    if (missing.length > 0) {
      gone = `the dry run's shadow lacks ${missing.length} applied migration${missing.length > 1 ? 's' : ''} whose file is gone (${missing
        .slice(0, 3)
        .map((r) => r.version)
        .join(', ')}${missing.length > 3 ? ', …' : ''}); what the pending ones need of them is missing there`;
    }
    appliedRows = applied.filter((row) => sources.has(row.version));
  }
  // Planned only when the shadow is rebuilt by replay (a copy of the live schema has all of it).
  const replay = async () => {
    const plans: MigrationPlan[] = [];
    for (const row of appliedRows) plans.push(await plan(row.version));
    for (const s of toRun.filter((t) => t.state === 'dirty')) {
      const full = await plan(s.version);
      plans.push({
        ...full,
        transactional: false,
        statements: full.statements.slice(0, s.statementsDone ?? 0),
      });
    }
    return plans;
  };
  const steps: DryRunStep[] = [];
  for (const s of toRun) {
    steps.push({
      plan: await plan(s.version),
      ...(s.state === 'dirty' ? { resumeFrom: (s.statementsDone ?? 0) + 1 } : {}),
    });
  }
  // Loaded on use: an up-to-date `up` must start fast.
  const { dryRunOnShadow } = await import('./dry-run.js');
  const { results, shadow, replayed } = await dryRunOnShadow(ctx.settings, shadowOf, replay, steps);
  if (gone && replayed) warnings.push(gone);
  return { results, warnings, ...(shadow ? { shadow } : {}) };
}

/**
 * Applied migrations whose files are gone: a few were deleted on purpose
 * (up warns), many or all of them mean the wrong folder (a wrong `--dir`,
 * a checkout of another branch) and running the pending ones there could
 * apply the wrong history, so `up` refuses before anything runs.
 */
export function checkMissingFiles(
  statuses: readonly MigrationStatus[],
  recorded: number,
  options: { maxMissing?: number | undefined; allowMissing?: boolean | undefined },
): void {
  if (options.allowMissing) return;
  const missing = statuses.filter((s) => s.state === 'missing');
  const limit = options.maxMissing ?? 10;
  if (missing.length === 0) return;
  const all = missing.length === recorded;
  if (!all && missing.length <= limit) return;
  const shown = missing
    .slice(0, 5)
    .map((s) => `${s.version}_${s.name}`)
    .join(', ');
  throw new TenonError(
    'TENON_MIGRATE_FILES_MISSING',
    `${all ? `Every applied migration (${missing.length}) has` : `${missing.length} of ${recorded} applied migrations ${missing.length === 1 ? 'has' : 'have'}`} no file in the migrations directory (${shown}${missing.length > 5 ? ', …' : ''})${all ? '' : `, more than the limit of ${limit}`}. Nothing was run.`,
    {
      hint: all
        ? 'Check --dir (migrate.dir) and the working directory: this looks like the wrong folder. If the files were deleted on purpose, run `tenon migrate repair --forget-missing`, or pass --allow-missing.'
        : 'Check --dir (migrate.dir) and the checkout. If the files were deleted on purpose, run `tenon migrate repair --forget-missing`, raise --max-missing (migrate.maxMissing), or pass --allow-missing.',
      details: { missing: missing.map((s) => s.version), recorded, limit },
    },
  );
}

/** Re-throws a run's error with the results of the migrations that did complete. */
export function withResults(error: unknown, results: readonly MigrationResult[]): unknown {
  if (!(error instanceof TenonError)) return error;
  return new TenonError(error.code, error.message, {
    cause: error.cause,
    ...(error.hint ? { hint: error.hint } : {}),
    details: { ...error.details, completed: results },
  });
}

/** Warnings about applied files that changed or disappeared (verify turns them into failures). */
export function driftWarnings(statuses: readonly MigrationStatus[]): string[] {
  const warnings: string[] = [];
  for (const s of statuses) {
    if (s.state === 'changed') {
      warnings.push(`${s.file} changed since it was applied (checksum differs); run tenon migrate verify`);
    }
    if (s.state === 'missing') warnings.push(`${s.version}_${s.name} is applied but its file is gone`);
  }
  return warnings;
}

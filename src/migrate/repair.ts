import { TenonError } from '../core/errors.js';
import { quoteLiteral } from '../core/sql/quote.js';
import { createHistoryTableSql, deleteHistorySql, readHistory, updateHistorySql } from './history-table.js';
import { computeMigrationStatus, type MigrationStatus } from './migration-state.js';
import type { LockedContext } from './run-up.js';

/** What a human did about a dirty migration. */
export type RepairAction =
  /** Fixed the cause; the next `up` runs it again from the statement that failed. */
  | 'retry'
  /** Finished the remaining statements (or restored a failed rollback) by hand: record it as applied. */
  | 'applied'
  /** Undid what it did (or finished a failed rollback) by hand: remove its row; the next `up` runs it from the start. */
  | 'forget';

/** Options of `repair`. */
export interface RepairOptions {
  /** The dirty migration to repair; needed only when several are dirty. */
  version?: string | undefined;
  action?: RepairAction | undefined;
  /** Record the current checksum of applied files that changed (after checking the edit is harmless). */
  updateChecksums?: boolean | undefined;
  /** Remove history rows of applied migrations whose file is gone. */
  forgetMissing?: boolean | undefined;
}

/** One change `repair` made. */
export interface RepairChange {
  version: string;
  name: string;
  change: 'released-for-retry' | 'marked-applied' | 'forgotten' | 'checksum-updated' | 'missing-forgotten';
  description: string;
}

function choices(dirty: readonly MigrationStatus[]): string {
  return dirty
    .map(
      (d) =>
        `  ${d.file ?? `${d.version}_${d.name}`}: ${d.failedDown ? 'rollback failed' : `${d.statementsDone} of ${d.statementsTotal} statements committed`}; ${d.error ?? 'released for retry'}`,
    )
    .join('\n');
}

/**
 * Resolves what a human has checked: a dirty migration (retry, applied or
 * forget), applied files that were edited on purpose, applied versions whose
 * file was deleted. All changes are made in one transaction.
 */
export async function runRepair(ctx: LockedContext, options: RepairOptions): Promise<RepairChange[]> {
  const { session, history: table } = ctx.settings;
  await session.exec(createHistoryTableSql(table));
  const statuses = computeMigrationStatus(ctx.files, (await readHistory(session, table)) ?? []);
  let dirty = statuses.filter((s) => s.state === 'dirty');
  if (options.version !== undefined) {
    dirty = dirty.filter((s) => s.version === options.version);
    if (dirty.length === 0) {
      throw new TenonError('TENON_MIGRATE_UNKNOWN_VERSION', `${options.version} is not a dirty migration.`, {
        hint: '`tenon migrate status` shows which migration is dirty.',
        details: { version: options.version },
      });
    }
  }
  const onlyOther = options.updateChecksums || options.forgetMissing;
  if (dirty.length > 0 && !options.action && !onlyOther) {
    throw new TenonError(
      'TENON_MIGRATE_REPAIR_ACTION_REQUIRED',
      `Dirty migration${dirty.length > 1 ? 's' : ''}:\n${choices(dirty)}\nrepair needs to know what you did about ${dirty.length > 1 ? 'them' : 'it'}.`,
      {
        hint: '--retry: you fixed the cause; the next up runs it again from the failed statement.\n--applied: you finished its remaining statements by hand.\n--forget: you undid its committed statements; the next up runs it from the start.',
        details: { dirty: dirty.map((d) => d.version) },
      },
    );
  }
  if (options.action && dirty.length > 1) {
    throw new TenonError(
      'TENON_MIGRATE_REPAIR_ACTION_REQUIRED',
      `Several migrations are dirty:\n${choices(dirty)}\nName the one to repair.`,
      { hint: 'Run `tenon migrate repair VERSION --retry|--applied|--forget`.' },
    );
  }
  const changes: RepairChange[] = [];
  const statements: string[] = [];
  const target = options.action ? dirty[0] : undefined;
  if (target && options.action) {
    const file = ctx.files.find((f) => f.version === target.version);
    const label = target.file ?? `${target.version}_${target.name}`;
    if (options.action === 'retry') {
      if (target.failedDown) {
        throw new TenonError(
          'TENON_MIGRATE_REPAIR_ACTION_REQUIRED',
          `${label} failed while rolling back; it cannot be retried.`,
          {
            hint: 'Finish or undo the rollback by hand, then use --forget (rolled back) or --applied (in place).',
          },
        );
      }
      if (!file) {
        throw new TenonError('TENON_MIGRATE_IRREVERSIBLE', `${label} cannot be retried: its file is gone.`, {
          hint: 'Restore the file, or use --applied / --forget.',
        });
      }
      statements.push(
        updateHistorySql(table, target.version, { error: 'null', checksum: quoteLiteral(file.checksum) }),
      );
      changes.push({
        version: target.version,
        name: target.name,
        change: 'released-for-retry',
        description: `the next up runs ${label} again from statement ${(target.statementsDone ?? 0) + 1}`,
      });
    } else if (options.action === 'applied') {
      statements.push(
        updateHistorySql(table, target.version, {
          state: "'applied'",
          statements_done: 'statements_total',
          error: 'null',
          ...(file ? { checksum: quoteLiteral(file.checksum) } : {}),
        }),
      );
      changes.push({
        version: target.version,
        name: target.name,
        change: 'marked-applied',
        description: `${label} is recorded as applied`,
      });
    } else {
      statements.push(deleteHistorySql(table, target.version));
      changes.push({
        version: target.version,
        name: target.name,
        change: 'forgotten',
        description: `${label} has no history row now; the next up runs it from the start`,
      });
    }
  }
  if (options.updateChecksums) {
    for (const s of statuses.filter((x) => x.state === 'changed')) {
      statements.push(
        updateHistorySql(table, s.version, {
          checksum: quoteLiteral(s.fileChecksum!),
          name: quoteLiteral(s.name),
        }),
      );
      changes.push({
        version: s.version,
        name: s.name,
        change: 'checksum-updated',
        description: `${s.file}: recorded the current checksum`,
      });
    }
  }
  if (options.forgetMissing) {
    for (const s of statuses.filter((x) => x.state === 'missing')) {
      statements.push(deleteHistorySql(table, s.version));
      changes.push({
        version: s.version,
        name: s.name,
        change: 'missing-forgotten',
        description: `${s.version}_${s.name}: removed from the history`,
      });
    }
  }
  if (statements.length > 0) await session.transaction((tx) => tx.exec(statements.join(';\n')));
  return changes;
}

import { TenonError } from '../core/errors.js';
import { createHistoryTableSql, insertHistorySql, readHistory } from './history-table.js';
import type { LockedContext } from './run-up.js';

/** What `baseline` recorded. */
export interface BaselineResult {
  version: string;
  /** The migrations recorded as applied without running them. */
  migrations: { version: string; name: string; file: string }[];
}

/**
 * Records every migration up to and including `version` as applied without
 * running it, for a database whose schema already has them (it predates
 * tenon, or was restored from a dump). Rows get `applied_by = '<user>
 * (baseline)'` and `execution_ms = 0`. Refused when the history already has
 * rows, so it cannot paper over a real history.
 *
 * @throws TenonError `TENON_MIGRATE_UNKNOWN_VERSION`, `TENON_MIGRATE_BASELINE_REFUSED`
 */
export async function runBaseline(ctx: LockedContext, version: string): Promise<BaselineResult> {
  const { session, history: table } = ctx.settings;
  const targets = ctx.files.filter((f) => f.version <= version);
  if (targets.length === 0) {
    throw new TenonError(
      'TENON_MIGRATE_UNKNOWN_VERSION',
      `No migration file has a version up to ${version}.`,
      {
        hint: 'baseline VERSION records the files up to VERSION as applied; `tenon migrate status` lists the versions.',
        details: { version },
      },
    );
  }
  await session.exec(createHistoryTableSql(table));
  const history = (await readHistory(session, table)) ?? [];
  if (history.length > 0) {
    throw new TenonError(
      'TENON_MIGRATE_BASELINE_REFUSED',
      `${table.schema}.${table.table} already records ${history.length} migration${history.length > 1 ? 's' : ''}; baseline is only for a database without history.`,
      {
        hint: 'To record one applied-by-hand migration, apply it with up, or use repair on a dirty one.',
        details: { rows: history.length },
      },
    );
  }
  await session.exec(
    insertHistorySql(
      table,
      targets.map((f) => ({
        version: f.version,
        name: f.name,
        checksum: f.checksum,
        state: 'applied' as const,
        statementsDone: 0,
        statementsTotal: 0,
        executionMs: 0,
        appliedByExpression: "current_user || ' (baseline)'",
      })),
    ),
  );
  return { version, migrations: targets.map((f) => ({ version: f.version, name: f.name, file: f.file })) };
}

import type {
  LockHolder,
  MigrationResult,
  MigrationStatus,
  PlannedStatementView,
  RunResult,
  StatusResult,
  VerifyResult,
} from '../../migrate/index.js';

/*
 * The `--json` documents of `tenon migrate` (docs/migrate.md#json-output):
 * camelCase keys like every other command, dates as ISO strings. The shape
 * is written out here, not left to the result objects, so that a new field
 * in the library does not change the documented output by accident.
 */

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** A lock holder as `status --json` shows it (without its current query, which may hold data). */
function holderJson(h: LockHolder) {
  return {
    pid: h.pid,
    applicationName: h.applicationName,
    clientAddr: h.clientAddr,
    user: h.user,
    backendStart: iso(h.backendStart),
    state: h.state,
    stateChange: iso(h.stateChange),
  };
}

/** One `status --json` entry. */
export function statusJson(s: MigrationStatus) {
  return {
    version: s.version,
    name: s.name,
    state: s.state,
    file: s.file,
    outOfOrder: s.outOfOrder,
    appliedAt: iso(s.appliedAt),
    executionMs: s.executionMs,
    appliedBy: s.appliedBy,
    checksum: s.checksum,
    fileChecksum: s.fileChecksum,
    statementsDone: s.statementsDone,
    statementsTotal: s.statementsTotal,
    error: s.error,
    resumable: s.resumable,
  };
}

/** The `status --json` document (without its `schema`, which the CLI adds). */
export function statusResultJson(r: StatusResult) {
  return {
    database: r.database,
    kind: r.kind,
    table: r.table,
    dir: r.dir,
    lock: {
      key: r.lock.key,
      held: r.lock.holder !== null,
      holder: r.lock.holder ? holderJson(r.lock.holder) : null,
    },
    historyExists: r.historyExists,
    counts: r.counts,
    invalidIndexes: r.invalidIndexes,
    migrations: r.migrations.map(statusJson),
  };
}

/** The `verify --json` document: `ok` and `problems`, then the status. */
export function verifyResultJson(r: VerifyResult) {
  return { ok: r.ok, problems: r.problems, ...statusResultJson(r) };
}

/** One `up --json` / `down --json` entry. */
export function migrationResultJson(m: MigrationResult & { plan?: PlannedStatementView[] }) {
  return {
    version: m.version,
    name: m.name,
    file: m.file,
    direction: m.direction,
    status: m.status,
    transactional: m.transactional,
    statements: m.statements,
    ...(m.resumedAt !== undefined ? { resumedAt: m.resumedAt } : {}),
    executionMs: m.executionMs,
    retries: m.retries,
    notes: m.notes,
    ...(m.error ? { error: m.error } : {}),
    ...(m.plan ? { plan: m.plan } : {}),
  };
}

/** The `up --json` / `down --json` document. */
export function runResultJson(r: RunResult) {
  return {
    direction: r.direction,
    dryRun: r.dryRun,
    database: r.database,
    kind: r.kind,
    table: r.table,
    dir: r.dir,
    lockKey: r.lockKey,
    ...(r.shadow ? { shadow: r.shadow } : {}),
    migrations: r.migrations.map(migrationResultJson),
    warnings: r.warnings,
    ...(r.lint
      ? { lint: { counts: r.lint.counts, findings: r.lint.findings, suppressed: r.lint.suppressed } }
      : {}),
  };
}

import { formatDuration } from '../../core/duration.js';
import {
  describeLockHolder,
  type MigrationResult,
  type MigrationStatus,
  type PlannedStatementView,
  type RunResult,
  type StatusResult,
  type VerifyResult,
} from '../../migrate/index.js';
import type { Colors } from '../output/colors.js';

/**
 * Text and JSON renderings of `tenon migrate` results. JSON keys are
 * snake_case, like the history table's columns (docs/migrate.md#json-output).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI color codes are what it strips.
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * A borderless table like `renderPlainTable`, built by plain padding: status
 * prints one row per migration, and at thousands of rows cli-table3's
 * per-cell layout costs more than reading the history.
 */
export function renderPlainTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: { alignRight?: readonly number[] } = {},
): string {
  const widths = head.map((h) => h.length);
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.replace(ANSI, '').length);
    });
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i]! - cell.replace(ANSI, '').length));
        if (options.alignRight?.includes(i)) return pad + cell;
        return i === cells.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** Whole milliseconds below a second (`6ms`, not `6.00ms`): migration times are recorded in whole ms. */
function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)}ms` : formatDuration(value);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** One `status --json` entry. */
export function statusJson(s: MigrationStatus) {
  return {
    version: s.version,
    name: s.name,
    state: s.state,
    file: s.file,
    out_of_order: s.outOfOrder,
    applied_at: iso(s.appliedAt),
    execution_ms: s.executionMs,
    applied_by: s.appliedBy,
    checksum: s.checksum,
    file_checksum: s.fileChecksum,
    statements_done: s.statementsDone,
    statements_total: s.statementsTotal,
    error: s.error,
    resumable: s.resumable,
  };
}

/** The whole `status --json` document. */
export function statusResultJson(r: StatusResult) {
  return {
    database: r.database,
    kind: r.kind,
    table: r.table,
    dir: r.dir,
    lock: {
      key: r.lock.key,
      held: r.lock.holder !== null,
      holder: r.lock.holder
        ? {
            pid: r.lock.holder.pid,
            application_name: r.lock.holder.applicationName,
            client_addr: r.lock.holder.clientAddr,
            user: r.lock.holder.user,
            backend_start: iso(r.lock.holder.backendStart),
            state: r.lock.holder.state,
            state_change: iso(r.lock.holder.stateChange),
          }
        : null,
    },
    history_exists: r.historyExists,
    counts: r.counts,
    invalid_indexes: r.invalidIndexes,
    migrations: r.migrations.map(statusJson),
  };
}

/** The `verify --json` document: status plus `ok` and `problems`. */
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
    ...(m.resumedAt !== undefined ? { resumed_at: m.resumedAt } : {}),
    execution_ms: m.executionMs,
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
    dry_run: r.dryRun,
    database: r.database,
    kind: r.kind,
    table: r.table,
    lock_key: r.lockKey,
    migrations: r.migrations.map(migrationResultJson),
    warnings: r.warnings,
    ...(r.lint
      ? { lint: { counts: r.lint.counts, findings: r.lint.findings, suppressed: r.lint.suppressed } }
      : {}),
  };
}

function stateLabel(s: MigrationStatus, c: Colors): string {
  switch (s.state) {
    case 'applied':
      return c.green('applied');
    case 'pending':
      return s.outOfOrder ? c.yellow('pending (out of order)') : 'pending';
    case 'dirty': {
      const what = s.resumable ? 'released for retry' : (s.error ?? '');
      return c.red(`dirty: ${s.statementsDone}/${s.statementsTotal} done; ${what}`);
    }
    case 'changed':
      return c.yellow('changed (file edited since applied)');
    case 'missing':
      return c.yellow('missing (file gone)');
  }
}

function when(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').slice(0, 19) : '';
}

/** `status` as text: where, the lock, the table, a summary. */
export function renderStatus(r: StatusResult, c: Colors): string {
  const lock = r.lock.holder
    ? c.yellow(`held by ${describeLockHolder(r.lock.holder)}`)
    : r.kind === 'pglite'
      ? 'free (PGlite: one process at a time)'
      : 'free';
  const lines = [
    `database: ${r.database}`,
    `history:  ${r.table}${r.historyExists ? '' : ' (not created yet)'}`,
    `lock:     ${r.lock.key} ${lock}`,
    '',
  ];
  let text = lines.join('\n');
  if (r.migrations.length === 0)
    text += 'No migrations yet: create one with `tenon migrate create <name>`.\n';
  else {
    text += renderPlainTable(
      ['version', 'name', 'state', 'applied at', 'time', 'by'],
      r.migrations.map((s) => [
        s.version,
        s.name,
        stateLabel(s, c),
        when(s.appliedAt),
        s.executionMs === null ? '' : ms(s.executionMs),
        s.appliedBy ?? '',
      ]),
      { alignRight: [4] },
    );
  }
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  text += `\n${counts.length > 0 ? counts.join(', ') : 'nothing applied, nothing pending'}\n`;
  if (r.invalidIndexes.length > 0) {
    text += c.red(
      `INVALID indexes (a failed CREATE INDEX CONCURRENTLY, or one being built now): ${r.invalidIndexes.map((i) => `${i.schema}.${i.name} on ${i.table}`).join(', ')}\n`,
    );
  }
  return text;
}

function oneLine(sql: string, width: number): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** `up`/`down` as text: a table of results, or with --dry-run the plan statement by statement. */
export function renderRun(r: RunResult, c: Colors, columns: number): string {
  const verb = r.direction === 'up' ? 'applied' : 'rolled back';
  if (r.migrations.length === 0) {
    return r.direction === 'up'
      ? 'Nothing to migrate: the database is up to date.\n'
      : 'Nothing to roll back: no migration is applied.\n';
  }
  if (r.dryRun) {
    const parts = [
      `Dry run: ${r.migrations.length} migration${r.migrations.length > 1 ? 's' : ''} would be ${verb} on ${r.database}; everything executed was rolled back.\n`,
    ];
    for (const m of r.migrations as (MigrationResult & { plan?: PlannedStatementView[] })[]) {
      const how = m.transactional ? 'in one transaction' : 'statement by statement, outside a transaction';
      const status =
        m.status === 'failed'
          ? c.red('FAILED')
          : m.status === 'skipped'
            ? c.yellow('not executed')
            : c.green('ok');
      parts.push(`\n${c.bold(m.file)} (${m.direction}, ${how}): ${status}\n`);
      for (const s of m.plan ?? []) {
        const flag = s.nonTransactional ? c.yellow(`  [${s.nonTransactional}: not executed]`) : '';
        parts.push(
          `  ${String(s.index).padStart(3)}  line ${String(s.line).padEnd(5)} ${oneLine(s.sql, Math.max(30, columns - 20))}${flag}\n`,
        );
      }
      for (const note of m.notes) parts.push(c.dim(`  note: ${note}\n`));
      if (m.error) parts.push(c.red(`  ${m.error.message.split('\n').join('\n  ')}\n`));
    }
    return parts.join('');
  }
  const table = renderPlainTable(
    ['version', 'name', 'result', 'time', 'notes'],
    r.migrations.map((m) => [
      m.version,
      m.name,
      m.status,
      ms(m.executionMs),
      [
        m.transactional ? '' : 'outside a transaction',
        m.retries > 0 ? `${m.retries} lock retries` : '',
        ...m.notes.filter((n) => !n.startsWith('runs outside')),
      ]
        .filter(Boolean)
        .join('; '),
    ]),
    { alignRight: [3] },
  );
  const total = r.migrations.reduce((sum, m) => sum + m.executionMs, 0);
  return `${table}\n${r.migrations.length} migration${r.migrations.length > 1 ? 's' : ''} ${verb} in ${ms(total)}.\n`;
}

/** `verify` as text: OK, or the problems. */
export function renderVerify(r: VerifyResult): string {
  if (r.ok) {
    return `OK: ${r.counts.applied} applied migration${r.counts.applied === 1 ? '' : 's'} match${r.counts.applied === 1 ? 'es' : ''} ${r.counts.applied === 1 ? 'its file' : 'their files'}; ${r.counts.pending} pending.\n`;
  }
  return renderPlainTable(
    ['version', 'name', 'problem', 'detail'],
    r.problems.map((p) => [p.version, p.name, p.kind, p.message.split('\n')[0] ?? '']),
  );
}

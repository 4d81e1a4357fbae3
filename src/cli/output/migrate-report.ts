import { formatDuration } from '../../core/duration.js';
// Values from the module that defines them, not from migrate/index.js, which would load lint and trace too.
import { describeLockHolder } from '../../migrate/advisory-lock.js';
import type {
  MigrationResult,
  MigrationStatus,
  PlannedStatementView,
  RunResult,
  StatusResult,
  VerifyResult,
} from '../../migrate/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** Text renderings of `tenon migrate` results (the JSON documents are in migrate-json.ts). */

/** Whole milliseconds below a second (`6ms`, not `6.00ms`): migration times are recorded in whole ms. */
function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)}ms` : formatDuration(value);
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
    text += renderTable(
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
    const n = r.migrations.length;
    const failed = r.migrations.find((m) => m.status === 'failed');
    const ok = r.migrations.filter((m) => m.status === 'checked').length;
    const notRun = r.migrations.filter((m) => m.status === 'not-run').length;
    const verdict = failed
      ? `${ok} would be ${verb}, then ${failed.file} ${c.red('fails')}${notRun > 0 ? `; ${notRun} not run` : ''}`
      : `all would be ${verb}`;
    const parts = [
      `Dry run of ${n} migration${n > 1 ? 's' : ''} to be ${verb} on ${r.database}, run as the real run runs ${n > 1 ? 'them' : 'it'} on ${r.shadow ?? 'a shadow'} (thrown away): ${verdict}.\n`,
    ];
    for (const m of r.migrations as (MigrationResult & { plan?: PlannedStatementView[] })[]) {
      const how = m.transactional ? 'in one transaction' : 'statement by statement, outside a transaction';
      const status =
        m.status === 'failed'
          ? c.red('FAILED')
          : m.status === 'not-run'
            ? c.yellow('not run')
            : c.green('ok');
      parts.push(`\n${c.bold(m.file)} (${m.direction}, ${how}): ${status}\n`);
      for (const s of m.plan ?? []) {
        const flag = s.nonTransactional ? c.yellow(`  [${s.nonTransactional}]`) : '';
        parts.push(
          `  ${String(s.index).padStart(3)}  line ${String(s.line).padEnd(5)} ${oneLine(s.sql, Math.max(30, columns - 20))}${flag}\n`,
        );
      }
      for (const note of m.notes) parts.push(c.dim(`  note: ${note}\n`));
      if (m.error) parts.push(c.red(`  ${m.error.message.split('\n').join('\n  ')}\n`));
    }
    return parts.join('');
  }
  const total = r.migrations.reduce((sum, m) => sum + m.executionMs, 0);
  return `${resultTable(r.migrations)}\n${r.migrations.length} migration${r.migrations.length > 1 ? 's' : ''} ${verb} in ${ms(total)}.\n`;
}

/** The migrations a failed `up`/`down` completed before the failure (the error follows on stderr). */
export function renderPartialRun(
  direction: 'up' | 'down',
  completed: readonly MigrationResult[],
  c: Colors,
): string {
  const verb = direction === 'up' ? 'applied' : 'rolled back';
  if (completed.length === 0) return c.yellow(`No migration was ${verb} before the failure.\n`);
  const total = completed.reduce((sum, m) => sum + m.executionMs, 0);
  return `${resultTable(completed)}\n${c.yellow(`${completed.length} migration${completed.length > 1 ? 's were' : ' was'} ${verb} (in ${ms(total)}) before the failure; ${completed.length > 1 ? 'they stay' : 'it stays'} ${verb}.`)}\n`;
}

function resultTable(migrations: readonly MigrationResult[]): string {
  return renderTable(
    ['version', 'name', 'result', 'time', 'notes'],
    migrations.map((m) => [
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
}

/** `verify` as text: OK, or the problems. */
export function renderVerify(r: VerifyResult): string {
  if (r.ok) {
    return `OK: ${r.counts.applied} applied migration${r.counts.applied === 1 ? '' : 's'} match${r.counts.applied === 1 ? 'es' : ''} ${r.counts.applied === 1 ? 'its file' : 'their files'}; ${r.counts.pending} pending.\n`;
  }
  return renderTable(
    ['version', 'name', 'problem', 'detail'],
    r.problems.map((p) => [p.version, p.name, p.kind, p.message.split('\n')[0] ?? '']),
  );
}

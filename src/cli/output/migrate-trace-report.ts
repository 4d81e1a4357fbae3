import { lockName, type TracedLock, type TracedStatement, type TraceResult } from '../../migrate/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** The `migrate trace --json` document (`tenon.migrate.trace/v1`; the CLI adds `schema`). */
export function traceResultJson(r: TraceResult) {
  return { ...r };
}

function lockLine(l: TracedLock, c: Colors): string {
  const mode = lockName(l.mode);
  const shown = l.mode === 'AccessExclusiveLock' && !l.newObject ? c.red(mode) : mode;
  const until =
    l.heldUntil === 'commit' ? `until commit, ${l.holdMs} ms` : `during the statement, ${l.holdMs} ms`;
  const notes = [
    l.newObject ? 'new' : '',
    l.granted ? '' : 'waited',
    l.observedBy === 'second-session' ? 'seen by observer' : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${shown} ${l.target} (${until}${notes ? `; ${notes}` : ''})`;
}

/**
 * The locks worth reading: locks on objects this migration created block
 * nobody (they are summed up), and ACCESS SHARE on a schema, type or
 * constraint (name lookups) only blocks dropping it.
 */
function locksCell(s: TracedStatement, c: Colors): string {
  if (!s.observable) return c.dim('not observable on PGlite (one connection)');
  const shown = s.locks.filter((l) => !l.newObject && !(l.kind === 'object' && l.mode === 'AccessShareLock'));
  const hidden = s.locks.filter((l) => l.newObject).length;
  const lines = shown.map((l) => lockLine(l, c));
  if (hidden > 0) lines.push(c.dim(`+ ${hidden} on objects created here`));
  return lines.length > 0 ? lines.join('\n') : '—';
}

/** The text output of `migrate trace`: per migration, per statement, locks and rewrites; then the findings. */
export function renderTrace(r: TraceResult, c: Colors): string {
  const out: string[] = [];
  out.push(
    `shadow: ${r.shadow.description}${r.shadow.replayed > 0 ? ` (${r.shadow.replayed} applied migrations replayed)` : ''}`,
  );
  out.push(r.live ? `table sizes: ${r.database}` : 'table sizes: the shadow (no live database)');
  out.push('');
  for (const m of r.migrations) {
    const status =
      m.status === 'failed' ? c.red('failed') : m.status === 'not-run' ? c.dim('not run') : 'traced';
    out.push(
      `${m.file}  ${m.transactional ? 'one transaction' : 'statement by statement'}, ${m.statementCount} statement${m.statementCount === 1 ? '' : 's'}, ${m.durationMs} ms, ${status}`,
    );
    if (m.statements.length === 0) {
      out.push('');
      continue;
    }
    out.push(
      renderTable(
        ['#', 'line', 'time', 'statement', 'locks taken', 'rewrote'],
        m.statements.map((s) => [
          String(s.index),
          String(s.line),
          `${s.durationMs} ms`,
          `${s.sql}${s.rewritten ? `\n(${s.rewritten})` : ''}${s.error ? `\n${c.red(`failed: ${s.error}`)}` : ''}`,
          locksCell(s, c),
          s.rewrites.length > 0 ? s.rewrites.map((w) => `${w.relation} (${w.kind})`).join('\n') : '—',
        ]),
        { widths: [3, 5, 9, 46, 74, 30], indent: '  ' },
      ).trimEnd(),
    );
    out.push('');
  }
  if (r.findings.length > 0) {
    out.push('findings:');
    for (const f of r.findings) {
      const sev =
        f.severity === 'error'
          ? c.red('error')
          : f.severity === 'warning'
            ? c.yellow('warning')
            : c.dim('info');
      out.push(`  ${f.file}:${f.line} statement ${f.statement}  ${sev}  ${f.message}`);
      out.push(`      fix: ${f.fix}`);
    }
  }
  out.push(
    `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}: ${r.counts.error} error${r.counts.error === 1 ? '' : 's'}, ${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}, ${r.counts.info} info. Large: ${r.largeRows.toLocaleString('en-US')} rows or 1 GB; slow: work that grows with a large table, or ${r.slowMs} ms and 20× a reference statement in the shadow.`,
  );
  return `${out.join('\n')}\n`;
}

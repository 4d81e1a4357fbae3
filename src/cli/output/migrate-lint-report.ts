import type { LintFinding, LintRunResult, Severity } from '../../migrate/index.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

/** The `migrate lint --json` document (`tenon.migrate.lint/v1`; the CLI adds `schema`). */
export function lintResultJson(r: LintRunResult, failOn: Severity | 'never', failed: boolean) {
  return {
    scope: r.scope,
    database: r.database ?? null,
    serverVersion: r.serverVersion,
    serverVersionFrom: r.serverVersionFrom,
    live: r.live,
    files: r.files,
    statements: r.statements,
    failOn,
    failed,
    counts: r.counts,
    findings: r.findings,
    suppressed: r.suppressed,
    errors: r.errors,
    warnings: r.warnings,
    linted: r.linted,
  };
}

function severityLabel(severity: Severity, c: Colors): string {
  return severity === 'error' ? c.red('error') : severity === 'warning' ? c.yellow('warning') : c.dim('info');
}

/**
 * The findings as a table (location, severity, rule, message, fix), the
 * message and fix wrapped to the terminal's width, then a summary line.
 */
export function renderLintFindings(findings: readonly LintFinding[], c: Colors, columns = 160): string {
  if (findings.length === 0) return '';
  // Pipes and CI logs report 100 columns; a finding table needs more to stay readable.
  const width = Math.max(160, columns);
  const location = Math.max(10, ...findings.map((f) => `${f.file}:${f.line}:${f.column}`.length)) + 1;
  const rule = Math.max(6, ...findings.map((f) => f.rule.length)) + 1;
  const severity = 9;
  const rest = Math.max(60, width - location - rule - severity - 4);
  const message = Math.floor(rest * 0.6);
  const fix = rest - message;
  // Fixed widths: long messages and fixes wrap inside their column instead of pushing the next one.
  return renderTable(
    ['location', 'severity', 'rule', 'message', 'fix'],
    findings.map((f) => [
      `${f.file}:${f.line}:${f.column}`,
      severityLabel(f.severity, c),
      f.rule,
      `${f.message}${f.tableFacts ? ` (${f.tableFacts})` : ''}`,
      f.fix,
    ]),
    { widths: [location, severity, rule, message, fix].map((w) => w - 1) },
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The whole text output of `migrate lint`. */
export function renderLint(r: LintRunResult, c: Colors, columns?: number): string {
  const lines: string[] = [];
  const table = renderLintFindings(r.findings, c, columns);
  if (table) lines.push(table);
  const what =
    r.scope === 'pending'
      ? `${plural(r.files, 'pending migration')}`
      : r.scope === 'files'
        ? plural(r.files, 'file')
        : `${plural(r.files, 'migration')} (all files)`;
  const counts =
    r.findings.length === 0
      ? 'no findings'
      : `${plural(r.findings.length, 'finding')}: ${r.counts.error} error${r.counts.error === 1 ? '' : 's'}, ${r.counts.warning} warning${r.counts.warning === 1 ? '' : 's'}, ${r.counts.info} info`;
  lines.push(`${counts} in ${what}, ${plural(r.statements, 'statement')}.`);
  const newTable = r.suppressed.filter((s) => s.reason === 'new-table').length;
  const byComment = r.suppressed.filter((s) => s.reason === 'comment').length;
  if (newTable > 0)
    lines.push(
      `${newTable} left out: about tables created earlier in the linted set (nobody else uses them yet).`,
    );
  if (byComment > 0) lines.push(`${byComment} switched off by tenon-lint-disable comments.`);
  lines.push(
    r.live
      ? `Severities from the live database ${r.database} (PostgreSQL ${Math.floor(r.serverVersion / 10000)}).`
      : `No database: severities are the rules' defaults, for PostgreSQL ${Math.floor(r.serverVersion / 10000)}${r.serverVersionFrom === 'default' ? ' (the oldest supported; --pg-version sets it)' : ''}. --database-url weighs them by table size and activity.`,
  );
  return `${lines.join('\n')}\n`;
}

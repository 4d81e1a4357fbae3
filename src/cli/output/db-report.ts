import type {
  AnalyzeResult,
  Capabilities,
  ExplainResult,
  Finding,
  IndexRecommendation,
  PlanSummary,
  Severity,
  SuggestIndexesResult,
  WrittenMigration,
} from '../../analyze/index.js';
import { formatDuration } from '../../core/duration.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

const LABEL: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };

function paint(colors: Colors, severity: Severity, text: string): string {
  return severity === 'critical'
    ? colors.red(colors.bold(text))
    : severity === 'warning'
      ? colors.yellow(text)
      : colors.cyan(text);
}

function flat(sql: string, max = 100): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** One line about what the database can do. */
export function renderCapabilities(caps: Capabilities, colors: Colors): string {
  const yes = (ok: boolean, text: string) => (ok ? colors.green(`✓ ${text}`) : colors.dim(`✗ ${text}`));
  const pss = caps.pgStatStatements;
  return [
    yes(
      pss.available,
      `pg_stat_statements${pss.version ? ` ${pss.version}` : ''}${pss.track ? ` (track=${pss.track})` : ''}`,
    ),
    yes(caps.hypopg.available, 'hypopg'),
    yes(caps.trackCounts, 'track_counts'),
    yes(caps.sessions, 'other sessions visible'),
  ].join('  ');
}

function renderFinding(f: Finding, colors: Colors): string {
  const lines = [
    `  ${paint(colors, f.severity, f.check.padEnd(20))} ${f.title}`,
    `    ${colors.dim('→')} ${f.recommendation}`,
  ];
  if (f.fix) {
    const sql = f.fix.up.split('\n').join('\n         ');
    lines.push(`    ${colors.dim(f.fix.migration ? 'fix (migration):' : 'fix:')} ${sql}`);
  }
  return lines.join('\n');
}

/**
 * The terminal report of `tenon db analyze`: findings grouped by severity,
 * checks that did not run and why, the top statements and a summary line.
 */
export function renderAnalyzeReport(
  result: AnalyzeResult,
  colors: Colors,
  written: WrittenMigration[] = [],
): string {
  const out: string[] = [];
  const kind = result.server.kind === 'pglite' ? 'PGlite' : 'server';
  out.push(
    `${colors.bold('tenon db analyze')} ${result.server.url} ${colors.dim(`(${result.server.versionText.split(' on ')[0]}, ${kind})`)}`,
    renderCapabilities(result.capabilities, colors),
    colors.dim(
      `counters ${result.window.description}${result.window.note ? ` (${result.window.note})` : ''}`,
    ),
    '',
  );
  for (const severity of ['critical', 'warning', 'info'] as const) {
    const group = result.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(paint(colors, severity, `${LABEL[severity]} (${group.length})`));
    for (const f of group) out.push(renderFinding(f, colors));
    out.push('');
  }
  if (result.findings.length === 0) out.push(colors.green('No findings.'), '');
  const notRun = result.checks.filter((c) => c.status !== 'ran');
  if (notRun.length > 0) {
    out.push(colors.bold(`NOT RUN (${notRun.length})`));
    for (const c of notRun)
      out.push(
        `  ${c.id.padEnd(20)} ${c.status === 'failed' ? colors.red('failed: ') : 'not run: '}${c.reason}`,
      );
    out.push('');
  }
  if (result.topQueries.length > 0) {
    out.push(colors.bold('TOP QUERIES (by total time)'));
    const rows = result.topQueries.map((q) => [
      q.calls,
      formatDuration(q.meanMs),
      formatDuration(q.totalMs),
      `${Math.round(q.share * 100)}%`,
      flat(q.query, 80),
    ]);
    out.push(
      renderTable(['calls', 'mean', 'total', 'share', 'query'], rows, { alignRight: [0, 1, 2, 3] })
        .trimEnd()
        .replace(/^/gm, '  '),
      '',
    );
  }
  if (written.length > 0) {
    out.push(colors.bold(`MIGRATIONS WRITTEN (${written.length})`));
    for (const m of written) out.push(`  ${m.path}`);
    out.push(`  ${colors.dim('apply with: tenon migrate up')}`, '');
  }
  const s = result.summary;
  const ran = result.checks.length - s.notRun - s.failed;
  out.push(
    `${paint(colors, 'critical', `${s.critical} critical`)}, ${paint(colors, 'warning', `${s.warning} warning${s.warning === 1 ? '' : 's'}`)}, ${s.info} info · ${result.checks.length} checks (${ran} ran, ${s.notRun} not run${s.failed ? `, ${s.failed} failed` : ''}) · ${formatDuration(result.durationMs)}`,
  );
  return `${out.join('\n')}\n`;
}

function renderRecommendation(r: IndexRecommendation, colors: Colors): string {
  const lines = [
    `${colors.bold(r.createSql)}`,
    `  ${colors.dim(`${r.method}, ${r.confidence} confidence${r.estimatedSavedMs > 0 ? `, saves about ${formatDuration(r.estimatedSavedMs)} of measured time` : ''}${r.replaces.length > 0 ? `, replaces ${r.replaces.join(', ')}` : ''}${r.writeHeavy ? `, write-heavy table (${r.writesPerRead} writes per read)` : ''}`)}`,
  ];
  for (const q of r.queries) {
    const cut = Math.round((1 - q.costAfter / Math.max(q.costBefore, 1e-9)) * 100);
    lines.push(
      `  cost ${q.costBefore} → ${q.costAfter} (−${cut}%)${q.calls ? ` · ${q.calls} calls, ${formatDuration(q.meanMs)} mean` : ''}  ${colors.dim(flat(q.query, 90))}`,
    );
  }
  return lines.join('\n');
}

/** The terminal output of `tenon db suggest-indexes`. */
export function renderSuggestions(
  result: SuggestIndexesResult,
  colors: Colors,
  written: WrittenMigration[] = [],
): string {
  const out: string[] = [];
  if (result.recommendations.length === 0)
    out.push('No index would cut the cost of the analyzed statements enough.');
  for (const r of result.recommendations) out.push(renderRecommendation(r, colors), '');
  for (const s of result.staleStatistics) {
    const q = s.queries[0]!;
    out.push(
      `${colors.bold(`stale statistics: ${s.table}`)} — run ${s.analyzeSql} (the planner expects ${q.estimatedRows} rows, ${q.rowsPerCall} per call were measured; ${q.estimatedRowsAfterAnalyze} after ANALYZE)`,
      '',
    );
  }
  for (const note of result.notes) out.push(colors.dim(`note: ${note}`));
  const priced = result.methods.length > 0 ? `, candidates priced with ${result.methods.join(', ')}` : '';
  out.push(
    colors.dim(
      `${result.analyzed} statement(s) analyzed${priced}; ${result.skipped.length} skipped (--json lists why)`,
    ),
  );
  for (const m of written) out.push(`wrote ${m.path}`);
  return `${out.join('\n')}\n`;
}

/** A plan summary: shape, slowest node and the issues with what to do. */
export function renderPlanSummary(summary: PlanSummary, colors: Colors): string {
  const out = [
    `${summary.rootNode}  ${colors.dim(`cost ${summary.totalCost}, ${summary.planRows} rows${summary.executionMs !== undefined ? `, ${formatDuration(summary.executionMs)} execution, ${formatDuration(summary.planningMs ?? 0)} planning` : ''}`)}`,
    `slowest node: ${summary.slowest.node} (${summary.slowest.selfMs !== undefined ? `${formatDuration(summary.slowest.selfMs)}, ` : ''}${Math.round(summary.slowest.share * 100)}% of the ${summary.slowest.selfMs !== undefined ? 'time' : 'cost'})`,
  ];
  if (summary.indexesUsed.length > 0) out.push(`indexes used: ${summary.indexesUsed.join(', ')}`);
  if (summary.issues.length === 0) out.push(colors.green('no problems found in the plan'));
  for (const issue of summary.issues) {
    out.push(`${colors.yellow('!')} ${issue.node}: ${issue.detail}`, `  ${colors.dim('→')} ${issue.advice}`);
  }
  return `${out.join('\n')}\n`;
}

/** The terminal output of `tenon db explain`. */
export function renderExplain(result: ExplainResult, colors: Colors): string {
  const mode = result.analyzed
    ? 'EXPLAIN (ANALYZE, BUFFERS), rolled back'
    : result.generic
      ? 'estimated generic plan (no --params)'
      : 'estimated plan';
  return `${colors.dim(mode)}\n${renderPlanSummary(result.summary, colors)}`;
}

import { escapeHtml, type ReportSection, renderReportPage } from '../../report/index.js';
import type { AnalyzeResult } from '../analyzer.js';
import type { Finding, Severity } from '../check.js';
import type { PlanSummary } from '../plan-summary.js';

/** Escapes text for HTML (the shared report helper, re-exported for compatibility). */
export { escapeHtml };

/** What the analysis page adds to the shared report style. */
const STYLE = `
:root { --crit: #b3261e; --ok: #2e7d32; }
.badges span { display: inline-block; padding: 2px 10px; border-radius: 10px; color: #fff; margin-right: 6px; font-weight: 600; }
.b-critical { background: var(--crit); } .b-warning { background: var(--warn); } .b-info { background: var(--info); } .b-ok { background: var(--ok); }
details.finding { background: #fff; border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px; margin: 6px 0; padding: 6px 10px; }
details.critical { border-left-color: var(--crit); } details.warning { border-left-color: var(--warn); } details.info { border-left-color: var(--info); }
summary { cursor: pointer; } .check { font-weight: 600; margin-right: 8px; }
td { vertical-align: top; } .caps span { margin-right: 14px; }
.yes { color: var(--ok); } .no { color: var(--muted); }
`;

function badge(severity: Severity, n: number): string {
  return `<span class="b-${severity}">${n} ${severity}</span>`;
}

function findingHtml(f: Finding): string {
  const fix = f.fix
    ? `<div><strong>${f.fix.migration ? 'Fix (written by --write-migrations)' : 'Fix'}</strong><pre>${escapeHtml(f.fix.up)}</pre>${f.fix.down ? `<div class="muted">down</div><pre>${escapeHtml(f.fix.down)}</pre>` : ''}</div>`
    : '';
  const { plan, ...evidence } = f.evidence as { plan?: unknown } & Record<string, unknown>;
  const planHtml = plan && typeof plan === 'object' ? planSummaryHtml(plan as PlanSummary) : '';
  return `<details class="finding ${f.severity}"><summary><span class="check">${escapeHtml(f.check)}</span>${escapeHtml(f.title)}</summary>
<p>${escapeHtml(f.recommendation)}</p>${planHtml}${fix}
<div class="muted">evidence</div><pre>${escapeHtml(JSON.stringify(evidence, null, 2))}</pre></details>`;
}

function planSummaryHtml(plan: PlanSummary): string {
  const issues = plan.issues
    .map(
      (i) =>
        `<li><strong>${escapeHtml(i.node)}</strong>: ${escapeHtml(i.detail)} → ${escapeHtml(i.advice)}</li>`,
    )
    .join('');
  return `<div class="plan"><strong>Plan</strong>: ${escapeHtml(plan.rootNode)}, cost ${plan.totalCost}; slowest node ${escapeHtml(plan.slowest.node)} (${Math.round(plan.slowest.share * 100)}%)${plan.indexesUsed.length ? `; indexes ${escapeHtml(plan.indexesUsed.join(', '))}` : ''}${issues ? `<ul>${issues}</ul>` : ''}</div>`;
}

/**
 * A self-contained HTML page of an analysis (inline CSS, no scripts, no
 * external resources): summary, findings by severity with evidence, plan
 * summaries and fix SQL, checks not run, top statements, index advice.
 */
export function renderAnalyzeHtml(result: AnalyzeResult): string {
  const s = result.summary;
  const caps = result.capabilities;
  const yn = (ok: boolean, label: string) =>
    `<span class="${ok ? 'yes' : 'no'}">${ok ? '✓' : '✗'} ${escapeHtml(label)}</span>`;
  const sections: ReportSection[] = [
    {
      title: 'Summary',
      html: `<p class="badges">${s.critical + s.warning + s.info === 0 ? '<span class="b-ok">no findings</span>' : `${badge('critical', s.critical)}${badge('warning', s.warning)}${badge('info', s.info)}`}</p>
<div class="caps">${yn(caps.pgStatStatements.available, 'pg_stat_statements')}${yn(caps.hypopg.available, 'hypopg')}${yn(caps.trackCounts, 'track_counts')}${yn(caps.sessions, 'other sessions')}</div>
<p class="window">Counters ${escapeHtml(result.window.description)}${result.window.note ? ` (${escapeHtml(result.window.note)})` : ''}.</p>`,
    },
  ];
  for (const sev of ['critical', 'warning', 'info'] as const) {
    const list = result.findings.filter((f) => f.severity === sev);
    if (list.length) {
      sections.push({
        title: `${sev[0]!.toUpperCase()}${sev.slice(1)} (${list.length})`,
        html: list.map(findingHtml).join('\n'),
      });
    }
  }
  if (result.findings.length === 0) sections.push({ title: 'Findings', html: '<p>No findings.</p>' });
  const notRun = result.checks.filter((c) => c.status !== 'ran');
  if (notRun.length) {
    sections.push({
      title: `Checks not run (${notRun.length})`,
      html: `<table><tr><th>check</th><th>why</th></tr>${notRun.map((c) => `<tr><td>${escapeHtml(c.id)}</td><td>${escapeHtml(c.reason ?? '')}</td></tr>`).join('')}</table>`,
    });
  }
  const queries = result.topQueries
    .map(
      (q) =>
        `<tr><td class="num">${q.calls}</td><td class="num">${q.meanMs.toFixed(2)} ms</td><td class="num">${q.totalMs.toFixed(0)} ms</td><td class="num">${Math.round(q.share * 100)}%</td><td><code>${escapeHtml(q.query)}</code></td></tr>`,
    )
    .join('');
  if (queries) {
    sections.push({
      title: 'Top statements by total time',
      html: `<table><tr><th class="num">calls</th><th class="num">mean</th><th class="num">total</th><th class="num">share</th><th>statement</th></tr>${queries}</table>`,
    });
  }
  const advice = (result.indexAdvice?.recommendations ?? [])
    .map(
      (r) =>
        `<tr><td><code>${escapeHtml(r.createSql)}</code></td><td>${escapeHtml(r.method)} (${r.confidence})</td><td>${r.queries
          .map((q) => `${q.costBefore} → ${q.costAfter}: <code>${escapeHtml(q.query.slice(0, 160))}</code>`)
          .join('<br>')}</td></tr>`,
    )
    .join('');
  if (advice) {
    sections.push({
      title: 'Index advice',
      html: `<table><tr><th>index</th><th>method</th><th>statements (cost before → after)</th></tr>${advice}</table>`,
    });
  }
  sections.push({
    title: 'Checks',
    html: `<table><tr><th>check</th><th>status</th><th class="num">findings</th><th class="num">time</th></tr>${result.checks.map((c) => `<tr><td>${escapeHtml(c.id)}</td><td>${c.status}</td><td class="num">${c.findings}</td><td class="num">${c.durationMs} ms</td></tr>`).join('')}</table>`,
  });
  return renderReportPage({
    title: `tenon db analyze: ${result.server.database}`,
    subtitle: `${result.server.url} · ${result.server.versionText.split(' on ')[0] ?? ''} · ${result.generatedAt} · ${result.durationMs} ms`,
    sections,
    charts: [],
    nav: false,
    style: STYLE,
    generator: 'tenon db analyze',
  });
}

import type { Finding } from '../../analyze/index.js';
import {
  type Cell,
  type ChartRun,
  type ChartSpec,
  chartFigure,
  distributionChart,
  escapeHtml,
  figureCards,
  formatInt,
  formatMs,
  htmlTable,
  latencyOverTimeChart,
  noteList,
  PERCENTILE_LABELS,
  type ReportSection,
  renderReportPage,
  spectrumChart,
  throughputChart,
} from '../../report/index.js';
import { DEMO_STEPS, type DemoLoadRun, type DemoResult } from '../run-demo.js';

const BEFORE = '#dc2626';
const AFTER = '#16a34a';

function charts(d: DemoResult): ChartSpec[] {
  const run = (r: DemoLoadRun, label: string, color: string): ChartRun => ({
    label,
    color,
    seconds: r.result.series,
    spectrum: r.result.distribution.spectrum,
    buckets: r.result.distribution.buckets,
  });
  const steady = [run(d.before, 'before', BEFORE), run(d.after, 'after', AFTER)];
  const ramps = [run(d.rampBefore, 'before', BEFORE), run(d.rampAfter, 'after', AFTER)];
  return [
    latencyOverTimeChart({
      id: 'p99-over-time',
      title: 'p99 latency per second, before and after the fix (corrected), ms',
      runs: steady,
      latency: 'corrected',
      lines: [{ key: 'p99' }, { key: 'p50', dash: true }],
      targetMs: d.p99Target,
    }),
    throughputChart({ runs: steady }),
    spectrumChart({ id: 'spectrum', runs: steady }),
    distributionChart({ runs: steady }),
    latencyOverTimeChart({
      id: 'ramp',
      title: 'Ramp: p99 per second as the rate rises, ms',
      runs: ramps,
      latency: 'corrected',
      lines: [{ key: 'p99' }],
      targetMs: d.p99Target,
      yRightLabel: 'req/s',
      extra: (x) => [
        {
          label: 'target rate',
          values: x.map((_, i) => d.rampBefore.result.series[i]?.targetRps ?? null),
          color: '#2563eb',
          dash: true,
          rightAxis: true,
        },
      ],
    }),
  ];
}

/** p50 of the endpoint that runs the planted query, before and after: the steadiest sign of the fix. */
function plantedCards(d: DemoResult): { label: string; value: string }[] {
  const name = 'list products by category';
  const b = d.before.result.endpoints.find((e) => e.name === name);
  const a = d.after.result.endpoints.find((e) => e.name === name);
  if (!b || !a) return [];
  return [
    {
      label: `${name} p50`,
      value: `${formatMs(b.latency.corrected.p50)} → ${formatMs(a.latency.corrected.p50)}`,
    },
  ];
}

function ratio(before: number, after: number): string {
  if (after <= 0) return 'n/a';
  const r = before / after;
  return r >= 1 ? `${r.toFixed(1)}× faster` : `${(1 / r).toFixed(1)}× slower`;
}

function crossingText(run: DemoLoadRun, rampTo: number): string {
  return run.crossing
    ? `from ${formatInt(run.crossing.targetRps)} req/s (p99 ${formatMs(run.crossing.p99)})`
    : `not up to ${formatInt(rampTo)} req/s`;
}

function latencyTable(d: DemoResult): string {
  const b = d.before.result.latency;
  const a = d.after.result.latency;
  return htmlTable(
    ['percentile', 'before (corrected)', 'after (corrected)', 'before (service)', 'after (service)'],
    PERCENTILE_LABELS.map(([key, label]) => [
      label,
      formatMs(b.corrected[key]),
      formatMs(a.corrected[key]),
      formatMs(b.service[key]),
      formatMs(a.service[key]),
    ]),
    { numeric: [1, 2, 3, 4] },
  );
}

function endpointTable(d: DemoResult): string {
  const rows: Cell[][] = d.before.result.endpoints.map((e, i) => {
    const after = d.after.result.endpoints[i];
    return [
      e.name,
      formatMs(e.latency.corrected.p99),
      after ? formatMs(after.latency.corrected.p99) : '',
      formatInt(e.requests.total),
      { text: `${e.errors.rate}%`, tone: e.errors.total > 0 ? 'bad' : undefined },
      after ? { text: `${after.errors.rate}%`, tone: after.errors.total > 0 ? 'bad' : undefined } : '',
      Object.entries(e.statusCodes)
        .map(([s, n]) => `${s}×${n}`)
        .join(' '),
    ];
  });
  return htmlTable(
    ['endpoint', 'p99 before', 'p99 after', 'requests', 'errors before', 'errors after', 'statuses before'],
    rows,
    { numeric: [1, 2, 3, 4, 5] },
  );
}

function findingHtml(f: Finding, planted: Finding | null): string {
  const fix = f.fix ? `<pre>${escapeHtml(f.fix.up)}</pre>` : '';
  const mark = f === planted ? ' <strong>(the planted slow query)</strong>' : '';
  return `<li class="${f.severity === 'critical' ? 'bad' : f.severity === 'warning' ? 'warn' : 'info'}"><strong>${escapeHtml(f.check)}</strong> ${escapeHtml(f.title)}${mark}<br>${escapeHtml(f.recommendation)}${fix}</li>`;
}

function thresholdTable(d: DemoResult): string {
  const rows: Cell[][] = d.before.result.thresholds.map((t, i) => {
    const after = d.after.result.thresholds[i];
    const show = (x: typeof t | undefined) =>
      x
        ? {
            text: `${x.unit === 'ms' ? formatMs(x.actual) : `${x.actual}${x.unit === '%' ? '%' : x.unit === 'req/s' ? ' req/s' : ''}`} ${x.pass ? 'pass' : 'FAIL'}`,
            tone: x.pass ? ('good' as const) : ('bad' as const),
          }
        : '';
    return [t.expression, show(t), show(after)];
  });
  return htmlTable(['threshold', 'before', 'after'], rows);
}

/**
 * Renders a demo's result as one self-contained HTML page (uPlot and the
 * data inlined, no network): before/after latency over time, percentiles,
 * distribution, throughput and errors, the ramps, the analysis findings,
 * the fix migration, the thresholds and the steps with their timings.
 */
export function renderDemoReport(d: DemoResult, toolVersion: string): string {
  const specs = charts(d);
  const fig = (id: string) => {
    const spec = specs.find((s) => s.id === id);
    return spec ? chartFigure(spec) : '';
  };
  const b = d.before.result;
  const a = d.after.result;
  const rampTo = Math.max(...(d.rampBefore.result.options.stages ?? []).map((s) => s.target), 0);
  const notes: { text: string; tone?: 'warn' | 'info' | 'bad' | 'good' }[] = [];
  if (d.session.note) notes.push({ text: d.session.note, tone: 'warn' });
  for (const run of [d.before, d.rampBefore, d.after, d.rampAfter]) {
    if (run.result.generator.saturated) {
      notes.push({
        text: `${run.label}: the load generator could not keep its schedule (${run.result.generator.reasons.join('; ')}); its latency includes the generator's own delays.`,
        tone: 'warn',
      });
    }
  }
  const byLoad = d.plantedByLoad;
  notes.push(
    byLoad?.statement
      ? {
          text: `The load run before the fix named the planted statement itself, from the database's signals: ${byLoad.message}`,
          tone: 'info',
        }
      : {
          text: `The load run before the fix did not name the planted statement${d.before.result.bottlenecks[0] ? ` (it named ${d.before.result.bottlenecks[0].kind})` : ''}.`,
          tone: 'warn',
        },
  );
  if (!d.planted) {
    const caps = d.analysis.capabilities.pgStatStatements;
    notes.push({
      text: `The analysis did not report the planted slow query${caps.available ? '' : `: ${caps.reason ?? 'pg_stat_statements is not available'}`}.`,
      tone: 'bad',
    });
  }
  const sections: ReportSection[] = [
    {
      title: 'Summary',
      html:
        figureCards([
          {
            label: 'p99 before',
            value: formatMs(b.latency.corrected.p99),
            tone: b.latency.corrected.p99 > d.p99Target ? 'bad' : 'good',
          },
          {
            label: 'p99 after',
            value: formatMs(a.latency.corrected.p99),
            tone: a.latency.corrected.p99 > d.p99Target ? 'bad' : 'good',
          },
          { label: 'p99 change', value: ratio(b.latency.corrected.p99, a.latency.corrected.p99) },
          ...plantedCards(d),
          { label: 'throughput after', value: `${a.throughput.rps.toFixed(1)} req/s` },
          {
            label: 'errors before / after',
            value: `${b.errors.rate}% / ${a.errors.rate}%`,
            tone: b.errors.total + a.errors.total > 0 ? 'warn' : 'good',
          },
          { label: 'rows seeded', value: formatInt(d.seed.rows) },
          { label: 'p99 over target (ramp) before', value: crossingText(d.rampBefore, rampTo) },
          { label: 'p99 over target (ramp) after', value: crossingText(d.rampAfter, rampTo) },
        ]) + (notes.length ? noteList(notes) : ''),
    },
    {
      title: 'Setup',
      html: htmlTable(
        ['', ''],
        [
          ['project', d.dir],
          ['framework', d.framework],
          [
            'database',
            `${d.database.url}${d.database.kind === 'pglite' ? ' (served to the app over the wire protocol by the demo process)' : ''}`,
          ],
          [
            'rows',
            Object.entries(d.seed.perTable)
              .map(([t, n]) => `${t} ${formatInt(n)}`)
              .join(' · '),
          ],
          [
            'authentication',
            d.session.authenticated ? `Bearer token of ${d.session.email}` : (d.session.note ?? 'none'),
          ],
          [
            'load mix (round-robin)',
            b.endpoints
              .map((e) => `${e.name}: ${e.method} ${new URL(e.url).pathname}${new URL(e.url).search}`)
              .join(' · '),
          ],
          [
            'steady runs',
            `${b.options.rate ?? ''} req/s for ${Math.round(b.options.durationMs / 1000)}s (open model, after ${Math.round(b.options.warmupMs / 1000)}s warm-up)`,
          ],
          [
            'ramps',
            `0 → ${formatInt(rampTo)} req/s over ${Math.round(d.rampBefore.result.options.durationMs / 1000)}s`,
          ],
        ],
      ),
    },
    {
      title: 'Latency over time',
      html: `<div class="grid2">${fig('p99-over-time')}${fig('throughput')}</div>`,
    },
    {
      title: 'Latency distribution',
      html: `<div class="grid2">${fig('spectrum')}${fig('distribution')}</div>${latencyTable(d)}`,
    },
    { title: 'Endpoints', html: endpointTable(d) },
    {
      title: 'Ramp',
      html: `<p>The rate rises linearly to ${formatInt(rampTo)} req/s; the first second whose p99 is over ${formatMs(d.p99Target)} marks the capacity at that target. Before: ${escapeHtml(crossingText(d.rampBefore, rampTo))}; after: ${escapeHtml(crossingText(d.rampAfter, rampTo))}.</p>${fig('ramp')}`,
    },
    {
      title: 'Analysis',
      html: `<p>tenon db analyze on ${escapeHtml(d.analysis.server.url)} (${escapeHtml(d.analysis.server.versionText.split(' on ')[0] ?? '')}): ${d.analysis.summary.critical} critical, ${d.analysis.summary.warning} warnings, ${d.analysis.summary.info} info; ${d.analysis.checks.length} checks in ${formatInt(d.analysis.durationMs)} ms.</p><ul class="notes">${d.analysis.findings.map((f) => findingHtml(f, d.planted)).join('')}</ul>`,
    },
    {
      title: 'Fix',
      html:
        d.fix.applied.length > 0
          ? `<p>Written by the analysis and applied with tenon migrate up:</p><ul>${d.fix.applied.map((m) => `<li><code>${escapeHtml(m)}</code></li>`).join('')}</ul>`
          : '<p class="muted">No migration was applied.</p>',
    },
    { title: 'Thresholds', html: thresholdTable(d) },
    {
      title: 'Steps',
      html: htmlTable(
        ['step', 'time'],
        DEMO_STEPS.map((s) => [s, d.timings[s] === undefined ? '' : formatMs(d.timings[s])]),
        { numeric: [1] },
      ),
    },
  ];
  return renderReportPage({
    title: 'tenon demo: before and after the fix',
    subtitle: `${d.framework} app on ${d.database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} · ${formatInt(d.seed.rows)} rows · ${b.options.rate ?? ''} req/s for ${Math.round(b.options.durationMs / 1000)}s per run · started ${d.startedAt} · ${d.session.authenticated ? 'authenticated' : 'unauthenticated'}`,
    status:
      a.latency.corrected.p99 <= d.p99Target
        ? { label: 'TARGET MET AFTER THE FIX', tone: 'good' }
        : { label: 'TARGET MISSED', tone: 'warn' },
    sections,
    charts: specs,
    generator: `tenon ${toolVersion} · tenon.demo/v1`,
  });
}

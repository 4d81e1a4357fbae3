import type { Finding } from '../../analyze/index.js';
import {
  type CapacityResult,
  capacityShort,
  capacityVerdict,
  formatConfidence,
  formatRate,
} from '../../load/index.js';
import {
  type Cell,
  type ChartRun,
  type ChartSpec,
  chartFigure,
  distributionChart,
  escapeHtml,
  figureCards,
  formatInt,
  formatLatency,
  formatMs,
  formatPercent,
  htmlTable,
  latencyOverTimeChart,
  noteList,
  PERCENTILE_LABELS,
  type ReportSection,
  renderReportPage,
  spectrumChart,
  throughputChart,
} from '../../report/index.js';
import { DEMO_STEPS } from '../demo-options.js';
import type { DemoCapacityRun, DemoLoadRun, DemoResult } from '../demo-result.js';
import { plantedHeaviest } from '../planted.js';

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
    capacityChart(d),
  ];
}

/** p99 (pooled over each rate's runs) by rate, before and after, with the target: where each crosses it. */
function capacityChart(d: DemoResult): ChartSpec {
  const searches = [
    { label: 'before', color: BEFORE, r: d.capacityBefore.result },
    { label: 'after', color: AFTER, r: d.capacityAfter.result },
  ];
  const rates = [
    ...new Set(searches.flatMap((s) => s.r.steps.filter((x) => x.repeats > 0).map((x) => x.rate))),
  ].sort((a, b) => a - b);
  const p99At = (r: CapacityResult, rate: number) =>
    r.steps.find((x) => x.rate === rate && x.repeats > 0)?.objectives[0]?.value ?? null;
  return {
    id: 'capacity',
    title: 'Capacity search: p99 at each rate tried (runs pooled), ms',
    x: rates,
    xLabel: 'req/s',
    yLabel: 'ms',
    xFormat: 'number',
    yLog: true,
    series: [
      ...searches.map((s) => ({
        label: `p99 ${s.label}`,
        values: rates.map((rate) => p99At(s.r, rate)),
        color: s.color,
        points: true,
        spanGaps: true,
      })),
      {
        label: `target ${d.p99Target} ms`,
        values: rates.map(() => d.p99Target),
        color: '#2563eb',
        dash: true,
      },
    ],
  };
}

/** The rates a search tried, in rate order, with the decision and its confidence. */
function capacityTable(run: DemoCapacityRun): string {
  return htmlTable(
    ['rate', 'runs', 'p99 (95% CI)', 'errors', 'decision', 'confidence'],
    [...run.result.steps]
      .sort((a, b) => a.rate - b.rate)
      .map((s) => {
        const o = s.objectives[0];
        return [
          formatRate(s.rate),
          s.repeats,
          o && o.samples > 0
            ? `${formatMs(o.value)} (${formatMs(o.low)}–${o.high === null ? '?' : formatMs(o.high)})`
            : '–',
          formatPercent(s.errors.rate),
          {
            text: s.decision === 'pass' ? 'met' : s.decision === 'fail' ? 'not met' : s.decision,
            tone: s.decision === 'pass' ? 'good' : s.decision === 'fail' ? 'bad' : 'warn',
          },
          s.decision === 'untrusted' ? '–' : formatConfidence(s.confidence),
        ];
      }),
    { numeric: [1, 3], caption: `${run.label}: ${capacityVerdict(run.result)}` },
  );
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
      value: `${formatLatency(b.latency.corrected.p50)} → ${formatLatency(a.latency.corrected.p50)}`,
    },
  ];
}

function ratio(before: number | null, after: number | null): string {
  if (before === null || after === null || after <= 0) return 'n/a';
  const r = before / after;
  return r >= 1 ? `${r.toFixed(1)}× faster` : `${(1 / r).toFixed(1)}× slower`;
}

function latencyTable(d: DemoResult): string {
  const b = d.before.result.latency;
  const a = d.after.result.latency;
  return htmlTable(
    ['percentile', 'before (corrected)', 'after (corrected)', 'before (service)', 'after (service)'],
    PERCENTILE_LABELS.map(([key, label]) => [
      label,
      formatLatency(b.corrected[key]),
      formatLatency(a.corrected[key]),
      formatLatency(b.service[key]),
      formatLatency(a.service[key]),
    ]),
    { numeric: [1, 2, 3, 4] },
  );
}

function endpointTable(d: DemoResult): string {
  const rows: Cell[][] = d.before.result.endpoints.map((e, i) => {
    const after = d.after.result.endpoints[i];
    return [
      e.name,
      formatLatency(e.latency.corrected.p99),
      after ? formatLatency(after.latency.corrected.p99) : '',
      formatInt(e.requests.total),
      { text: formatPercent(e.errors.rate), tone: e.errors.total > 0 ? 'bad' : undefined },
      after
        ? { text: formatPercent(after.errors.rate), tone: after.errors.total > 0 ? 'bad' : undefined }
        : '',
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
            text: `${x.actual === null ? `— (${x.reason ?? 'no figure'})` : x.unit === 'ms' ? formatMs(x.actual) : `${x.actual}${x.unit === '%' ? '%' : x.unit === 'req/s' ? ' req/s' : ''}`} ${x.pass ? 'pass' : 'FAIL'}`,
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
 * distribution, throughput and errors, the capacity searches, the analysis findings,
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
  const notes: { text: string; tone?: 'warn' | 'info' | 'bad' | 'good' }[] = [];
  if (d.session.note) notes.push({ text: d.session.note, tone: 'warn' });
  for (const run of [d.before, d.after]) {
    if (run.result.generator.saturated) {
      notes.push({
        text: `${run.label}: the load generator could not keep its schedule (${run.result.generator.reasons.join('; ')}); its latency includes the generator's own delays.`,
        tone: 'warn',
      });
    }
  }
  const byLoad = d.plantedByLoad;
  const heaviest = plantedHeaviest(d.before.result);
  notes.push(
    byLoad?.statement
      ? {
          text: `The load run before the fix named the planted statement itself, from the database's signals: ${byLoad.message}`,
          tone: 'info',
        }
      : heaviest
        ? {
            text: `The load run before the fix saw the planted statement as its heaviest (${heaviest.sharePct}% of statement time, mean ${heaviest.meanMs.toFixed(1)} ms), though not yet a bottleneck at this rate: ${heaviest.query}`,
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
            value: formatLatency(b.latency.corrected.p99),
            tone: (b.latency.corrected.p99 ?? Number.POSITIVE_INFINITY) > d.p99Target ? 'bad' : 'good',
          },
          {
            label: 'p99 after',
            value: formatLatency(a.latency.corrected.p99),
            tone: (a.latency.corrected.p99 ?? Number.POSITIVE_INFINITY) > d.p99Target ? 'bad' : 'good',
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
          { label: `capacity at p99<${d.p99Target}ms before`, value: capacityShort(d.capacityBefore.result) },
          { label: `capacity at p99<${d.p99Target}ms after`, value: capacityShort(d.capacityAfter.result) },
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
            'capacity searches',
            `up to ${formatRate(d.capacityBefore.result.options.maxRate)}, from ${formatRate(d.capacityBefore.result.options.startRate)}; each rate ${d.capacityBefore.result.method.minRepeats}–${d.capacityBefore.result.method.maxRepeats} runs of ${Math.round(d.capacityBefore.result.options.stepDurationMs / 100) / 10}s+, decided at ${Math.round(d.capacityBefore.result.method.confidence * 100)}% confidence`,
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
      title: 'Capacity',
      html: `<p>The highest rate at which p99 stays under ${formatMs(d.p99Target)} (and errors under 1 %): rates doubled from the steady rate, then bisected; each rate run at least twice and the runs pooled, until an exact binomial test on the samples beyond the target is clear at 95 % confidence (a rate still unclear counts as not met). Before: ${escapeHtml(capacityVerdict(d.capacityBefore.result))}. After: ${escapeHtml(capacityVerdict(d.capacityAfter.result))}.</p>${fig('capacity')}${capacityTable(d.capacityBefore)}${capacityTable(d.capacityAfter)}`,
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
      // No p99 (nothing succeeded) does not meet the target.
      (a.latency.corrected.p99 ?? Number.POSITIVE_INFINITY) <= d.p99Target
        ? { label: 'TARGET MET AFTER THE FIX', tone: 'good' }
        : { label: 'TARGET MISSED', tone: 'warn' },
    sections,
    charts: specs,
    generator: `tenon ${toolVersion} · tenon.demo/v1`,
  });
}

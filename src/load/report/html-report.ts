import { formatInt, formatLatency, formatPercent, PERCENTILE_LABELS } from '../../report/format.js';
import {
  type Cell,
  type ChartRun,
  type ChartSpec,
  chartFigure,
  distributionChart,
  figureCards,
  hasPoints,
  htmlTable,
  latencyOverTimeChart,
  noteList,
  type ReportSection,
  renderReportPage,
  spectrumChart,
  throughputChart,
} from '../../report/index.js';
import type { LoadResult } from '../load-result.js';
import { baselineCharts, baselineSection } from './baseline-section.js';
import { bottleneckHtml, signalCharts } from './signal-charts.js';

/** A latency, `—` when none was measured (null). */
const fmt = (ms: number | null) => formatLatency(ms);
const int = formatInt;
const KEYS = PERCENTILE_LABELS;

function charts(r: LoadResult): ChartSpec[] {
  const open = r.model === 'open';
  const run: ChartRun = {
    label: '',
    seconds: r.series,
    spectrum: r.distribution.spectrum,
    buckets: r.distribution.buckets,
  };
  const out: ChartSpec[] = [
    latencyOverTimeChart({
      id: 'latency-over-time',
      title: `Latency percentiles over time (${open ? 'corrected' : 'service, not corrected'}), ms`,
      runs: [run],
      latency: open ? 'corrected' : 'service',
      lines: [
        { key: 'p50' },
        { key: 'p90' },
        { key: 'p99' },
        { key: 'max', dash: true },
        ...(open
          ? [{ key: 'p99' as const, from: 'service' as const, label: 'service p99', dash: true }]
          : []),
      ],
    }),
    throughputChart({ runs: [run], target: open, connections: true }),
  ];
  if (hasPoints([run], 'spectrum')) {
    out.push(spectrumChart({ runs: [{ ...run, label: open ? 'corrected' : 'service' }] }));
  }
  if (hasPoints([run], 'buckets')) out.push(distributionChart({ runs: [{ ...run, label: 'requests' }] }));
  if (r.endpoints.length > 1) {
    out.push(
      latencyOverTimeChart({
        id: 'endpoints-p99',
        title: 'p99 per endpoint over time, ms',
        runs: r.endpoints.map((e) => ({ label: e.name, seconds: e.series })),
        latency: open ? 'corrected' : 'service',
        lines: [{ key: 'p99', label: '' }],
      }),
    );
  }
  return out;
}

function latencyTable(r: LoadResult): string {
  const open = r.model === 'open';
  // With several endpoints, the aggregate too: it is what thresholds check.
  const cols = r.endpoints.length > 1 ? [...r.endpoints, r] : [r];
  const names = r.endpoints.length > 1 ? [...r.endpoints.map((e) => e.name), 'all'] : ['all'];
  const head = [
    'percentile',
    ...names.flatMap((n) => (open ? [`${n} corrected`, `${n} service`] : [`${n} service`])),
  ];
  const rows = KEYS.map(([key, label]) => [
    label,
    ...cols.flatMap((e) =>
      (open ? [e.latency.corrected, e.latency.service] : [e.latency.service]).map((l) =>
        l.count === 0 ? '—' : fmt(l[key]),
      ),
    ),
  ]);
  return htmlTable(head, rows, { numeric: head.map((_, i) => i).slice(1) });
}

function countsTable(r: LoadResult): string {
  const cols = r.endpoints.length > 1 ? [...r.endpoints, { ...r, name: 'all' }] : [{ ...r, name: 'all' }];
  const statuses = [...new Set(cols.flatMap((e) => Object.keys(e.statusCodes)))].sort();
  const categories = Object.keys(r.errors.byCategory) as (keyof typeof r.errors.byCategory)[];
  const rows: Cell[][] = [
    ['requests', ...cols.map((e) => int(e.requests.total))],
    ['ok', ...cols.map((e) => int(e.requests.ok))],
    [
      'errors',
      ...cols.map((e) => ({
        text: `${int(e.errors.total)} (${formatPercent(e.errors.rate)})`,
        tone: e.errors.total > 0 ? ('bad' as const) : undefined,
      })),
    ],
    ['throughput (successful)', ...cols.map((e) => `${e.throughput.rps.toFixed(1)} ok/s`)],
    ['attempted', ...cols.map((e) => `${e.throughput.attemptedRps.toFixed(1)} req/s`)],
    [
      'failed requests p50 / p99',
      ...cols.map((e) =>
        e.errors.latency.count === 0 ? '—' : `${fmt(e.errors.latency.p50)} / ${fmt(e.errors.latency.p99)}`,
      ),
    ],
    ...statuses.map((s) => [`status ${s}`, ...cols.map((e) => int(e.statusCodes[s] ?? 0))]),
    ...categories.map((c) => [
      `error: ${c}`,
      ...cols.map((e) => ({
        text: int(e.errors.byCategory[c]),
        tone: e.errors.byCategory[c] > 0 ? ('bad' as const) : ('muted' as const),
      })),
    ]),
  ];
  return htmlTable(['', ...cols.map((e) => e.name)], rows, { numeric: cols.map((_, i) => i + 1) });
}

function generatorTable(r: LoadResult): string {
  const rows: Cell[][] = [];
  if (r.schedule) {
    const s = r.schedule;
    rows.push(['target rate', `${s.targetRps} req/s`], ['send rate', `${s.sendRate} req/s`]);
    rows.push([
      'send delay p50 / p99 / max',
      `${fmt(s.sendDelay.p50)} / ${fmt(s.sendDelay.p99)} / ${fmt(s.sendDelay.max)}`,
    ]);
    rows.push([
      'late sends (> 2 ms, connection free)',
      { text: int(s.late), tone: s.late > 0 ? 'warn' : 'good' },
    ]);
    rows.push(['sends queued for a connection', int(s.queued)]);
  }
  rows.push(
    ['peak connections in use', int(r.connections.peakInUse)],
    ['connections opened', int(r.connections.opened)],
  );
  const g = r.generator;
  rows.push(['workers', String(g.workers)]);
  rows.push([
    'event-loop lag p50 / p99 / max',
    `${fmt(g.eventLoopLag.p50)} / ${fmt(g.eventLoopLag.p99)} / ${fmt(g.eventLoopLag.max)}`,
  ]);
  rows.push(['worker utilization', g.perWorker.map((w) => `${Math.round(w.utilization * 100)}%`).join(', ')]);
  rows.push([
    'worker CPU (cores)',
    g.perWorker.map((w) => (w.cpu === null ? 'n/a' : w.cpu.toFixed(2))).join(', '),
  ]);
  rows.push(['process CPU', `${g.cpuCores} cores`]);
  rows.push([
    'verdict',
    g.saturated
      ? { text: `saturated: ${g.reasons.join('; ')}`, tone: 'bad' }
      : { text: 'kept up', tone: 'good' },
  ]);
  return htmlTable(['', ''], rows);
}

/**
 * Renders a load result as one self-contained HTML page: headline figures,
 * latency percentiles over time, the latency distribution and percentile
 * spectrum, throughput and errors, thresholds, the generator's health and
 * the findings.
 */
export function renderLoadReport(r: LoadResult): string {
  const open = r.model === 'open';
  const primary = open ? r.latency.corrected : r.latency.service;
  const specs = [...charts(r), ...(r.comparison ? baselineCharts(r.comparison) : []), ...signalCharts(r)];
  const figure = (id: string) => {
    const spec = specs.find((s) => s.id === id);
    return spec ? chartFigure(spec) : '';
  };
  const failed = r.thresholds.filter((t) => !t.pass).length;
  const latencyCard = (ms: number | null) => formatLatency(ms, primary.count);
  const sections: ReportSection[] = [
    {
      title: 'Summary',
      html:
        figureCards([
          { label: 'requests', value: int(r.requests.total) },
          { label: 'throughput', value: `${r.throughput.rps.toFixed(1)} ok/s` },
          // Nothing succeeded: no latency describes the target (not "0.00 ms").
          { label: `p50 ${open ? 'corrected' : 'service'}`, value: latencyCard(primary.p50) },
          { label: `p99 ${open ? 'corrected' : 'service'}`, value: latencyCard(primary.p99) },
          { label: 'max', value: latencyCard(primary.max) },
          { label: 'errors', value: formatPercent(r.errors.rate), tone: r.errors.total > 0 ? 'bad' : 'good' },
          ...(r.thresholds.length > 0
            ? [
                {
                  label: 'thresholds',
                  value: failed ? `${failed} failed` : 'all met',
                  tone: failed ? ('bad' as const) : ('good' as const),
                },
              ]
            : []),
        ]) +
        (open
          ? ''
          : '<p class="muted">Closed model: latency is measured from the actual send and is not corrected for coordinated omission.</p>'),
    },
    {
      title: 'Latency over time',
      // Server signals below the client's, on the same seconds.
      html: `<div class="grid2">${figure('latency-over-time')}${figure('throughput')}</div>${
        r.signals
          ? `<div class="grid2">${figure('host-signals')}${figure('db-signals')}${figure('app-signals')}</div>`
          : ''
      }`,
    },
    ...(r.signals || r.bottlenecks.length > 0 ? [{ title: 'Bottlenecks', html: bottleneckHtml(r) }] : []),
    {
      title: 'Latency distribution',
      html: `<div class="grid2">${figure('distribution')}${figure('percentile-spectrum')}</div>${latencyTable(r)}`,
    },
    { title: 'Requests and errors', html: `${figure('endpoints-p99')}${countsTable(r)}` },
    {
      title: 'Thresholds',
      html:
        r.thresholds.length === 0
          ? '<p class="muted">No thresholds were set (use --threshold or --slo default).</p>'
          : htmlTable(
              ['threshold', 'from', 'actual', 'result'],
              r.thresholds.map((t) => [
                t.expression,
                t.source === 'user' ? '--threshold' : t.source === 'slo' ? '--slo' : 'default check',
                t.actual === null
                  ? `— (${t.reason ?? 'no figure'})`
                  : t.unit === 'ms'
                    ? fmt(t.actual)
                    : t.unit === '%'
                      ? `${t.actual}%`
                      : t.unit === 'req/s'
                        ? `${t.actual} req/s`
                        : int(t.actual),
                { text: t.pass ? 'pass' : 'FAIL', tone: t.pass ? 'good' : 'bad' },
              ]),
              { numeric: [2] },
            ),
    },
    {
      title: 'Findings',
      html: noteList(
        r.recommendations.map((x) => ({ text: x.message, tone: x.severity === 'warning' ? 'warn' : 'info' })),
      ),
    },
    { title: 'Generator', html: generatorTable(r) },
  ];
  if (r.comparison) sections.splice(1, 0, baselineSection(r.comparison));
  const o = r.options;
  const load = open ? (o.stages ? 'staged rate' : `${o.rate} req/s`) : `${o.connections} connections`;
  return renderReportPage({
    title: `Load test: ${r.endpoints.map((e) => e.name).join(' vs ')}`,
    subtitle: `${r.model} model · ${load} · ${r.durationSeconds}s measured · started ${r.startedAt} · ${o.urls.join(', ')}`,
    // The exit codes' precedence: a failed threshold, then a regression, then a saturated generator.
    status:
      r.status === 'threshold-failed'
        ? { label: 'THRESHOLDS FAILED', tone: 'bad' }
        : r.status === 'regressed'
          ? { label: 'REGRESSED VS BASELINE', tone: 'bad' }
          : r.status === 'pass'
            ? { label: 'PASS', tone: 'good' }
            : { label: 'GENERATOR SATURATED', tone: 'warn' },
    sections,
    charts: specs,
    generator: `tenon ${r.tool.version} · ${r.schema}`,
  });
}

import { formatMs, formatPercent } from '../../report/format.js';
import {
  type Cell,
  type ChartSpec,
  chartFigure,
  escapeHtml,
  figureCards,
  htmlTable,
  type ReportSection,
  renderReportPage,
} from '../../report/index.js';
import type { CapacityResult } from '../capacity/capacity-result.js';
import { capacityVerdict, formatConfidence, formatRate } from '../capacity/capacity-verdict.js';

/** Per latency objective: the pooled percentile at each rate, its interval, and the limit. */
function objectiveCharts(r: CapacityResult): ChartSpec[] {
  const steps = [...r.steps].filter((s) => s.repeats > 0).sort((a, b) => a.rate - b.rate);
  const level = `${Math.round(r.method.confidence * 1000) / 10}%`;
  return r.slo.latency.map((o, i) => {
    const judged = steps.map((s) => s.objectives.find((j) => j.expression === o.expression));
    return {
      id: `objective-${i}`,
      title: `${o.expression}: p${o.percentile} by rate, with its ${level} confidence interval, ms`,
      x: steps.map((s) => s.rate),
      xLabel: 'req/s',
      yLabel: 'ms',
      xFormat: 'number',
      yLog: true,
      series: [
        {
          label: `p${o.percentile}`,
          values: judged.map((j) => j?.value ?? null),
          color: '#2563eb',
          points: true,
        },
        { label: 'interval low', values: judged.map((j) => j?.low ?? null), color: '#93c5fd', dash: true },
        { label: 'interval high', values: judged.map((j) => j?.high ?? null), color: '#93c5fd', dash: true },
        { label: `SLO ${o.limit} ms`, values: steps.map(() => o.limit), color: '#dc2626', dash: true },
      ],
    } satisfies ChartSpec;
  });
}

/**
 * Renders a capacity search as a self-contained HTML page: the capacity and
 * its confidence, a chart per latency objective (percentile by rate, its
 * interval, the SLO line) and the table of rates tried.
 */
export function renderCapacityReport(r: CapacityResult): string {
  const charts = objectiveCharts(r);
  const good = r.status === 'found' || r.status === 'max-rate-met';
  const rows: Cell[][] = [...r.steps]
    .sort((a, b) => a.rate - b.rate)
    .map((s) => [
      formatRate(s.rate),
      s.achievedRps,
      s.repeats,
      s.discardedRepeats,
      ...r.slo.latency.map((o) => {
        const j = s.objectives.find((x) => x.expression === o.expression);
        return j && j.samples > 0
          ? `${formatMs(j.value)} (${formatMs(j.low)}–${j.high === null ? '?' : formatMs(j.high)})`
          : '–';
      }),
      formatPercent(s.errors.rate),
      {
        text: s.decision === 'pass' ? 'met' : s.decision === 'fail' ? 'not met' : s.decision,
        tone: s.decision === 'pass' ? 'good' : s.decision === 'fail' ? 'bad' : 'warn',
      },
      s.decision === 'untrusted' ? '–' : formatConfidence(s.confidence),
      s.decision === 'pass' ? '' : s.reason,
    ]);
  const level = `${Math.round(r.method.confidence * 1000) / 10}%`;
  const sections: ReportSection[] = [
    {
      title: 'Capacity',
      html: `${figureCards([
        {
          label: 'capacity',
          value: r.capacity === null ? 'none' : formatRate(r.capacity),
          tone: good ? 'good' : 'warn',
        },
        { label: 'confidence', value: r.confidence === null ? '–' : formatConfidence(r.confidence) },
        { label: 'first rate not met', value: r.firstFailure === null ? '–' : formatRate(r.firstFailure) },
        { label: 'rates tried', value: String(r.steps.length) },
      ])}<p>${escapeHtml(capacityVerdict(r))}</p>`,
    },
    { title: 'Latency by rate', html: charts.map(chartFigure).join('') },
    {
      title: 'Rates tried',
      html: htmlTable(
        [
          'rate',
          'ok/s',
          'runs',
          'dropped',
          ...r.slo.latency.map((o) => `${o.expression} (${level} CI)`),
          'errors',
          'decision',
          'confidence',
          'why',
        ],
        rows,
        { numeric: [1, 2, 3, 4 + r.slo.latency.length] },
      ),
    },
    {
      title: 'Method',
      html: `<p>${[
        `Rates: ${r.method.search}, until the gap is within ${Math.round(r.method.precision * 100)}%.`,
        `Each rate is run ${r.method.minRepeats} to ${r.method.maxRepeats} times (open model, latency corrected for coordinated omission) and the runs are pooled; runs where the generator was saturated are dropped.`,
        `Decision: ${r.method.test}, at ${level} confidence; a rate still unclear after ${r.method.maxRepeats} runs counts as not met.`,
      ]
        .map(escapeHtml)
        .join(' ')}</p>`,
    },
  ];
  return renderReportPage({
    title: `Capacity search: ${r.slo.expression}`,
    subtitle: `up to ${formatRate(r.options.maxRate)} · ${r.durationSeconds}s · started ${r.startedAt} · ${r.options.urls.join(', ')}`,
    status: good
      ? { label: `CAPACITY ${r.capacity === null ? '' : formatRate(r.capacity)}`, tone: 'good' }
      : r.status === 'none'
        ? { label: 'SLO NOT MET', tone: 'bad' }
        : { label: r.status.toUpperCase().replace(/-/g, ' '), tone: 'warn' },
    sections,
    charts,
    generator: `tenon ${r.tool.version} · ${r.schema}`,
  });
}

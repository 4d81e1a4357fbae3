import {
  type Cell,
  type ChartSpec,
  chartFigure,
  figureCards,
  formatLatency,
  formatPercent,
  htmlTable,
  formatInt as int,
  noteList,
  type ReportSection,
  renderReportPage,
} from '../../report/index.js';

/** A latency cell of a summary: `—` when nothing succeeded ({@link formatLatency}). */
const fmt = (l: LatencySummary, key: 'p50' | 'p95' | 'p99' | 'max') => formatLatency(l[key]);

import type { LatencySummary } from '../histogram-summary.js';
import { describeExamples, type ScenarioResult } from './scenario-result.js';

function charts(r: ScenarioResult): ChartSpec[] {
  const x = r.series.map((p) => p.second);
  return [
    {
      id: 'flows-per-second',
      title: 'Flows per second: succeeded and failed; virtual users busy on the right axis',
      x,
      xLabel: 'second',
      yLabel: 'flows/s',
      yRightLabel: 'users busy',
      xFormat: 'seconds',
      series: [
        { label: 'succeeded', values: r.series.map((p) => p.flowsOk), color: '#16a34a' },
        { label: 'failed', values: r.series.map((p) => p.flowsFailed), color: '#dc2626' },
        {
          label: 'users busy',
          values: r.series.map((p) => p.vusBusy),
          color: '#4b5563',
          dash: true,
          rightAxis: true,
        },
      ],
    },
    {
      id: 'flow-latency',
      title: `Flow duration and request latency over time, ms (${r.latencyCorrected ? 'flows from their intended start' : 'closed model'})`,
      x,
      xLabel: 'second',
      yLabel: 'ms',
      xFormat: 'seconds',
      series: [
        { label: 'flow p50', values: r.series.map((p) => (p.flowsOk ? p.flowP50 : null)) },
        { label: 'flow p99', values: r.series.map((p) => (p.flowsOk ? p.flowP99 : null)) },
        { label: 'request p99', values: r.series.map((p) => (p.requests ? p.requestP99 : null)), dash: true },
      ],
    },
  ];
}

/**
 * Renders a scenario run as one self-contained HTML page (the shell of
 * `src/report`): headline figures, flows and steps with their percentiles,
 * flows per second and latency over time, thresholds and failure examples.
 */
export function renderScenarioReport(r: ScenarioResult): string {
  const specs = charts(r);
  const t = r.totals;
  const pct = (p: number): Cell => ({
    text: formatPercent(p),
    tone: p >= 99.9 ? 'good' : p >= 99 ? 'warn' : 'bad',
  });
  const sections: ReportSection[] = [
    {
      title: 'Summary',
      html: figureCards([
        {
          label: 'flows succeeded',
          value: formatPercent(t.flows.successRate),
          tone: t.flows.failed === 0 ? 'good' : 'bad',
        },
        { label: 'flows ok/s', value: String(t.flows.okPerSecond) },
        { label: 'requests/s', value: String(t.requests.rps) },
        { label: 'request p99', value: fmt(t.latency, 'p99') },
        {
          label: 'failed requests',
          value: formatPercent(t.requests.errorRate),
          tone: t.requests.failed === 0 ? 'good' : 'bad',
        },
      ]),
    },
    {
      title: 'Flows',
      html: htmlTable(
        [
          'flow',
          'weight',
          'started',
          'ok',
          'failed',
          'success',
          'ok/s',
          'p50',
          'p95',
          'p99',
          'max',
          'failed at',
        ],
        r.flows.map((f) => [
          f.name,
          f.weight,
          int(f.started),
          int(f.ok),
          int(f.failed),
          pct(f.successRate),
          f.okPerSecond,
          fmt(f.duration, 'p50'),
          fmt(f.duration, 'p95'),
          fmt(f.duration, 'p99'),
          fmt(f.duration, 'max'),
          Object.entries(f.failedAt)
            .map(([s, n]) => `${s} ${n}`)
            .join(', '),
        ]),
        { numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
      ),
    },
    {
      title: 'Steps',
      html: htmlTable(
        ['step', 'method', 'requests', 'failed', 'req/s', 'p50', 'p95', 'p99', 'max', 'failures'],
        r.steps.map((s) => [
          s.name,
          s.method,
          int(s.requests),
          { text: `${int(s.failed)} (${formatPercent(s.errorRate)})`, tone: s.failed ? 'bad' : 'good' },
          s.rps,
          fmt(s.latency, 'p50'),
          fmt(s.latency, 'p95'),
          fmt(s.latency, 'p99'),
          fmt(s.latency, 'max'),
          Object.entries(s.failures)
            .map(([k, n]) => `${k} ${n}`)
            .join(', '),
        ]),
        { numeric: [2, 3, 4, 5, 6, 7, 8] },
      ),
    },
    { title: 'Over time', html: specs.map(chartFigure).join('\n') },
    {
      title: 'Thresholds',
      html: noteList(
        r.thresholds.map((th) => ({
          text: `${th.pass ? '✓' : '✗'} ${th.expression}: ${th.actual === null || Number.isNaN(th.actual) ? (th.reason ?? 'not measured') : th.actual}`,
          tone: th.pass ? 'good' : 'bad',
        })),
      ),
    },
    {
      title: 'Failures',
      html: noteList(
        r.steps
          .filter((s) => s.examples.length > 0)
          .map((s) => ({ text: `${s.name}: ${describeExamples(s)}`, tone: 'bad' as const })),
      ),
    },
    {
      title: 'Findings',
      html: noteList(
        r.recommendations.map((x) => ({ text: x.message, tone: x.severity === 'warning' ? 'warn' : 'info' })),
      ),
    },
  ];
  const o = r.options;
  const load = r.model === 'open' ? `${o.rate} flows/s` : `${o.vus} virtual users`;
  return renderReportPage({
    title: `Load scenario${r.scenario.name ? `: ${r.scenario.name}` : ''}`,
    subtitle: `${r.model} model · ${load} · ${r.durationSeconds}s measured · started ${r.startedAt} · ${r.scenario.file}`,
    status:
      r.status === 'pass'
        ? { label: 'PASS', tone: 'good' }
        : r.status === 'threshold-failed'
          ? { label: 'THRESHOLDS FAILED', tone: 'bad' }
          : r.status === 'generator-saturated'
            ? { label: 'GENERATOR SATURATED', tone: 'warn' }
            : { label: 'NO FLOW SUCCEEDED', tone: 'bad' },
    sections,
    charts: specs,
    generator: `tenon ${r.tool.version} · ${r.schema}`,
  });
}

import {
  type Cell,
  type ChartSpec,
  chartFigure,
  distributionChart,
  escapeHtml,
  formatMs,
  htmlTable,
  noteList,
  type ReportSection,
  spectrumChart,
} from '../../report/index.js';
import type { BaselineComparison, SetComparison } from '../baseline/baseline-comparison.js';
import { formatMetricValue, METRIC_LABELS } from '../baseline/metric-format.js';

const LABELS = METRIC_LABELS;

const pct = (v: number) => `${v >= 0 ? '+' : ''}${(Math.round(v * 1000) / 10).toFixed(1)}%`;
const value = formatMetricValue;

function setTable(s: SetComparison): string {
  const rows: Cell[][] = s.metrics.map((m) => [
    LABELS[m.metric],
    value(m, m.baseline),
    value(m, m.current),
    m.change === null ? '—' : pct(m.change),
    m.changeInterval[0] === null || m.changeInterval[1] === null
      ? 'too few samples'
      : `${pct(m.changeInterval[0])} … ${pct(m.changeInterval[1])}`,
    `${Math.round(m.tolerance.relative * 1000) / 10}%${m.tolerance.absoluteMs > 0 ? ` & ${formatMs(m.tolerance.absoluteMs)}` : ''}`,
    {
      text: m.verdict,
      tone: m.verdict === 'regressed' ? 'bad' : m.verdict === 'improved' ? 'good' : 'muted',
    },
  ]);
  const t = s.distributionTest;
  return (
    htmlTable([s.name, 'baseline', 'current', 'change', 'interval', 'tolerance', 'verdict'], rows, {
      numeric: [1, 2, 3, 4],
    }) +
    `<p class="muted">Whole distribution (two-sample Kolmogorov–Smirnov): D ${t.statistic.toFixed(3)}, p ${t.pValue < 0.001 ? '&lt; 0.001' : t.pValue.toFixed(3)}.</p>`
  );
}

/** The overlay charts of a comparison: baseline and current spectrum and distribution. */
export function baselineCharts(k: BaselineComparison): ChartSpec[] {
  const runs = [
    { label: 'baseline', seconds: [], ...k.distributions.baseline },
    { label: 'current', seconds: [], ...k.distributions.current },
  ];
  const spectrumSpec = spectrumChart({ id: 'baseline-spectrum', runs });
  const distributionSpec = distributionChart({ id: 'baseline-distribution', runs });
  return [
    { ...spectrumSpec, title: `Baseline vs current: ${k.latency} latency by percentile, ms` },
    {
      ...distributionSpec,
      title: `Baseline vs current: ${k.latency} latency distribution (requests per bucket)`,
    },
  ];
}

/** The report's "Baseline comparison" section: verdict, overlay charts, tables per endpoint, warnings. */
export function baselineSection(k: BaselineComparison): ReportSection {
  const b = k.baseline;
  const load = b.model === 'open' ? `${b.rate ?? 'staged'} req/s` : `${b.connections} connections`;
  const verdict = noteList([
    k.verdict === 'regressed'
      ? { text: `REGRESSED: ${k.regressions.join('; ')}`, tone: 'bad' }
      : k.verdict === 'improved'
        ? { text: `IMPROVED: ${k.improvements.join('; ')}`, tone: 'good' }
        : {
            text: 'UNCHANGED: no figure changed beyond its tolerance with statistical clarity.',
            tone: 'good',
          },
  ]);
  const [spectrumSpec, distributionSpec] = baselineCharts(k);
  return {
    title: 'Baseline comparison',
    id: 'baseline',
    html:
      `<p class="muted">Against ${escapeHtml(k.file)} (saved ${escapeHtml(b.savedAt)}, ${b.model} model, ${escapeHtml(load)}, ${b.durationSeconds}s, tenon ${escapeHtml(b.toolVersion)}); ${Math.round(k.confidence * 100)}% intervals; ${escapeHtml(k.method)}.</p>` +
      verdict +
      `<div class="grid2">${chartFigure(spectrumSpec!)}${chartFigure(distributionSpec!)}</div>` +
      [k.aggregate, ...k.endpoints].map(setTable).join('') +
      (k.warnings.length > 0
        ? noteList(k.warnings.map((w) => ({ text: `Not comparable? ${w}`, tone: 'warn' as const })))
        : ''),
  };
}

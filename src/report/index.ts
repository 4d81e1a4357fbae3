/**
 * The shell shared by tenon's HTML reports (`tenon load --html`,
 * `tenon db analyze --html` and `tenon demo`): page layout, inlined uPlot
 * (only on pages with charts), chart, table and number-format helpers, and
 * the charts of load runs that the load and demo reports share.
 */
export { CHART_BOOT_SCRIPT, type ChartSeries, type ChartSpec, chartFigure, PALETTE } from './charts.js';
export {
  formatInt,
  formatLatency,
  formatMs,
  formatPercent,
  PERCENTILE_LABELS,
  type PercentileKey,
} from './format.js';
export { type Cell, escapeHtml, figureCards, type HtmlTableOptions, htmlTable, noteList } from './html.js';
export {
  type ChartRun,
  type ChartSecond,
  distributionChart,
  hasPoints,
  type LatencyLine,
  latencyOverTimeChart,
  type SecondLatency,
  spectrumChart,
  throughputChart,
} from './load-charts.js';
export { type ReportPage, type ReportSection, renderReportPage } from './report-page.js';

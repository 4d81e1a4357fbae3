import { formatMs } from '../../report/format.js';
import type { MetricComparison } from './baseline-comparison.js';

/** How each compared figure is named in the terminal and the HTML report. */
export const METRIC_LABELS: Record<MetricComparison['metric'], string> = {
  p50: 'p50',
  p90: 'p90',
  p99: 'p99',
  p999: 'p99.9',
  rps: 'throughput',
};

/** A compared figure's value in its unit: a latency in ms, or throughput in ok/s. */
export function formatMetricValue(m: MetricComparison, v: number): string {
  return m.unit === 'ms' ? formatMs(v) : `${v.toFixed(1)} ok/s`;
}

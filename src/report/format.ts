/** The latency figures every report shows, in milliseconds (load's `LatencySummary` has them all). */
export type PercentileKey = 'min' | 'p50' | 'p90' | 'p95' | 'p99' | 'p999' | 'max';

/** The percentiles tenon reports, in order, with their labels (`p999` reads `p99.9`). */
export const PERCENTILE_LABELS: readonly (readonly [PercentileKey, string])[] = [
  ['min', 'min'],
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
];

/** Milliseconds for people: `1.23 ms`, `12.3 ms`, `250 ms`, `1.52 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * A latency figure of `successes` responses: `—` when there were none or the figure is null (no
 * latency describes the target then, and "0.00 ms" would read as a fast one), else {@link formatMs}.
 */
export function formatLatency(ms: number | null, successes?: number): string {
  return ms === null || (successes !== undefined && successes <= 0) ? '—' : formatMs(ms);
}

/** A whole number with thousands separators: `12,345`. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * A percentage for people, three significant digits: `35.7%`, `0.0123%`,
 * `100%`. A share that is not all (or not none) never rounds to `100%`
 * (or `0%`): "100% errors" must mean every request failed.
 */
export function formatPercent(pct: number): string {
  if (pct === 0 || pct === 100 || !Number.isFinite(pct)) return `${pct}%`;
  const shown = Number(pct.toPrecision(3));
  return `${shown >= 100 && pct < 100 ? '99.9' : shown}%`;
}

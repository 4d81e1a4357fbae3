import type { Effect, Severity, TableFacts } from './lint-rule.js';
import type { LiveTable } from './live-catalog.js';

/** Where a table stops being small and starts being large (config `lintSmallTableRows`, `lintLargeTableRows`). */
export interface SizeThresholds {
  /** Below this many rows (and 10 MB), a rewrite or scan takes milliseconds: `info`. */
  smallRows: number;
  /** From this many rows (or 1 GB), a rewrite or scan takes minutes: `error`. */
  largeRows: number;
}

/** The default thresholds. */
export const DEFAULT_SIZE_THRESHOLDS: SizeThresholds = { smallRows: 10_000, largeRows: 1_000_000 };

const SMALL_BYTES = 10 * 1024 ** 2;
const LARGE_BYTES = 1024 ** 3;

/** `10.2M rows, 1.3 GB, 4.1k scans and 812 writes since the statistics were reset`. */
export function describeLiveTable(live: LiveTable): string {
  return `${compact(live.rows)} rows, ${bytes(live.bytes)}, ${compact(live.scans)} scans and ${compact(live.writes)} writes since the statistics were reset`;
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} kB`;
}

/** What the severity step decided for one finding. */
export type SeverityVerdict =
  | { keep: true; severity: Severity; why?: string }
  | { keep: false; why: 'new-table' };

/**
 * The final severity of a finding from its rule's default, the effect, and
 * what is known about the table:
 *
 * - a table created earlier in the linted set has no other users: findings
 *   whose effect is about locks, rewrites, scans or running code are dropped;
 * - with a live database, a `rewrite` or `scan` of a table under
 *   `smallRows` rows and 10 MB is `info`, of one with `largeRows` rows or 1 GB
 *   an `error`, `warning` between; a `lock` or `break` finding on a table
 *   with no scans and no writes since the statistics were reset (nobody uses
 *   it) is `info`, on an empty table `info` as well;
 * - otherwise the rule's severity stands.
 */
export function decideSeverity(
  base: Severity,
  effect: Effect,
  table: TableFacts | undefined,
  thresholds: SizeThresholds = DEFAULT_SIZE_THRESHOLDS,
): SeverityVerdict {
  if (!table || effect === 'none') return { keep: true, severity: base };
  if (table.isNew) return { keep: false, why: 'new-table' };
  const live = table.live;
  if (!live) return { keep: true, severity: base };
  const facts = `${table.key}: ${describeLiveTable(live)}`;
  if (effect === 'rewrite' || effect === 'scan') {
    if (live.rows >= thresholds.largeRows || live.bytes >= LARGE_BYTES)
      return { keep: true, severity: 'error', why: facts };
    if (live.rows < thresholds.smallRows && live.bytes < SMALL_BYTES)
      return { keep: true, severity: 'info', why: facts };
    return { keep: true, severity: 'warning', why: facts };
  }
  // lock, break: what matters is whether anything uses the table.
  if (live.rows === 0 || (live.scans === 0 && live.writes === 0)) {
    return { keep: true, severity: 'info', why: facts };
  }
  // A lock queue on a large table in use stalls the most traffic.
  if (effect === 'lock' && (live.rows >= thresholds.largeRows || live.bytes >= LARGE_BYTES)) {
    return { keep: true, severity: 'error', why: facts };
  }
  return { keep: true, severity: base, why: facts };
}

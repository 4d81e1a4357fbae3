import type { QueryShape } from '../query-shape.js';

/** Calls of statements reading and writing each table. */
export type Traffic = Map<string, { reads: number; writes: number }>;

/** Counts statement calls that read and that write each table (pg_stat_statements calls, not rows). */
export function countTraffic(traffic: Traffic, shape: QueryShape, calls: number): void {
  const writes = shape.kind === 'insert' || shape.kind === 'update' || shape.kind === 'delete';
  shape.tables.forEach((table, i) => {
    const entry = traffic.get(table) ?? { reads: 0, writes: 0 };
    if (writes && i === 0) entry.writes += calls;
    else entry.reads += calls;
    traffic.set(table, entry);
  });
}

/**
 * Calls of statements writing a table per call of statements reading it.
 * Above `writeHeavyRatio` the table is write-heavy: each extra index slows
 * every one of those writes. Counted from statements rather than row
 * counters, so a one-off bulk load does not make a table look write-heavy.
 */
export function writesPerRead(traffic: Traffic, table: string): number {
  const t = traffic.get(table);
  return t ? t.writes / Math.max(1, t.reads) : 0;
}

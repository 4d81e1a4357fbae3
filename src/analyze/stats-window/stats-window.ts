import type { IndexInfo } from '../catalog/indexes.js';
import type { TableInfo } from '../catalog/tables.js';
import type { StatsSnapshot, TableCounters } from './stats-snapshot.js';

/**
 * The time the cumulative counters of an analysis cover: since a snapshot
 * (`--since`), or since the statistics were last reset.
 */
export interface StatsWindow {
  /** `snapshot`: counters minus a snapshot's; `stats-reset`: since pg_stat_database.stats_reset; `unknown`: never reset. */
  source: 'snapshot' | 'stats-reset' | 'unknown';
  /** When the window started (ISO), or null when unknown. */
  since: string | null;
  /** When the analysis read the counters (ISO). */
  until: string;
  /** One phrase for output: `since the snapshot of 2026-12-05 21:40 UTC (12m ago)`. */
  description: string;
  /** Why the window is not what was asked (the statistics were reset after the snapshot). */
  note?: string;
}

function at(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function ago(fromIso: string, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/**
 * The window of an analysis: a snapshot's, unless the statistics were reset
 * after it was taken (its counters then cannot be subtracted).
 */
export function statsWindow(
  statsReset: string | null,
  snapshot: StatsSnapshot | undefined,
  now: Date,
): StatsWindow {
  const until = now.toISOString();
  const resetAfter = snapshot && statsReset && Date.parse(statsReset) > Date.parse(snapshot.takenAt);
  if (snapshot && !resetAfter) {
    return {
      source: 'snapshot',
      since: snapshot.takenAt,
      until,
      description: `since the snapshot of ${at(snapshot.takenAt)} (${ago(snapshot.takenAt, now)} ago)`,
    };
  }
  const note = resetAfter
    ? `the statistics were reset at ${at(statsReset)}, after the snapshot of ${at(snapshot.takenAt)}: the counters cover the time since the reset`
    : undefined;
  if (statsReset) {
    return {
      source: 'stats-reset',
      since: statsReset,
      until,
      description: `since the statistics reset of ${at(statsReset)} (${ago(statsReset, now)} ago)`,
      ...(note ? { note } : {}),
    };
  }
  return { source: 'unknown', since: null, until, description: 'since the statistics began (never reset)' };
}

/** A counter minus its value in the snapshot; a counter that went down was reset, and counts whole. */
function minus(now: number, before: number | undefined): number {
  return before === undefined || now < before ? now : now - before;
}

/**
 * The tables' usage counters over the window. A table the snapshot does not
 * have (by oid) was created after it: its counters are all in the window.
 */
export function tablesInWindow(tables: readonly TableInfo[], snapshot: StatsSnapshot): TableInfo[] {
  const base = new Map<number, TableCounters>(snapshot.tables.map((t) => [t.oid, t]));
  return tables.map((t) => {
    const b = base.get(t.oid);
    if (!b) return { ...t, newInWindow: true };
    return {
      ...t,
      seqScan: minus(t.seqScan, b.seqScan),
      seqTupRead: minus(t.seqTupRead, b.seqTupRead),
      idxScan: t.idxScan === null ? null : minus(t.idxScan, b.idxScan),
      inserts: minus(t.inserts, b.inserts),
      updates: minus(t.updates, b.updates),
      deletes: minus(t.deletes, b.deletes),
      hotUpdates: minus(t.hotUpdates, b.hotUpdates),
      heapBlocksRead: minus(t.heapBlocksRead, b.heapBlocksRead),
      heapBlocksHit: minus(t.heapBlocksHit, b.heapBlocksHit),
      indexBlocksRead: minus(t.indexBlocksRead, b.indexBlocksRead),
      indexBlocksHit: minus(t.indexBlocksHit, b.indexBlocksHit),
    };
  });
}

/**
 * The indexes' scans over the window; an index the snapshot does not have
 * (by oid: created, or dropped and created again, after it) is marked
 * `newInWindow`, so unused-index does not judge it on part of the window.
 */
export function indexesInWindow(indexes: readonly IndexInfo[], snapshot: StatsSnapshot): IndexInfo[] {
  const base = new Map(snapshot.indexes.map((i) => [i.oid, i.scans]));
  return indexes.map((i) => {
    if (!base.has(i.oid)) return { ...i, newInWindow: true };
    return { ...i, scans: i.scans === null ? null : minus(i.scans, base.get(i.oid)) };
  });
}

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { connect, type Database } from '../../core/db/index.js';
import { TenonError } from '../../core/errors.js';
import { detectCapabilities } from '../capabilities.js';
import { loadIndexes } from '../catalog/indexes.js';
import { loadStatementCounters, type StatementCounters } from '../catalog/query-stats.js';
import { loadTables } from '../catalog/tables.js';
import { TAG } from '../sql-text.js';

/** The `schema` of a snapshot file. */
export const STATS_SNAPSHOT_SCHEMA = 'tenon.analyze.snapshot/v1';

const tableCountersSchema = z.object({
  oid: z.number(),
  name: z.string(),
  seqScan: z.number(),
  seqTupRead: z.number(),
  idxScan: z.number(),
  inserts: z.number(),
  updates: z.number(),
  deletes: z.number(),
  hotUpdates: z.number(),
  heapBlocksRead: z.number(),
  heapBlocksHit: z.number(),
  indexBlocksRead: z.number(),
  indexBlocksHit: z.number(),
});

const indexCountersSchema = z.object({ oid: z.number(), name: z.string(), scans: z.number() });

const statementCountersSchema: z.ZodType<StatementCounters> = z.object({
  queryId: z.string(),
  calls: z.number(),
  totalMs: z.number(),
  rows: z.number(),
  sharedBlocksHit: z.number(),
  sharedBlocksRead: z.number(),
});

/**
 * The cumulative counters of one database at one moment: what `tenon db
 * snapshot` writes and `tenon db analyze --since FILE` subtracts, so the
 * checks judge only what happened after it. Stored as a JSON file (not a
 * table), so taking one needs no write access to the database.
 */
export const statsSnapshotSchema = z.object({
  schema: z.literal(STATS_SNAPSHOT_SCHEMA),
  /** Server time when the counters were read (ISO). */
  takenAt: z.string(),
  database: z.string(),
  serverVersion: z.number(),
  /** pg_stat_database.stats_reset at that moment. */
  statsReset: z.string().nullable(),
  tables: z.array(tableCountersSchema),
  indexes: z.array(indexCountersSchema),
  /** pg_stat_statements, summed per query id (empty without the extension). */
  statements: z.array(statementCountersSchema),
});

/** A snapshot of the statistics counters (see {@link statsSnapshotSchema}). */
export type StatsSnapshot = z.infer<typeof statsSnapshotSchema>;
/** One table's counters in a snapshot. */
export type TableCounters = z.infer<typeof tableCountersSchema>;

/** Options of {@link takeStatsSnapshot}. */
export interface TakeStatsSnapshotOptions {
  /** `postgres://…` or `pglite://DIR`; ignored when `db` is given. */
  databaseUrl?: string;
  cwd?: string;
  /** An open database (left open). */
  db?: Database;
}

/**
 * Reads the counters a statistics window needs: pg_stat_user_tables and
 * pg_statio_user_tables, pg_stat_user_indexes and pg_stat_statements.
 * Read-only.
 *
 * @example
 * ```ts
 * const before = await takeStatsSnapshot({ databaseUrl });
 * // … deploy a fix, let the workload run …
 * const result = await analyzeDatabase({ databaseUrl, since: before });
 * ```
 */
export async function takeStatsSnapshot(options: TakeStatsSnapshotOptions = {}): Promise<StatsSnapshot> {
  const db = options.db ?? (await connect({ databaseUrl: options.databaseUrl, cwd: options.cwd }));
  try {
    if (db.serverVersion >= 150000) await db.query(`select ${TAG} pg_stat_force_next_flush()`);
    const caps = await detectCapabilities(db, false);
    // One after another: `db` may be a single session (withSession), which runs one query at a time.
    const tables = await loadTables(db);
    const indexes = await loadIndexes(db);
    const statements = await loadStatementCounters(db, caps);
    const now = await db.query<{ now: Date | string }>(`select ${TAG} now() as now`);
    return {
      schema: STATS_SNAPSHOT_SCHEMA,
      takenAt: new Date(now.rows[0]!.now).toISOString(),
      database: caps.database,
      serverVersion: db.serverVersion,
      statsReset: caps.statsReset,
      tables: tables.map((t) => ({
        oid: t.oid,
        name: t.qualified,
        seqScan: t.seqScan,
        seqTupRead: t.seqTupRead,
        idxScan: t.idxScan ?? 0,
        inserts: t.inserts,
        updates: t.updates,
        deletes: t.deletes,
        hotUpdates: t.hotUpdates,
        heapBlocksRead: t.heapBlocksRead,
        heapBlocksHit: t.heapBlocksHit,
        indexBlocksRead: t.indexBlocksRead,
        indexBlocksHit: t.indexBlocksHit,
      })),
      indexes: indexes.map((i) => ({ oid: i.oid, name: i.qualified, scans: i.scans ?? 0 })),
      statements: [...statements.values()],
    };
  } finally {
    if (!options.db) await db.close();
  }
}

/** Writes a snapshot as JSON (creating the directory). */
export async function writeStatsSnapshot(path: string, snapshot: StatsSnapshot): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(snapshot, null, 2)}\n`);
  } catch (error) {
    throw new TenonError(
      'TENON_ANALYZE_WRITE_FAILED',
      `Could not write ${path}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Check the snapshot path and that its directory is writable.',
      },
    );
  }
}

/**
 * Reads a snapshot file written by {@link writeStatsSnapshot}.
 *
 * @throws TenonError `TENON_ANALYZE_SNAPSHOT_INVALID` when it is missing or not a snapshot.
 */
export async function readStatsSnapshot(path: string): Promise<StatsSnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TenonError(
      'TENON_ANALYZE_SNAPSHOT_INVALID',
      `Cannot read the snapshot ${path}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Take one first with tenon db snapshot, and give its path to --since.',
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    parsed = error;
  }
  const result = statsSnapshotSchema.safeParse(parsed);
  if (!result.success) {
    throw new TenonError('TENON_ANALYZE_SNAPSHOT_INVALID', `${path} is not a tenon statistics snapshot.`, {
      hint: 'Give --since a file written by tenon db snapshot.',
      details: { issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return result.data;
}

import type { Database } from '../core/db/index.js';
import { formatDuration } from '../core/duration.js';
import { quoteIdent } from '../core/sql/quote.js';
import type { AnalyzeConfig } from './analyze-config.js';
import { NOT_TENON_SQL, TAG } from './sql-text.js';

/** What the database behind an analysis can do; checks ask instead of assuming. */
export interface Capabilities {
  kind: Database['kind'];
  serverVersion: number;
  /** `version()` text, e.g. `PostgreSQL 15.20 (Debian …)`. */
  versionText: string;
  database: string;
  superuser: boolean;
  pgStatStatements: {
    available: boolean;
    /** Why it is not available, and how to enable it. */
    reason?: string;
    /** Schema of the extension's view, e.g. `public`. */
    schema?: string;
    version?: string;
    /** `pg_stat_statements.track` (top / all / none). */
    track?: string;
    /** Columns of the view, which differ between extension versions. */
    columns: string[];
  };
  hypopg: {
    /** Installed in this database already. */
    installed: boolean;
    /** Can be created (in a transaction that is rolled back). */
    available: boolean;
    reason?: string;
  };
  /** pg_trgm, for the trigram indexes that serve `LIKE`/`ILIKE '%…%'`. */
  trigram: {
    installed: boolean;
    /** Installed, or can be created (the migration then creates it). */
    available: boolean;
    /** Schema of the installed extension (its operator class is qualified with it). */
    schema?: string;
    reason?: string;
  };
  /** `track_counts`: the pg_stat_*_tables counters are kept. */
  trackCounts: boolean;
  /** The usage counters (pg_stat_user_tables) have recorded any activity. */
  statistics: boolean;
  /** When this database's statistics were last reset (ISO), or null when never / unknown. */
  statsReset: string | null;
  /**
   * Start of the counters' window (ISO): the snapshot given with `--since`,
   * else `statsReset`; null when unknown.
   */
  windowStart: string | null;
  /** The window starts at a snapshot (`--since`) rather than at a statistics reset. */
  windowFromSnapshot: boolean;
  /** Other sessions can exist (a server); PGlite has exactly one connection. */
  sessions: boolean;
  /** `CREATE INDEX CONCURRENTLY` works (not on PGlite). */
  concurrentIndexes: boolean;
  /** Queries to analyze were given directly (a file), so pg_stat_statements is not needed for them. */
  queriesGiven: boolean;
}

/** A capability that checks can require. */
export type CapabilityName =
  | 'pg_stat_statements'
  | 'queries'
  | 'track_counts'
  | 'statistics'
  | 'stats_age'
  | 'sessions';

/** Why PGlite's counters can be empty. */
const PGLITE_STATS =
  'PGlite keeps usage statistics and pg_stat_statements only while one process has the database open, so run the workload and the analysis in the same process (analyzeDatabase({ db }) from tenon/analyze)';

/**
 * Why a capability is missing, with how to enable it, or `undefined` when
 * it is there. The reason becomes the check's "not run: …" line.
 */
export function capabilityProblem(
  caps: Capabilities,
  name: CapabilityName,
  config: AnalyzeConfig,
  now: Date = new Date(),
): string | undefined {
  switch (name) {
    case 'pg_stat_statements':
      return caps.pgStatStatements.available ? undefined : caps.pgStatStatements.reason;
    case 'queries':
      return caps.pgStatStatements.available || caps.queriesGiven
        ? undefined
        : `${caps.pgStatStatements.reason} (or give the statements with --queries FILE)`;
    case 'track_counts':
      return caps.trackCounts
        ? undefined
        : 'track_counts is off, so PostgreSQL keeps no table and index usage counters: set track_counts = on';
    case 'statistics':
      if (!caps.trackCounts) return capabilityProblem(caps, 'track_counts', config, now);
      if (caps.statistics) return undefined;
      return caps.kind === 'pglite'
        ? `the usage counters are empty: ${PGLITE_STATS}`
        : 'the usage counters are empty (statistics were just reset, or nothing ran yet): run the workload, then analyze again';
    case 'stats_age': {
      const missing = capabilityProblem(caps, 'statistics', config, now);
      if (missing) return missing;
      if (!caps.windowStart) return undefined;
      const age = now.getTime() - Date.parse(caps.windowStart);
      if (age >= config.minStatsAge) return undefined;
      return caps.windowFromSnapshot
        ? `the snapshot given with --since was taken ${formatDuration(age)} ago, less than analyze.minStatsAge (${formatDuration(config.minStatsAge)}): run again once the workload has run for a while, or lower minStatsAge`
        : `statistics were reset ${formatDuration(age)} ago, less than analyze.minStatsAge (${formatDuration(config.minStatsAge)}): run again once the workload has run for a while, or lower minStatsAge`;
    }
    case 'sessions':
      return caps.sessions
        ? undefined
        : 'PGlite has a single connection, so there are no other sessions to inspect: run against a server PostgreSQL with --database-url';
  }
}

interface BasicsRow {
  version: string;
  database: string;
  superuser: string;
  track_counts: string;
  stats_reset: string | Date | null;
  activity: boolean;
}

/** Probes the database once: version, extensions, settings. Read-only. */
export async function detectCapabilities(db: Database, queriesGiven = false): Promise<Capabilities> {
  const pgStatStatements = await detectPgStatStatements(db);
  const { rows } = await db.query<BasicsRow>(
    `select ${TAG} version() as version, current_database() as database,
       current_setting('is_superuser') as superuser, current_setting('track_counts') as track_counts,
       (select stats_reset from pg_stat_database where datname = current_database()) as stats_reset,
       (select count(*) = 0 or sum(seq_scan + coalesce(idx_scan, 0) + n_tup_ins + n_tup_upd + n_tup_del) > 0
          from pg_stat_user_tables) as activity`,
  );
  const basics = rows[0]!;
  const statsReset =
    basics.stats_reset === null
      ? null
      : basics.stats_reset instanceof Date
        ? basics.stats_reset.toISOString()
        : new Date(basics.stats_reset).toISOString();
  return {
    kind: db.kind,
    serverVersion: db.serverVersion,
    versionText: basics.version,
    database: basics.database,
    superuser: basics.superuser === 'on',
    pgStatStatements,
    hypopg: await detectHypopg(db),
    trigram: await detectTrigram(db),
    trackCounts: basics.track_counts === 'on',
    statistics: basics.activity,
    statsReset,
    windowStart: statsReset,
    windowFromSnapshot: false,
    sessions: db.kind === 'postgres',
    concurrentIndexes: db.kind === 'postgres',
    queriesGiven,
  };
}

async function detectPgStatStatements(db: Database): Promise<Capabilities['pgStatStatements']> {
  const { rows } = await db.query<{ schema: string; version: string; track: string | null }>(
    `select ${TAG} n.nspname as schema, e.extversion as version,
       current_setting('pg_stat_statements.track', true) as track
     from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname = 'pg_stat_statements'`,
  );
  const ext = rows[0];
  if (!ext) {
    return {
      available: false,
      columns: [],
      reason:
        'pg_stat_statements is not installed in this database: run CREATE EXTENSION pg_stat_statements (the server also needs shared_preload_libraries = pg_stat_statements)',
    };
  }
  try {
    await db.query(`select ${TAG} 1 from ${quoteIdent(ext.schema)}.pg_stat_statements limit 1`);
  } catch (error) {
    const message = (error as Error).message;
    return {
      available: false,
      columns: [],
      schema: ext.schema,
      version: ext.version,
      reason: /shared_preload_libraries/.test(message)
        ? 'pg_stat_statements is installed but not loaded: add it to shared_preload_libraries in postgresql.conf and restart the server'
        : `pg_stat_statements cannot be read: ${message} (grant the pg_read_all_stats role)`,
    };
  }
  const view = `${quoteIdent(ext.schema)}.pg_stat_statements`;
  const recorded = await db.query<{ n: string }>(
    `select ${TAG} count(*) as n from ${view}
     where dbid = (select oid from pg_database where datname = current_database()) and ${NOT_TENON_SQL}`,
  );
  if (Number(recorded.rows[0]?.n ?? 0) === 0) {
    return {
      available: false,
      columns: [],
      schema: ext.schema,
      version: ext.version,
      reason:
        db.kind === 'pglite'
          ? `pg_stat_statements has recorded no statements for this database: ${PGLITE_STATS}`
          : 'pg_stat_statements has recorded no statements for this database yet (just installed or reset): run the workload, then analyze again',
    };
  }
  const columns = await db.query<{ attname: string }>(
    `select ${TAG} attname from pg_attribute
     where attrelid = to_regclass($1) and attnum > 0 and not attisdropped`,
    [view],
  );
  return {
    available: true,
    schema: ext.schema,
    version: ext.version,
    columns: columns.rows.map((r) => r.attname),
    ...(ext.track ? { track: ext.track } : {}),
  };
}

async function detectTrigram(db: Database): Promise<Capabilities['trigram']> {
  const { rows } = await db.query<{ schema: string | null; available: string | null }>(
    `select ${TAG} (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
        where e.extname = 'pg_trgm') as schema,
       (select default_version from pg_available_extensions where name = 'pg_trgm') as available`,
  );
  const row = rows[0]!;
  if (row.schema) return { installed: true, available: true, schema: row.schema };
  if (row.available) return { installed: false, available: true };
  return {
    installed: false,
    available: false,
    reason:
      'pg_trgm is not available on the server (Debian/Ubuntu: it ships with postgresql-contrib), so LIKE/ILIKE searches get no trigram index',
  };
}

async function detectHypopg(db: Database): Promise<Capabilities['hypopg']> {
  if (db.kind === 'pglite') {
    return {
      installed: false,
      available: false,
      reason:
        'hypopg is not available on PGlite; candidate indexes are built for real in a rolled-back transaction',
    };
  }
  const { rows } = await db.query<{ installed: string | null; available: string | null }>(
    `select ${TAG} (select extversion from pg_extension where extname = 'hypopg') as installed,
       (select default_version from pg_available_extensions where name = 'hypopg') as available`,
  );
  const row = rows[0]!;
  if (row.installed) return { installed: true, available: true };
  if (row.available) return { installed: false, available: true };
  return {
    installed: false,
    available: false,
    reason:
      'hypopg is not installed on the server (Debian/Ubuntu: apt install postgresql-NN-hypopg); without it candidate indexes are built for real on small tables and judged from pg_stats on large ones',
  };
}

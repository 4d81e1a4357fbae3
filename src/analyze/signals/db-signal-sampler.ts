import { performance } from 'node:perf_hooks';
import { connect, type Database } from '../../core/db/index.js';
import type {
  DbSignalPoint,
  DbSignalSource,
  DbSignals,
  StatementAdvice,
  StatementDelta,
} from '../../core/signals/server-signals.js';
import { quoteIdent } from '../../core/sql/quote.js';
import type { Capabilities } from '../capabilities.js';
import { loadStatementCounters, loadStatementTexts, type StatementCounters } from '../catalog/query-stats.js';
import { explainQuery } from '../explain.js';
import { TAG } from '../sql-text.js';
import { suggestIndexes } from '../suggest-indexes.js';
import { type ActivityRow, activitySql, foldActivity, readActivity } from './activity-sample.js';
import { probeServerCpu, type ServerCpuReader } from './server-cpu.js';

/** Options of {@link createDbSignalSampler}. */
export interface DbSignalSamplerOptions {
  /** A `postgres://` URL (one connection is opened) or an open database (e.g. the demo's PGlite). */
  db: string | Database;
  cwd?: string;
  /** Heaviest statements kept per interval (default 5) and for the run (default 10). */
  topPerInterval?: number;
  topPerRun?: number;
  /** How often pg_stat_activity is looked at between samples, ms (default 250). */
  lookIntervalMs?: number;
}

type PssCaps = Pick<Capabilities, 'pgStatStatements'>;

/** pg_stat_statements, if installed and readable: its schema and columns (no statement needs to be recorded yet). */
async function probeStatements(db: Database): Promise<{ caps: PssCaps; note?: string }> {
  const none = (note: string): { caps: PssCaps; note: string } => ({
    caps: { pgStatStatements: { available: false, columns: [] } },
    note,
  });
  const { rows } = await db.query<{ schema: string }>(
    `select ${TAG} n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname = 'pg_stat_statements'`,
  );
  const schema = rows[0]?.schema;
  if (!schema) {
    return none(
      'pg_stat_statements is not installed in this database, so no statement is named: CREATE EXTENSION pg_stat_statements (the server also needs shared_preload_libraries = pg_stat_statements)',
    );
  }
  const view = `${quoteIdent(schema)}.pg_stat_statements`;
  try {
    await db.query(`select ${TAG} 1 from ${view} limit 1`);
  } catch (error) {
    return none(`pg_stat_statements cannot be read (${(error as Error).message}), so no statement is named`);
  }
  const columns = await db.query<{ attname: string }>(
    `select ${TAG} attname from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped`,
    [view],
  );
  return {
    caps: { pgStatStatements: { available: true, schema, columns: columns.rows.map((r) => r.attname) } },
  };
}

/** Per-statement deltas between two readings of the counters (a reset statement counts whole). */
function statementDeltas(
  now: ReadonlyMap<string, StatementCounters>,
  before: ReadonlyMap<string, StatementCounters>,
): StatementDelta[] {
  const out: StatementDelta[] = [];
  for (const s of now.values()) {
    const b = before.get(s.queryId);
    const reset = !b || s.calls < b.calls;
    const calls = reset ? s.calls : s.calls - b.calls;
    if (calls <= 0) continue;
    const totalMs = reset ? s.totalMs : s.totalMs - b.totalMs;
    out.push({
      queryId: s.queryId,
      calls,
      totalMs,
      rows: reset ? s.rows : s.rows - b.rows,
      meanMs: totalMs / calls,
    });
  }
  return out.sort((a, b) => b.totalMs - a.totalMs);
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Samples a database during a load run: pg_stat_statements deltas per
 * interval (when the extension is there), sessions by state and wait event,
 * lock waits with the blocking statement, connections against
 * `max_connections`, cache hits and temp files. Read-only, on one
 * connection: pg_stat_statements once a second, pg_stat_activity and
 * pg_stat_database four times a second (session states are instantaneous:
 * one look a second is too few to tell a busy pool from an idle one in a
 * short run); its own statements are tagged and left out of the figures.
 *
 * On PGlite (one connection, in the app's process) only the statement and
 * database counters exist: there are no other sessions, locks or
 * connections to see.
 */
export function createDbSignalSampler(options: DbSignalSamplerOptions): DbSignalSource {
  let db: Database | undefined;
  const owned = typeof options.db === 'string';
  let caps: PssCaps = { pgStatStatements: { available: false, columns: [] } };
  const notes: string[] = [];
  const series: DbSignalPoint[] = [];
  let baseline = new Map<string, StatementCounters>();
  let last = baseline;
  let lastActivity: ActivityRow | undefined;
  /** Looks at pg_stat_activity since the last sample (four a second: one look a second is too few for short runs). */
  let looks: ActivityRow[] = [];
  let lookTimer: NodeJS.Timeout | undefined;
  let looking: Promise<unknown> | undefined;
  let statements = 0;
  let samples = 0;
  let sampleMs = 0;
  let startedAt = 0;
  let failed = false;
  let cpuInfo: DbSignals['cpu'] = { local: false, reason: 'not probed' };
  let cpuReader: ServerCpuReader | undefined;
  /** The server's CPU over the interval, cores; undefined when not read (not local, or a read failed). */
  const readCpu = async (second: number): Promise<number | undefined> => {
    if (!cpuReader) return undefined;
    try {
      statements++;
      return await cpuReader.read();
    } catch (error) {
      cpuReader = undefined;
      notes.push(`the server's CPU could not be read at ${round(second, 1)} s: ${(error as Error).message}`);
      return undefined;
    }
  };
  const topPerInterval = options.topPerInterval ?? 5;
  const topPerRun = options.topPerRun ?? 10;
  const lookIntervalMs = options.lookIntervalMs ?? 250;

  const readCounters = async () => {
    if (!db || !caps.pgStatStatements.available) return undefined;
    statements++;
    return loadStatementCounters(db, caps);
  };
  const readDb = async () => {
    statements++;
    return readActivity(db!, activitySql(db!.kind === 'postgres'));
  };

  return {
    async start() {
      // A capacity search runs the same sampler once per run: each run's figures are its own.
      series.length = 0;
      notes.length = 0;
      looks = [];
      statements = 0;
      samples = 0;
      sampleMs = 0;
      failed = false;
      db =
        typeof options.db === 'string'
          ? await connect({
              databaseUrl: options.db,
              cwd: options.cwd,
              maxConnections: 1,
              applicationName: 'tenon-load-signals',
            })
          : options.db;
      const probe = await probeStatements(db);
      caps = probe.caps;
      if (probe.note) notes.push(probe.note);
      if (db.kind === 'pglite') {
        notes.push(
          'PGlite has one connection, in the app’s process: sessions, wait events, lock waits and connection counts do not exist there; statements and cache figures do',
        );
      }
      const probed = await probeServerCpu(db, typeof options.db === 'string' ? options.db : undefined);
      cpuInfo = probed.cpu;
      cpuReader = probed.reader;
      baseline = (await readCounters()) ?? new Map();
      last = baseline;
      lastActivity = await readDb();
      await readCpu(0);
      startedAt = performance.now();
      if (db.kind === 'postgres') {
        lookTimer = setInterval(() => {
          if (looking || failed) return;
          looking = readDb()
            .then((row) => looks.push(row))
            .catch(() => undefined)
            .finally(() => {
              looking = undefined;
            });
        }, lookIntervalMs);
        lookTimer.unref();
      }
    },
    async sample(second) {
      if (!db || failed) return;
      const t0 = performance.now();
      try {
        await looking;
        const counters = await readCounters();
        const activity = await readDb();
        const cpu = await readCpu(second);
        const before = lastActivity!;
        const interval = [...looks, activity];
        looks = [];
        let stmts: DbSignalPoint['statements'] = null;
        if (counters) {
          const deltas = statementDeltas(counters, last);
          last = counters;
          stmts = {
            calls: deltas.reduce((s, d) => s + d.calls, 0),
            totalMs: round(deltas.reduce((s, d) => s + d.totalMs, 0)),
            top: deltas
              .slice(0, topPerInterval)
              .map((d) => ({ ...d, totalMs: round(d.totalMs), meanMs: round(d.meanMs) })),
          };
        }
        lastActivity = activity;
        // Second 0 (the start of measurement) only sets the baseline.
        if (second <= 0) {
          if (counters) baseline = counters;
          startedAt = t0;
          statements = 0;
          return;
        }
        const hit = activity.blksHit - before.blksHit;
        const read = activity.blksRead - before.blksRead;
        series.push({
          second: round(second),
          ...foldActivity(interval),
          cacheHitRatio: hit + read > 0 ? round(hit / (hit + read), 4) : null,
          tempFiles: Math.max(0, activity.tempFiles - before.tempFiles),
          tempBytes: Math.max(0, activity.tempBytes - before.tempBytes),
          deadlocks: Math.max(0, activity.deadlocks - before.deadlocks),
          statements: stmts,
          ...(cpu !== undefined ? { cpu: round(cpu) } : {}),
        });
      } catch (error) {
        failed = true;
        notes.push(`sampling stopped at ${round(second, 1)} s: ${(error as Error).message}`);
      } finally {
        samples++;
        sampleMs += performance.now() - t0;
      }
    },
    async finish() {
      clearInterval(lookTimer);
      await looking;
      let run: DbSignals['statements'] = null;
      if (db && caps.pgStatStatements.available) {
        const deltas = statementDeltas(last, baseline);
        const totalMs = deltas.reduce((s, d) => s + d.totalMs, 0);
        const top = deltas.slice(0, topPerRun);
        const texts = await loadStatementTexts(
          db,
          caps,
          top.map((d) => d.queryId),
        ).catch(() => new Map<string, string>());
        run = {
          calls: deltas.reduce((s, d) => s + d.calls, 0),
          totalMs: round(totalMs),
          top: top.map((d) => ({
            ...d,
            totalMs: round(d.totalMs),
            meanMs: round(d.meanMs),
            query: texts.get(d.queryId) ?? `(queryid ${d.queryId})`,
            sharePct: totalMs > 0 ? round((d.totalMs / totalMs) * 100, 1) : 0,
          })),
        };
      }
      const seconds = Math.max(0.001, (performance.now() - startedAt) / 1000);
      return {
        url: db?.displayUrl ?? '',
        kind: db?.kind ?? 'postgres',
        serverVersion: db?.serverVersion ?? 0,
        notes,
        series,
        statements: run,
        cpu: cpuInfo,
        overhead: {
          statementsPerSecond: round(statements / seconds, 2),
          meanSampleMs: samples ? round(sampleMs / samples, 2) : 0,
        },
      };
    },
    async advise(query) {
      return adviseOnStatement(db!, query);
    },
    async close() {
      clearInterval(lookTimer);
      await looking;
      if (owned) await db?.close();
    },
  };
}

/** EXPLAIN (generic plan) and the index advisor on one statement; what fails becomes a note. */
async function adviseOnStatement(db: Database, query: string): Promise<StatementAdvice> {
  const out: StatementAdvice = { plan: [], indexes: [], notes: [] };
  try {
    const explained = await explainQuery({ db, sql: query });
    const s = explained.summary;
    out.plan.push(
      `${s.rootNode}: estimated cost ${Math.round(s.totalCost)}, costliest node ${s.slowest.node} (${Math.round(s.slowest.share * 100)}%)`,
    );
    for (const issue of s.issues) out.plan.push(`${issue.node}: ${issue.detail}`);
  } catch (error) {
    out.notes.push(`EXPLAIN failed: ${(error as Error).message}`);
  }
  try {
    const advice = await suggestIndexes({ db, queries: [query] });
    const same = (text: string) => text.replace(/\s+/g, ' ').trim() === query.replace(/\s+/g, ' ').trim();
    for (const r of advice.recommendations) {
      const helped = r.queries.find((q) => same(q.query));
      if (!helped) continue;
      out.indexes.push({
        createSql: r.createSql,
        costBefore: helped.costBefore,
        costAfter: helped.costAfter,
      });
    }
  } catch (error) {
    out.notes.push(`the index advisor failed: ${(error as Error).message}`);
  }
  return out;
}

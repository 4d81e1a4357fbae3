import * as z from 'zod';
import { connect, type Database } from '../core/db/index.js';
import { TenonError } from '../core/errors.js';
import { type AnalyzeConfig, type AnalyzeConfigInput, analyzeConfigSchema } from './analyze-config.js';
import { type Capabilities, capabilityProblem, detectCapabilities } from './capabilities.js';
import { Catalog } from './catalog/catalog.js';
import type { Check, CheckRun, Finding, Severity } from './check.js';
import { SEVERITIES } from './check.js';
import { allChecks } from './checks/index.js';
import type { IndexAdvice } from './index-advisor/advice.js';
import { adviseIndexes } from './index-advisor/advise-indexes.js';
import { planIndexFixes } from './plan-fixes.js';
import { givenQueries } from './queries-file.js';
import { TAG } from './sql-text.js';
import type { StatsSnapshot } from './stats-window/stats-snapshot.js';
import { type StatsWindow, statsWindow } from './stats-window/stats-window.js';

/** Options of {@link analyzeDatabase}. */
export const analyzeOptionsSchema = z.object({
  /** `postgres://…` or `pglite://DIR`; unset: PGlite in `.tenon/pglite`. Ignored when `db` is given. */
  databaseUrl: z.string().optional(),
  /** Base for a relative PGlite directory. */
  cwd: z.string().optional(),
  /** An open database to analyze (left open). */
  db: z.custom<Database>((value) => typeof value === 'object' && value !== null).optional(),
  /** `analyze` settings (thresholds, only/skip); defaults apply to what is missing. */
  config: z.custom<AnalyzeConfigInput>((value) => typeof value === 'object' && value !== null).default({}),
  /** Statements to analyze besides pg_stat_statements (e.g. from `--queries FILE`). */
  queries: z.array(z.string()).default([]),
  /** Counters from `takeStatsSnapshot` (`--since FILE`): the checks judge only what happened after it. */
  since: z.custom<StatsSnapshot>((value) => typeof value === 'object' && value !== null).optional(),
  /** Stops between checks when aborted (the analysis then throws `TENON_INTERRUPTED`). */
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional(),
  /** Progress: called before and after each check. */
  onEvent: z.custom<(event: AnalyzeEvent) => void>((value) => typeof value === 'function').optional(),
});

/** Options of {@link analyzeDatabase}, as given. */
export type AnalyzeOptions = z.input<typeof analyzeOptionsSchema>;

/** Progress of an analysis. */
export type AnalyzeEvent =
  | { type: 'check-start'; id: string; index: number; total: number }
  | { type: 'check-done'; run: CheckRun };

/** A statement of the top-queries list. */
export interface TopQuery {
  queryId: string;
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  /** Share of the database's total execution time. */
  share: number;
}

/** Everything an analysis found, as `--json` prints it. */
export interface AnalyzeResult {
  server: { url: string; kind: Database['kind']; version: number; versionText: string; database: string };
  capabilities: Capabilities;
  /** The time the cumulative counters (scans, block reads, pg_stat_statements) cover. */
  window: StatsWindow;
  /** Findings, most severe first. */
  findings: Finding[];
  /** Every selected check: ran, not run (and why), or failed (and why). */
  checks: CheckRun[];
  topQueries: TopQuery[];
  /** The index advisor's full answer, when a check asked for it. */
  indexAdvice: IndexAdvice | null;
  summary: Record<Severity, number> & { notRun: number; failed: number };
  generatedAt: string;
  durationMs: number;
}

/**
 * Runs every (selected) check against a database and returns the findings,
 * which checks could not run and why, the capabilities detected and the top
 * statements. Read-only: what the index advisor and plan summaries create
 * (hypothetical or candidate indexes) lives in transactions that are rolled back.
 *
 * @example
 * ```ts
 * const result = await analyzeDatabase({ databaseUrl: process.env.DATABASE_URL });
 * for (const f of result.findings) console.log(f.severity, f.check, f.title);
 * ```
 * @throws TenonError `TENON_ANALYZE_UNKNOWN_CHECK`, `TENON_INTERRUPTED` (signal), and the database layer's connection errors.
 */
export async function analyzeDatabase(options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const started = Date.now();
  const opts = analyzeOptionsSchema.parse(options);
  const config = analyzeConfigSchema.parse(opts.config);
  const checks = selectChecks(config);
  // A few connections at most: the checks run one after another, and the database may be near its limit.
  const db = opts.db ?? (await connect({ databaseUrl: opts.databaseUrl, cwd: opts.cwd, maxConnections: 3 }));
  try {
    await flushStatistics(db);
    const detected = await detectCapabilities(db, opts.queries.length > 0);
    const window = await windowOf(db, detected, opts.since);
    const fromSnapshot = window.source === 'snapshot';
    const capabilities: Capabilities = {
      ...detected,
      windowStart: window.since,
      windowFromSnapshot: fromSnapshot,
    };
    const catalog = new Catalog(
      db,
      capabilities,
      givenQueries(opts.queries),
      config.maxStatements,
      fromSnapshot ? opts.since : undefined,
    );
    let advice: Promise<IndexAdvice> | undefined;
    const indexAdvice = () => {
      advice ??= adviseIndexes({ db, capabilities, catalog, config });
      return advice;
    };
    const runs: CheckRun[] = [];
    const findings: Finding[] = [];
    for (const [index, check] of checks.entries()) {
      if (opts.signal?.aborted) {
        throw new TenonError('TENON_INTERRUPTED', 'Interrupted: the analysis stopped between checks.', {
          cause: opts.signal.reason,
        });
      }
      opts.onEvent?.({ type: 'check-start', id: check.id, index, total: checks.length });
      const run = await runCheck(check, { db, capabilities, config, catalog, window, indexAdvice }, findings);
      runs.push(run);
      opts.onEvent?.({ type: 'check-done', run });
    }
    const order = new Map(allChecks.map((c, i) => [c.id, i]));
    const [tables, indexes] = await Promise.all([catalog.tables(), catalog.indexes()]);
    const planned = planIndexFixes(findings, {
      tables,
      indexes,
      ...(capabilities.trigram.schema ? { trigramSchema: capabilities.trigram.schema } : {}),
    });
    findings.splice(0, findings.length, ...planned);
    findings.sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        (order.get(a.check) ?? 0) - (order.get(b.check) ?? 0),
    );
    const topQueries = await loadTopQueries(catalog, capabilities, config);
    const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
    return {
      server: {
        url: db.displayUrl,
        kind: db.kind,
        version: db.serverVersion,
        versionText: capabilities.versionText,
        database: capabilities.database,
      },
      capabilities,
      window,
      findings,
      checks: runs,
      topQueries,
      indexAdvice: advice ? await advice.catch(() => null) : null,
      summary: {
        critical: count('critical'),
        warning: count('warning'),
        info: count('info'),
        notRun: runs.filter((r) => r.status === 'not-run').length,
        failed: runs.filter((r) => r.status === 'failed').length,
      },
      generatedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    };
  } finally {
    if (!opts.db) await db.close();
  }
}

/** The checks `only` and `skip` select, in report order. */
export function selectChecks(config: Pick<AnalyzeConfig, 'only' | 'skip'>): Check[] {
  const known = new Set(allChecks.map((c) => c.id));
  const unknown = [...config.only, ...config.skip].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new TenonError('TENON_ANALYZE_UNKNOWN_CHECK', `Unknown check: ${unknown.join(', ')}.`, {
      hint: `Checks: ${[...known].join(', ')}.`,
      details: { unknown },
    });
  }
  return allChecks.filter(
    (c) => (config.only.length === 0 || config.only.includes(c.id)) && !config.skip.includes(c.id),
  );
}

async function runCheck(check: Check, ctx: Parameters<Check['run']>[0], into: Finding[]): Promise<CheckRun> {
  const started = Date.now();
  const base = { id: check.id, title: check.title };
  const problems = check.requires
    .map((name) => capabilityProblem(ctx.capabilities, name, ctx.config))
    .filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    return {
      ...base,
      status: 'not-run',
      reason: [...new Set(problems)].join('; '),
      findings: 0,
      durationMs: 0,
    };
  }
  try {
    const found = await check.run(ctx);
    into.push(...found);
    return { ...base, status: 'ran', findings: found.length, durationMs: Date.now() - started };
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      reason: (error as Error).message,
      findings: 0,
      durationMs: Date.now() - started,
    };
  }
}

/**
 * The window of the analysis, read on the server's clock. A snapshot of
 * another database is refused: its oids and query ids mean other things.
 */
async function windowOf(
  db: Database,
  caps: Capabilities,
  since: StatsSnapshot | undefined,
): Promise<StatsWindow> {
  if (since && since.database !== caps.database) {
    throw new TenonError(
      'TENON_ANALYZE_SNAPSHOT_INVALID',
      `The snapshot was taken on database "${since.database}", not "${caps.database}".`,
      { hint: 'Give --since a snapshot of this database (tenon db snapshot with the same --database-url).' },
    );
  }
  const { rows } = await db.query<{ now: Date | string }>(`select ${TAG} now() as now`);
  return statsWindow(caps.statsReset, since, new Date(rows[0]!.now));
}

/**
 * Makes the statistics counters current. PostgreSQL 15+ flushes a backend's
 * counters only now and then; on PGlite the application's own work is in
 * this one backend, so without the flush the counters can lag far behind.
 */
async function flushStatistics(db: Database): Promise<void> {
  if (db.serverVersion < 150000) return;
  await db.query(`select ${TAG} pg_stat_force_next_flush()`);
}

async function loadTopQueries(
  catalog: Catalog,
  caps: Capabilities,
  config: AnalyzeConfig,
): Promise<TopQuery[]> {
  if (!caps.pgStatStatements.available) return [];
  const stats = await catalog.queryStats();
  return stats.statements
    .filter((s) => !s.queryId.startsWith('file:'))
    .slice(0, config.topQueries)
    .map((s) => ({
      queryId: s.queryId,
      query: s.query,
      calls: s.calls,
      totalMs: Math.round(s.totalMs * 1000) / 1000,
      meanMs: Math.round(s.meanMs * 1000) / 1000,
      rows: s.rows,
      share: stats.totalMs > 0 ? Math.round((s.totalMs / stats.totalMs) * 10000) / 10000 : 0,
    }));
}

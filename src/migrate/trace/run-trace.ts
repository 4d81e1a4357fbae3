import type { Database } from '../../core/db/database.js';
import { TenonError } from '../../core/errors.js';
import { type HistoryTableName, readHistory } from '../history-table.js';
import type { Severity } from '../lint/lint-rule.js';
import type { MigrationSource } from '../migration-files.js';
import { planMigrations } from '../plan.js';
import { openShadow, type Shadow } from './shadow.js';
import { tableSizes } from './trace-catalog.js';
import { type TraceFinding, traceFindings } from './trace-findings.js';
import { type TracedMigration, traceMigrations } from './trace-migrations.js';

/** Options of `Migrator.trace`. */
export interface TraceOptions {
  /** Trace pending migrations up to and including this version. */
  to?: string | undefined;
  /** `pglite` to trace on an in-memory PGlite even when the live database is a server. */
  shadow?: 'server' | 'pglite' | undefined;
}

/** What `Migrator.trace` returns. */
export interface TraceResult {
  /** The live database (without password), or null when none was given and none exists. */
  database: string | null;
  /** Whether table sizes came from the live database (a server's catalog, or the analyzed copy of a live PGlite). */
  live: boolean;
  shadow: Pick<Shadow, 'kind' | 'source' | 'description' | 'replayed'>;
  slowMs: number;
  largeRows: number;
  migrations: TracedMigration[];
  findings: TraceFinding[];
  counts: Record<Severity, number>;
  /** A statement failed in the shadow: `up` would fail there too. */
  failed: boolean;
}

/**
 * Traces the pending migrations on a shadow of the live schema: a
 * temporary database on the live server (a copy of the live schema, or
 * the applied migrations replayed without pg_dump), an in-memory copy of a live PGlite, or an empty PGlite when
 * there is no database. The live database is only read (history, sizes).
 */
export async function runTrace(input: {
  files: readonly MigrationSource[];
  live: Database | undefined;
  databaseUrl: string | undefined;
  history: HistoryTableName;
  options: TraceOptions;
  slowMs: number;
  largeRows: number;
  /** The pg_dump that copies a server's live schema into the shadow (`migrate.pgDump`). */
  pgDump?: string | undefined;
  onMigration?: (file: string) => void;
  signal?: AbortSignal | undefined;
}): Promise<TraceResult> {
  const { live, files, options } = input;
  const rows = live ? ((await readHistory(live, input.history)) ?? []) : [];
  // `up` stops at a dirty migration (or resumes it after `repair --retry`); the shadow
  // cannot rebuild its committed statements, so a trace past it would show a run that
  // does not happen.
  const dirty = rows.find((r) => r.state === 'dirty');
  if (dirty) {
    throw new TenonError(
      'TENON_MIGRATE_DIRTY',
      `${dirty.version}_${dirty.name} is dirty (${dirty.statementsDone} of ${dirty.statementsTotal} statements committed): \`up\` would not run the pending migrations after it as they are, so there is nothing true to trace. Nothing was run.`,
      {
        hint: 'Resolve it first: `tenon migrate status` shows it; fix the cause, then `tenon migrate repair --retry` and `up` (or --applied / --forget), then trace what is still pending.',
        details: { version: dirty.version },
      },
    );
  }
  const recorded = new Set(rows.map((r) => r.version));
  const shadowKind = live?.kind === 'postgres' && options.shadow !== 'pglite' ? 'postgres' : 'pglite';
  const applied = files.filter((f) => recorded.has(f.version));
  const pending = files.filter(
    (f) => !recorded.has(f.version) && (options.to === undefined || f.version <= options.to),
  );
  // A live PGlite is copied whole; a server's schema is copied by pg_dump, and only without one is
  // what is applied replayed: planned then, not before (planning a long history parses every file).
  const copies = live?.kind === 'pglite' && shadowKind === 'pglite';
  const replay = async () => (copies ? [] : planMigrations(applied, 'up', { kind: shadowKind }));
  const plans = await planMigrations(pending, 'up', { kind: shadowKind });
  // A server's sizes come from its catalog. A live PGlite is copied whole: ANALYZE the copy (the embedded
  // database never runs autovacuum, so its reltuples are often unset) and read the sizes there.
  let liveSizes = live?.kind === 'postgres' ? await tableSizes(live) : undefined;
  const shadow = await openShadow({
    live,
    databaseUrl: input.databaseUrl,
    prefer: options.shadow,
    applied: replay,
    pgDump: input.pgDump,
  });
  try {
    if (shadow.source === 'pglite-copy') {
      await shadow.db.exec('analyze');
      liveSizes = await tableSizes(shadow.db);
    }
    const migrations = await traceMigrations({
      shadow: shadow.db,
      plans,
      sizes: (name) => liveSizes?.get(name),
      slowMs: input.slowMs,
      onMigration: input.onMigration,
      signal: input.signal,
    });
    const sizes = liveSizes ?? (await tableSizes(shadow.db));
    const findings = traceFindings(migrations, (name) => sizes.get(name), {
      largeRows: input.largeRows,
      slowMs: input.slowMs,
    });
    const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity] += 1;
    return {
      database: live?.displayUrl ?? null,
      live: liveSizes !== undefined,
      shadow: {
        kind: shadow.kind,
        source: shadow.source,
        description: shadow.description,
        replayed: shadow.replayed,
      },
      slowMs: input.slowMs,
      largeRows: input.largeRows,
      migrations,
      findings,
      counts,
      failed: migrations.some((m) => m.status === 'failed'),
    };
  } finally {
    await shadow.dispose();
  }
}

import { quoteQualified } from '../../core/sql/quote.js';
import type { Check, Finding } from '../check.js';
import { toMigrationName } from '../sql-text.js';

/**
 * A table vacuumed (analyzed) this recently is not reported for dead rows
 * (rows changed since): sessions flush their counters late (an idle
 * server session up to a minute later; PGlite's one session when tenon
 * flushes it), so changes the VACUUM or ANALYZE already saw can be added
 * to n_dead_tup and n_mod_since_analyze after it.
 */
const JUST_DONE_MS = 2 * 60_000;

/** The later of two timestamps (ms), or -Infinity when neither is set. */
function latest(...at: (string | null)[]): number {
  return at
    .filter((x): x is string => x !== null)
    .map((x) => Date.parse(x))
    .reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}

/**
 * Tables whose dead rows autovacuum has not cleaned up, or whose planner
 * statistics are missing or out of date (PGlite has no autovacuum, so this
 * is common there). Tables under vacuumMinRows rows are left out: their
 * dead rows and the planner's guesses on them cost little.
 */
export const vacuumStale: Check = {
  id: 'vacuum-stale',
  title: 'Vacuum and analyze overdue',
  severities: {
    warning:
      'on tables of vacuumMinRows rows or more: dead rows, or rows changed since the last analyze, at least deadRowMin and deadRowRatio (not within 2 minutes of a vacuum or analyze), or never analyzed',
  },
  requires: ['statistics'],
  async run(ctx) {
    const { deadRowMin, deadRowRatio, vacuumMinRows } = ctx.config;
    const now = Date.parse(ctx.window.until);
    const findings: Finding[] = [];
    for (const t of await ctx.catalog.tables()) {
      if (t.relkind === 'p') continue;
      const rows = Math.max(t.liveRows, t.reltuples, 0);
      // Too small for dead rows or stale statistics to matter (table-bloat judges size).
      if (rows < vacuumMinRows) continue;
      const reasons: string[] = [];
      const deadShare = t.deadRows / Math.max(t.liveRows + t.deadRows, 1);
      if (
        now - latest(t.lastVacuum, t.lastAutovacuum) >= JUST_DONE_MS &&
        t.deadRows >= deadRowMin &&
        deadShare >= deadRowRatio
      ) {
        reasons.push(`${t.deadRows} dead rows (${Math.round(deadShare * 100)}%) not yet vacuumed`);
      }
      const analyzed = latest(t.lastAnalyze, t.lastAutoanalyze);
      if (!Number.isFinite(analyzed)) reasons.push('never analyzed, so the planner guesses row counts');
      else if (
        now - analyzed >= JUST_DONE_MS &&
        t.modifiedSinceAnalyze >= deadRowMin &&
        t.modifiedSinceAnalyze >= deadRowRatio * Math.max(rows, 1)
      ) {
        reasons.push(`${t.modifiedSinceAnalyze} rows changed since the last analyze`);
      }
      if (reasons.length === 0) continue;
      const autovacuumOff = t.options.includes('autovacuum_enabled=false');
      findings.push({
        check: 'vacuum-stale',
        severity: 'warning',
        title: `${t.qualified}: ${reasons.join('; ')}`,
        object: { type: 'table', name: t.qualified },
        evidence: {
          liveRows: t.liveRows,
          deadRows: t.deadRows,
          modifiedSinceAnalyze: t.modifiedSinceAnalyze,
          lastVacuum: t.lastVacuum,
          lastAutovacuum: t.lastAutovacuum,
          lastAnalyze: t.lastAnalyze,
          lastAutoanalyze: t.lastAutoanalyze,
          autovacuumEnabled: !autovacuumOff,
        },
        recommendation: `Run VACUUM (ANALYZE) ${t.qualified}${autovacuumOff ? ', and turn autovacuum back on for it (ALTER TABLE … RESET (autovacuum_enabled))' : ctx.capabilities.kind === 'pglite' ? ' (PGlite has no autovacuum: run it after bulk changes)' : '; if this recurs, make autovacuum more aggressive for this table (autovacuum_vacuum_scale_factor)'}.`,
        fix: {
          name: toMigrationName(`vacuum_analyze_${t.name}`),
          up: `VACUUM (ANALYZE) ${quoteQualified(t.schema, t.name)};`,
          down: '',
          migration: false,
        },
      });
    }
    return findings;
  },
};

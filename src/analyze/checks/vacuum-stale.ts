import { quoteQualified } from '../../core/sql/quote.js';
import type { Check, Finding } from '../check.js';
import { toMigrationName } from '../sql-text.js';

/**
 * Tables whose dead rows autovacuum has not cleaned up, or whose planner
 * statistics are missing or out of date (PGlite has no autovacuum, so this
 * is common there).
 */
export const vacuumStale: Check = {
  id: 'vacuum-stale',
  title: 'Vacuum and analyze overdue',
  severities: {
    warning:
      'dead rows or rows changed since the last analyze at least deadRowMin and deadRowRatio, or a table with rows that was never analyzed',
  },
  requires: ['statistics'],
  async run(ctx) {
    const { deadRowMin, deadRowRatio } = ctx.config;
    const findings: Finding[] = [];
    for (const t of await ctx.catalog.tables()) {
      if (t.relkind === 'p') continue;
      const rows = Math.max(t.liveRows, t.reltuples, 0);
      const reasons: string[] = [];
      const deadShare = t.deadRows / Math.max(t.liveRows + t.deadRows, 1);
      if (t.deadRows >= deadRowMin && deadShare >= deadRowRatio) {
        reasons.push(`${t.deadRows} dead rows (${Math.round(deadShare * 100)}%) not yet vacuumed`);
      }
      const analyzed = t.lastAnalyze ?? t.lastAutoanalyze;
      if (!analyzed && rows >= 1000) reasons.push('never analyzed, so the planner guesses row counts');
      else if (
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

import { formatDuration } from '../../core/duration.js';
import type { Check, Finding } from '../check.js';
import { shortSql, toMigrationName } from '../sql-text.js';

/** Statements running right now for longer than `longRunning` (those waiting for a lock are blocked-query's). */
export const longRunningQuery: Check = {
  id: 'long-running-query',
  title: 'Long-running statements',
  severities: {
    critical: 'running for 10 × longRunning or more',
    warning: 'running for longRunning or more',
  },
  requires: ['sessions'],
  async run(ctx) {
    const { longRunning } = ctx.config;
    return (await ctx.catalog.sessions())
      .filter((s) => s.state === 'active' && s.blockedBy.length === 0 && (s.queryMs ?? 0) >= longRunning)
      .map(
        (s): Finding => ({
          check: 'long-running-query',
          severity: (s.queryMs ?? 0) >= longRunning * 10 ? 'critical' : 'warning',
          title: `session ${s.pid} has been running a statement for ${formatDuration(s.queryMs ?? 0)}: ${shortSql(s.query, 80)}`,
          object: { type: 'session', name: String(s.pid) },
          evidence: {
            pid: s.pid,
            user: s.user,
            application: s.application,
            runningMs: Math.round(s.queryMs ?? 0),
            transactionMs: Math.round(s.transactionMs ?? 0),
            waitEvent: s.waitEvent ? `${s.waitEventType}:${s.waitEvent}` : null,
            query: shortSql(s.query, 1000),
          },
          recommendation: `Check its plan with tenon db explain; cancel it with SELECT pg_cancel_backend(${s.pid}) if it should not run this long, and set a statement_timeout for the application's role.`,
          fix: {
            name: toMigrationName(`cancel_${s.pid}`),
            up: `SELECT pg_cancel_backend(${s.pid});`,
            down: '',
            migration: false,
          },
        }),
      );
  },
};

import { formatDuration } from '../../core/duration.js';
import { quoteIdent } from '../../core/sql/quote.js';
import type { Check, Finding } from '../check.js';
import { formatPercent } from '../format.js';
import { shortSql } from '../sql-text.js';

/**
 * Connection usage against max_connections and the database's CONNECTION
 * LIMIT, and sessions idle inside an open transaction (they hold locks and
 * keep VACUUM from removing dead rows).
 */
export const connections: Check = {
  id: 'connections',
  title: 'Connections and idle transactions',
  severities: {
    critical: 'connection usage at 95% or more',
    warning:
      'connection usage at connectionsWarnRatio, or a session idle in a transaction for idleInTransaction',
  },
  requires: ['sessions'],
  async run(ctx) {
    const { connectionsWarnRatio, idleInTransaction } = ctx.config;
    const [usage, sessions] = await Promise.all([ctx.catalog.connectionUsage(), ctx.catalog.sessions()]);
    const findings: Finding[] = [];
    const limits = [
      { scope: 'server', used: usage.total, limit: usage.available, setting: 'max_connections' },
      ...(usage.databaseLimit >= 0
        ? [
            {
              scope: `database ${ctx.capabilities.database}`,
              used: usage.database,
              limit: usage.databaseLimit,
              setting: 'CONNECTION LIMIT',
            },
          ]
        : []),
    ];
    for (const { scope, used, limit, setting } of limits) {
      const ratio = used / Math.max(limit, 1);
      if (ratio < connectionsWarnRatio) continue;
      findings.push({
        check: 'connections',
        severity: ratio >= 0.95 ? 'critical' : 'warning',
        title: `${scope}: ${used} of ${limit} connections in use (${formatPercent(ratio)})`,
        object: { type: 'database', name: ctx.capabilities.database },
        evidence: { scope, used, limit, setting, byState: usage.byState },
        recommendation:
          'Put a pooler in front (PgBouncer in transaction mode) or shrink the application pools; raising the limit costs memory per connection.',
      });
    }
    for (const s of sessions) {
      if (!s.state?.startsWith('idle in transaction') || (s.stateMs ?? 0) < idleInTransaction) continue;
      findings.push({
        check: 'connections',
        severity: 'warning',
        title: `session ${s.pid} (${s.application ?? s.user ?? 'unknown'}) has been idle in a transaction for ${formatDuration(s.stateMs ?? 0)}`,
        object: { type: 'session', name: String(s.pid) },
        evidence: {
          pid: s.pid,
          user: s.user,
          application: s.application,
          client: s.client,
          state: s.state,
          idleMs: Math.round(s.stateMs ?? 0),
          transactionMs: Math.round(s.transactionMs ?? 0),
          lastQuery: shortSql(s.query),
        },
        recommendation: `Find the code path that leaves the transaction open (an await between BEGIN and COMMIT, a missing release); end this one with SELECT pg_terminate_backend(${s.pid}), and set idle_in_transaction_session_timeout.`,
        fix: {
          name: 'idle_in_transaction_timeout',
          up: `ALTER DATABASE ${quoteIdent(ctx.capabilities.database)} SET idle_in_transaction_session_timeout = '${Math.max(60, Math.round(idleInTransaction / 1000))}s';`,
          down: `ALTER DATABASE ${quoteIdent(ctx.capabilities.database)} RESET idle_in_transaction_session_timeout;`,
          migration: false,
        },
      });
    }
    return findings;
  },
};

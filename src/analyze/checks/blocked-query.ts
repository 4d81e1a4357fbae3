import { formatDuration } from '../../core/duration.js';
import type { Check, Finding } from '../check.js';
import { shortSql } from '../sql-text.js';

/** Statements waiting for a lock another session holds, with who holds it and what that session is doing. */
export const blockedQuery: Check = {
  id: 'blocked-query',
  title: 'Blocked statements',
  severities: { warning: 'waiting for a lock for blockedFor or longer' },
  requires: ['sessions'],
  async run(ctx) {
    const sessions = await ctx.catalog.sessions();
    const byPid = new Map(sessions.map((s) => [s.pid, s]));
    return sessions
      .filter((s) => s.blockedBy.length > 0 && (s.queryMs ?? 0) >= ctx.config.blockedFor)
      .map((s): Finding => {
        const blockers = s.blockedBy.map((pid) => {
          const b = byPid.get(pid);
          return {
            pid,
            state: b?.state ?? 'unknown (another database or tenon cannot see it)',
            transactionMs: Math.round(b?.transactionMs ?? 0),
            query: shortSql(b?.query ?? ''),
          };
        });
        const idle = blockers.find((b) => b.state.startsWith('idle in transaction'));
        return {
          check: 'blocked-query',
          severity: 'warning',
          title: `session ${s.pid} has waited ${formatDuration(s.queryMs ?? 0)} for a lock held by ${s.blockedBy.join(', ')}: ${shortSql(s.query, 80)}`,
          object: { type: 'session', name: String(s.pid) },
          evidence: {
            pid: s.pid,
            waitingMs: Math.round(s.queryMs ?? 0),
            waitEvent: `${s.waitEventType}:${s.waitEvent}`,
            query: shortSql(s.query, 1000),
            blockedBy: blockers,
          },
          recommendation: idle
            ? `Session ${idle.pid} holds the lock while idle in a transaction: end that transaction (or SELECT pg_terminate_backend(${idle.pid})), and keep transactions short.`
            : `Session(s) ${s.blockedBy.join(', ')} hold the lock: keep lock-taking statements short, and use lock_timeout for DDL.`,
        };
      });
  },
};

import type { Severity } from '../lint/lint-rule.js';
import { lockName } from '../lint/lock-model.js';
import type { TracedMigration, TracedStatement } from './trace-migrations.js';

/** A problem the trace saw. */
export interface TraceFinding {
  severity: Severity;
  file: string;
  line: number;
  statement: number;
  message: string;
  fix: string;
}

/** What makes a table large and a step slow. */
export interface TraceThresholds {
  /** Rows from which a table is large (`lintLargeTableRows`). */
  largeRows: number;
  /** A statement that ran at least this long in the shadow, and {@link SHADOW_RATIO} times the reference, is slow (`traceSlow`). */
  slowMs: number;
}

const LARGE_BYTES = 1024 ** 3;

/**
 * How many times longer than the reference DDL statement (timed right after
 * it, see `probeShadow`) a statement must run in the shadow before its time
 * says something. On an idle machine the reference takes a few ms, so the
 * slow line (1 s) decides; on a loaded one every statement slows down with
 * the reference, and an empty table's `ALTER TABLE` stays within a few
 * references however long both take.
 */
export const SHADOW_RATIO = 20;

function describeSize(size: { rows: number; bytes: number }): string {
  const rows =
    size.rows >= 1e6
      ? `${(size.rows / 1e6).toFixed(1)}M`
      : size.rows >= 1e4
        ? `${(size.rows / 1e3).toFixed(1)}k`
        : String(size.rows);
  const mb = size.bytes / 1024 ** 2;
  return `${rows} rows, ${mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(1)} MB`}`;
}

/**
 * Judges a trace by what would be slow on the live tables, not by the
 * shadow's wall time (its tables are empty or small, and the machine may be
 * loaded). A step is slow when it rewrites a large relation, when its work
 * grows with a large table it names (an index build, a backfill, a
 * validation), or when it ran at least `slowMs` in the shadow *and*
 * {@link SHADOW_RATIO} times the reference statement timed after it (a
 * `pg_sleep`, a long `DO` loop: slow whatever the data). An ACCESS EXCLUSIVE
 * lock on a large existing table held across a slow step is an `error`; on
 * another existing table a `warning`; a rewrite of an existing relation is
 * `info`; a statement that failed is an `error`.
 */
export function traceFindings(
  migrations: readonly TracedMigration[],
  sizes: (table: string) => { rows: number; bytes: number } | undefined,
  thresholds: TraceThresholds,
): TraceFinding[] {
  const findings: TraceFinding[] = [];
  // The SQL may leave the schema to search_path: an unqualified name is looked up in public.
  const sizeByName = (name: string) => sizes(name.includes('.') ? name : `public.${name}`);
  const isLarge = (size: { rows: number; bytes: number } | undefined) =>
    size !== undefined && (size.rows >= thresholds.largeRows || size.bytes >= LARGE_BYTES);
  const slowReason = (s: TracedStatement): string | undefined => {
    const bigRewrite = s.rewrites.find((r) => isLarge(r));
    if (bigRewrite) return `rewrites ${bigRewrite.relation} (${describeSize(bigRewrite)})`;
    const grownOn = s.grows?.tables.find((t) => isLarge(sizeByName(t)));
    if (s.grows && grownOn)
      return `is ${s.grows.what} on ${grownOn} (${describeSize(sizeByName(grownOn)!)}), whose time grows with the table`;
    const calibrated = s.probeMs === undefined || s.durationMs >= SHADOW_RATIO * s.probeMs;
    if (s.durationMs >= thresholds.slowMs && calibrated)
      return `ran ${Math.round(s.durationMs)} ms in the shadow${s.probeMs === undefined ? '' : ` (${Math.round(s.durationMs / Math.max(s.probeMs, 0.1))}× a reference DDL statement there)`}`;
    return undefined;
  };
  for (const m of migrations) {
    for (const [i, s] of m.statements.entries()) {
      const at = { file: m.file, line: s.line, statement: s.index };
      if (s.error) {
        findings.push({
          ...at,
          severity: 'error',
          message: `statement ${s.index} failed in the shadow: ${s.error}`,
          fix: 'Fix the migration; `up` would fail the same way here.',
        });
        continue;
      }
      for (const lock of s.locks) {
        if (lock.mode !== 'AccessExclusiveLock' || lock.newObject || lock.kind === 'object') continue;
        // An index locked with its table (ALTER TABLE, DROP INDEX) adds nothing to the table's finding.
        const withTable = s.locks.some((l) => l.target === lock.table && l.mode === 'AccessExclusiveLock');
        if (lock.kind === 'index' && withTable) continue;
        // Until commit, every later statement of the transaction runs under this lock.
        const under = lock.heldUntil === 'commit' ? m.statements.slice(i) : [s];
        const slow = under.map((u) => ({ u, why: slowReason(u) })).filter((x) => x.why);
        const table = lock.target;
        if (slow.length === 0) continue;
        const across = slow
          .map((x) => `statement ${x.u.index} (line ${x.u.line}), which ${x.why}`)
          .join('; ');
        const held = lock.heldUntil === 'commit' ? 'until COMMIT' : 'for the statement';
        if (isLarge(sizes(table))) {
          findings.push({
            ...at,
            severity: 'error',
            message: `${lockName(lock.mode)} on ${table} (${describeSize(sizes(table)!)}) is held ${held} across ${across}: no reads or writes of ${table} meanwhile.`,
            fix: 'Take the exclusive lock in a short transaction of its own; run rewrites, backfills and index builds without it (batched, CONCURRENTLY, or NOT VALID + VALIDATE).',
          });
        } else {
          findings.push({
            ...at,
            severity: 'warning',
            message: `${lockName(lock.mode)} on ${table} is held ${held} across ${across}: no reads or writes of ${table} meanwhile.`,
            fix: 'Shorten the transaction that holds it: split the migration.',
          });
        }
      }
      for (const r of s.rewrites) {
        if (r.kind !== 'table') continue;
        findings.push({
          ...at,
          severity: 'info',
          message: `rewrote ${r.relation} (${describeSize(r)}): its file was replaced, so every row was written again.`,
          fix: 'On a large table, avoid the rewrite (see the lint rules add-column-rewrite, change-column-type, rewrite-table-command).',
        });
      }
    }
  }
  return findings;
}

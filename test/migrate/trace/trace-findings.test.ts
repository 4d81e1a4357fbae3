import { describe, expect, it } from 'vitest';
import type { TracedMigration, TracedStatement } from '../../../src/migrate/index.js';
import { traceFindings } from '../../../src/migrate/trace/trace-findings.js';

const thresholds = { largeRows: 1_000_000, slowMs: 1000 };

/** One transactional migration whose first statement takes ACCESS EXCLUSIVE on public.acct until COMMIT. */
function migration(...statements: Partial<TracedStatement>[]): TracedMigration[] {
  const full = statements.map(
    (s, i): TracedStatement => ({
      index: i + 1,
      line: i + 1,
      column: 1,
      sql: 'x',
      kind: 'AlterTableStmt',
      durationMs: 2,
      locks: [],
      heldFromEarlier: [],
      rewrites: [],
      waits: [],
      samples: 0,
      observable: true,
      ...s,
    }),
  );
  full[0]!.locks.push({
    target: 'public.acct',
    kind: 'table',
    mode: 'AccessExclusiveLock',
    granted: true,
    heldUntil: 'commit',
    holdMs: full.reduce((sum, s) => sum + s.durationMs, 0),
    newObject: false,
    observedBy: 'same-session',
  });
  return [
    {
      version: '20260101000002',
      name: 'm',
      file: '20260101000002_m.sql',
      transactional: true,
      statementCount: full.length,
      status: 'traced',
      durationMs: 0,
      statements: full,
    },
  ];
}

const small = () => ({ rows: 10, bytes: 8192 });
const large = () => ({ rows: 5_000_000, bytes: 900 * 1024 ** 2 });
const judge = (m: TracedMigration[], sizes = small) =>
  traceFindings(m, sizes, thresholds).map((f) => `${f.severity}: ${f.message}`);

describe('traceFindings: slow is judged by the live tables, the shadow time only against a reference', () => {
  it('an ALTER on an empty shadow table that took 1.5 s on a loaded machine (reference 200 ms) is no finding', () => {
    // Before: "ACCESS EXCLUSIVE on public.acct was held 1500 ms in the shadow" (a warning about nothing).
    expect(judge(migration({ durationMs: 1500, probeMs: 200 }))).toEqual([]);
  });

  it('the same 1.5 s with a 3 ms reference is slow whatever the data: a warning on a small table, an error on a large one', () => {
    const m = migration({ durationMs: 2 }, { kind: 'SelectStmt', durationMs: 1500, probeMs: 3 });
    expect(judge(m)).toEqual([
      'warning: ACCESS EXCLUSIVE on public.acct is held until COMMIT across statement 2 (line 2), which ran 1500 ms in the shadow (500× a reference DDL statement there): no reads or writes of public.acct meanwhile.',
    ]);
    expect(judge(m, large).map((f) => f.split(' (')[0])).toEqual(['error: ACCESS EXCLUSIVE on public.acct']);
  });

  it('under the slow line nothing counts, however small the reference', () => {
    expect(judge(migration({ durationMs: 900, probeMs: 1 }))).toEqual([]);
  });

  it('an index build on a large live table under the lock is an error however fast the empty shadow table was', () => {
    // Before: no finding (no rewrite, 4 ms in the shadow).
    const m = migration(
      { durationMs: 2 },
      { kind: 'IndexStmt', durationMs: 4, grows: { what: 'an index build', tables: ['acct'] } },
    );
    expect(judge(m, large)).toEqual([
      'error: ACCESS EXCLUSIVE on public.acct (5.0M rows, 900.0 MB) is held until COMMIT across statement 2 (line 2), which is an index build on acct (5.0M rows, 900.0 MB), whose time grows with the table: no reads or writes of public.acct meanwhile.',
    ]);
    // The same build on a small table is not slow.
    expect(judge(m)).toEqual([]);
  });

  it('a statement without a reference (the probe could not run) is judged by the slow line alone', () => {
    expect(judge(migration({ durationMs: 1500 })).map((f) => f.split(':')[0])).toEqual(['warning']);
  });
});

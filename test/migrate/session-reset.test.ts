import { describe, expect, it } from 'vitest';
import { sessionResetSql } from '../../src/migrate/session-reset.js';

describe('sessionResetSql', () => {
  const base = { serverVersion: 150000, applicationName: 'tenon migrate (pid 1)' };

  it('on a server connection tenon opened, deallocates with a plain DEALLOCATE ALL', () => {
    const sql = sessionResetSql({ ...base, kind: 'postgres', ownConnection: true });
    expect(sql).toContain('deallocate all');
    expect(sql).not.toContain('pg_prepared_statements');
  });

  it.each([
    ['a db given to the Migrator', { kind: 'postgres' as const, ownConnection: false }],
    ['PGlite', { kind: 'pglite' as const, ownConnection: true }],
  ])('on %s, deallocates only what SQL prepared (from_sql)', (_, session) => {
    const sql = sessionResetSql({ ...base, ...session });
    expect(sql).not.toContain('deallocate all');
    expect(sql).toContain('from pg_prepared_statements where from_sql');
  });
});

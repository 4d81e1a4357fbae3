import { describe, expect, it } from 'vitest';
import { pgDumpCommand, restorableSql } from '../../../src/migrate/trace/live-schema.js';

describe('the live schema copy', () => {
  it("drops pg_dump's psql-only \\restrict lines and keeps the SQL", () => {
    const dump = '\\restrict abc123\nSET lock_timeout = 0;\ncreate schema auth;\n\n\\unrestrict abc123\n';
    expect(restorableSql(dump)).toBe('SET lock_timeout = 0;\ncreate schema auth;\n\n');
  });

  it('runs TENON_PG_DUMP when set, else pg_dump from the PATH', () => {
    expect(pgDumpCommand({ TENON_PG_DUMP: '/opt/pg17/bin/pg_dump' })).toBe('/opt/pg17/bin/pg_dump');
    expect(pgDumpCommand({})).toBe('pg_dump');
  });
});

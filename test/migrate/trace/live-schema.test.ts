import { describe, expect, it } from 'vitest';
import { pgDumpCommand, restorableSql } from '../../../src/migrate/trace/live-schema.js';

describe('the live schema copy', () => {
  it("drops pg_dump's psql-only \\restrict lines and keeps the SQL", () => {
    const dump = '\\restrict abc123\nSET lock_timeout = 0;\ncreate schema auth;\n\n\\unrestrict abc123\n';
    expect(restorableSql(dump)).toBe('SET lock_timeout = 0;\ncreate schema auth;\n\n');
  });

  it('runs the configured pg_dump, else TENON_PG_DUMP, else pg_dump from the PATH', () => {
    const env = { TENON_PG_DUMP: '/opt/pg17/bin/pg_dump' };
    expect(pgDumpCommand('/opt/pg18/bin/pg_dump', env)).toBe('/opt/pg18/bin/pg_dump');
    expect(pgDumpCommand(undefined, env)).toBe('/opt/pg17/bin/pg_dump');
    expect(pgDumpCommand(undefined, {})).toBe('pg_dump');
  });
});

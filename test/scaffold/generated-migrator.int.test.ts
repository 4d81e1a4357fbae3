import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import { generateProject } from '../../src/scaffold/generate.js';
// The runner inside generated projects, imported from its template (copied verbatim into projects).
import { createPgliteDb } from '../../templates/common/src/db/database.js';
import {
  countStatements,
  migrateDown,
  migrateUp,
  migrationStatus,
} from '../../templates/common/src/db/migrator.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-runner-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the generated project’s migration runner', () => {
  it('records migrations in tenon’s history table format, with tenon’s checksum', async () => {
    const dir = join(work, 'blog');
    await generateProject({
      mode: 'new',
      dir,
      resources: 'Post(title:string), Comment(post:ref(Post), body:text)',
      cwd: work,
    });
    const migrations = join(dir, 'migrations');
    const db = await createPgliteDb('memory');
    try {
      expect(await migrateUp(db, { dir: migrations })).toEqual(['20000101000000_create_schema.sql']);
      const { rows } = await db.query<Record<string, unknown>>('select * from public.tenon_migrations');
      const file = readFileSync(join(migrations, '20000101000000_create_schema.sql'), 'utf8');
      expect(rows).toEqual([
        expect.objectContaining({
          version: '20000101000000',
          name: 'create_schema',
          checksum: migrationChecksum(file),
          state: 'applied',
          error: null,
        }),
      ]);
      const columns = await db.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = 'tenon_migrations' order by ordinal_position`,
      );
      expect(columns.rows.map((c) => c.column_name)).toEqual([
        'version',
        'name',
        'checksum',
        'state',
        'statements_done',
        'statements_total',
        'applied_at',
        'execution_ms',
        'applied_by',
        'error',
      ]);
      expect(await migrateUp(db, { dir: migrations })).toEqual([]);
      expect(await migrationStatus(db, { dir: migrations })).toEqual([
        { version: '20000101000000', name: 'create_schema', state: 'applied' },
      ]);
      expect(await migrateDown(db, { dir: migrations })).toEqual(['20000101000000_create_schema.sql']);
      expect(await migrationStatus(db, { dir: migrations })).toEqual([
        { version: '20000101000000', name: 'create_schema', state: 'pending' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('counts statements the way the history table expects', () => {
    expect(
      countStatements(
        "create table a (x text default ';');\n-- a; comment\ncreate function f() returns int as $$ select 1; $$ language sql;",
      ),
    ).toBe(2);
  });
});

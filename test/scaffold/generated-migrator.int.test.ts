import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationChecksum } from '../../src/core/migration/migration-file.js';
import { generateProject } from '../../src/scaffold/generate.js';
// The runner inside generated projects, imported from its template (copied verbatim into projects).
import { loadConfig } from '../../templates/common/src/config.js';
import { createPgliteDb, createPostgresDb } from '../../templates/common/src/db/database.js';
import { migrationConfig } from '../../templates/common/src/db/migration-config.js';
import {
  countStatements,
  migrateDown,
  migrateUp,
  migrationStatus,
} from '../../templates/common/src/db/migrator.js';
import { createTempDatabase, requirePostgres } from '../support/services.js';

const server = await requirePostgres();

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

  it.skipIf(!server.available)(
    `runs migrations without the service's statement timeout, which would cut an index build or a backfill ${server.reason}`,
    async () => {
      const database = await createTempDatabase(undefined, 'tenon_runner');
      const dir = join(work, 'slow');
      mkdirSync(dir, { recursive: true });
      // A step longer than the service's statement timeout (200 ms here, 5 s by default).
      writeFileSync(
        join(dir, '20240101000000_backfill.sql'),
        '-- migrate:up\nselect pg_sleep(0.6);\ncreate table done (id int);\n\n-- migrate:down\ndrop table done;\n',
      );
      const config = loadConfig(
        { DATABASE_URL: database.url, DB_STATEMENT_TIMEOUT_MS: '200' },
        { signsTokens: false },
      );
      try {
        // The service's own settings cancel it (what the runner did before) …
        const service = createPostgresDb(config);
        await expect(migrateUp(service, { dir }).finally(() => service.close())).rejects.toThrow(
          /statement timeout/,
        );
        // … the migration step's do not.
        const db = createPostgresDb(migrationConfig(config));
        try {
          expect(await migrateUp(db, { dir })).toEqual(['20240101000000_backfill.sql']);
        } finally {
          await db.close();
        }
      } finally {
        await database.drop();
      }
    },
  );
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { grantAppRole } from '../../src/db/app-role.js';
import { createPostgresDb } from '../../src/db/database.js';
import { createTestDatabase, TEST_ENV } from './database.js';
import { newSession } from './sessions.js';
import { serveApp } from './test-app.js';

const DATABASE_URL = process.env.DATABASE_URL;
const REQUIRED = process.env.TEST_REQUIRE_SERVICES === '1';

/** Runs one statement as `url`'s role; resolves with the SQLSTATE it failed with, or 'ok'. */
async function as(url: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}

describe('least privilege: the service connects as a role with data rights only', () => {
  it.runIf(!DATABASE_URL && REQUIRED)('needs DATABASE_URL (TEST_REQUIRE_SERVICES=1 says PostgreSQL must be there)', () => {
    expect.fail('DATABASE_URL is not set');
  });

  it.skipIf(!DATABASE_URL)(
    'npm run migrate (DB_APP_ROLE) creates the role and grants; the app works as it; DDL, TRUNCATE and the history are refused; later tables are covered [server PostgreSQL only]',
    async () => {
      const database = await createTestDatabase();
      const role = `app_rw_${randomBytes(4).toString('hex')}`;
      const password = randomBytes(18).toString('base64url');
      const history = `${database.schema}.tenon_migrations`;
      const admin = new pg.Client({ connectionString: DATABASE_URL });
      await admin.connect();
      try {
        expect(await grantAppRole(database.db, { role, password, historyTable: history })).toEqual({ created: true });
        // Every migrate run grants again (idempotent) and creates nothing.
        expect(await grantAppRole(database.db, { role, historyTable: history })).toEqual({ created: false });
        const url = new URL(database.config.DATABASE_URL!);
        url.username = role;
        url.password = password;

        // The app, connected as that role, creates a user and signs it in (insert, select, update).
        const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url.toString(), DB_POOL_MAX: '2' });
        const db = createPostgresDb(config);
        const app = await serveApp({ db, config, schema: database.schema, drop: () => db.close() });
        try {
          const session = await newSession(app, 'user');
          expect(session.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        } finally {
          await app.close();
        }

        // 42501: insufficient privilege. The role may not change the schema, empty tables or read the history.
        expect(await as(url.toString(), 'create table intruder (id int)')).toBe('42501');
        expect(await as(url.toString(), 'drop table auth_users')).toBe('42501');
        expect(await as(url.toString(), 'alter table auth_users add column extra text')).toBe('42501');
        expect(await as(url.toString(), 'truncate auth_users')).toBe('42501');
        expect(await as(url.toString(), 'select * from tenon_migrations')).toBe('42501');
        expect(await as(url.toString(), 'select count(*) from auth_users')).toBe('ok');

        // A table a later migration creates (as the owner) is covered by the default privileges.
        await database.db.exec('create table later_table (id bigint generated always as identity primary key, note text)');
        expect(await as(url.toString(), "insert into later_table (note) values ('x')")).toBe('ok');
        expect(await as(url.toString(), 'delete from later_table')).toBe('ok');
      } finally {
        await database.drop();
        // Roles belong to the cluster, not the schema: take its default privileges back and drop it.
        await admin.query(`drop owned by ${role}`);
        await admin.query(`drop role if exists ${role}`);
        await admin.end();
      }
    },
  );
});

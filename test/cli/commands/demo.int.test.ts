import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../../src/demo/index.js';
import { runTenon } from '../../support/cli.js';
import {
  createTempDatabase,
  requireExtPostgres,
  requirePostgres,
  type TempDatabase,
} from '../../support/services.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-demo-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tenon demo: usage errors', () => {
  it.each([
    [['--duration', 'soon'], /--duration expects a duration/],
    [['--rate', '0'], /--rate expects a positive number/],
    [['--framework', 'koa'], /koa/],
  ])('%j is refused with exit 2', async (args, message) => {
    const run = await runTenon(['demo', ...args], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/TENON_CLI_USAGE/);
    expect(run.stderr).toMatch(message);
  });
});

const server = await requirePostgres();
describe.skipIf(!server.available)('tenon demo --database-url (server PostgreSQL)', () => {
  let temp: TempDatabase | undefined;
  afterAll(async () => temp?.drop());

  it('refuses a database that already has the demo tables', async () => {
    temp = await createTempDatabase();
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    await client.query('create table products (id int)');
    await client.end();
    const run = await runTenon(['demo', '--dir', 'taken', '--database-url', temp.url, '--duration', '1s'], {
      cwd: work,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TENON_DEMO_DATABASE_NOT_EMPTY');
  });
});

const ext = await requireExtPostgres();
describe.skipIf(!ext.available)('tenon demo on a server with pg_stat_statements', () => {
  let temp: TempDatabase | undefined;
  afterAll(async () => temp?.drop());

  it('finds and fixes the planted slow query there too (CREATE INDEX CONCURRENTLY)', async () => {
    temp = await createTempDatabase(ext.url);
    const run = await runTenon(
      ['demo', '--dir', 'server', '--database-url', temp.url, '--duration', '2s', '--json'],
      {
        cwd: work,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as DemoResult;
    expect(result.database.kind).toBe('postgres');
    expect(result.planted?.check).toBe('missing-index');
    // The load run itself saw it from the database's side: the heaviest statement of the run before the fix.
    expect(result.before.result.signals?.db?.statements?.top[0]?.query).toMatch(
      /from products where category/,
    );
    expect(result.fix.applied).toHaveLength(1);
    const client = new pg.Client({ connectionString: temp.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ indexdef: string }>(
        "select indexdef from pg_indexes where tablename = 'products' and indexdef ilike '%(category%'",
      );
      expect(rows).toHaveLength(1);
      const valid = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname like 'products_category%' and i.indisvalid",
      );
      expect(valid.rows[0]!.n).toBe(1);
    } finally {
      await client.end();
    }
  }, 300_000);
});

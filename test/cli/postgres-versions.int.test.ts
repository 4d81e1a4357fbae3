import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTenon } from '../support/cli.js';
import { startHttpServer } from '../support/load-servers.js';
import {
  OTHER_MAJORS,
  requirePostgresVersion,
  startCluster,
  type VersionCluster,
} from '../support/postgres-versions.js';

/**
 * The three database parts on every PostgreSQL major the docs promise
 * (13–18; 15, the system's, is what every other test runs on): a throwaway
 * cluster of each, from the server builds scripts/postgres-versions.sh
 * installs, with pg_stat_statements preloaded.
 */
describe.each(OTHER_MAJORS.map((major) => ({ major, ...requirePostgresVersion(major) })))(
  'PostgreSQL $major',
  ({ major, available, reason, bin }) => {
    let cluster: VersionCluster;
    let url: string;
    let client: pg.Client;
    let dir: string;

    beforeAll(async () => {
      if (!available) return;
      cluster = await startCluster(bin);
      url = cluster.url.replace(/\/postgres$/, '/app');
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('create database app');
      await admin.end();
      client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('create extension pg_stat_statements');
      await client.query(
        `create table items (id bigserial primary key, category int not null, name text not null);
         insert into items (category, name) select g % 500, 'item ' || g from generate_series(1, 50000) g;
         analyze items`,
      );
      dir = mkdtempSync(join(tmpdir(), `tenon-pg${major}-`));
    }, 60_000);

    afterAll(async () => {
      await client?.end();
      await cluster?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.skipIf(!available)(
      `migrate: applies, runs non-transactional files, and checks SQL with this server's grammar ${reason}`,
      async () => {
        const migrations = join(dir, 'migrations');
        const write = (name: string, up: string) =>
          writeFileSync(join(migrations, `${name}.sql`), `-- migrate:up\n${up}\n\n-- migrate:down\n`);
        mkdirSync(migrations);
        write(
          '20260101000001_orders',
          'create table orders (id bigint primary key, item_id bigint not null);',
        );
        write('20260101000002_orders_item', 'create index concurrently orders_item_idx on orders (item_id);');
        // Valid from PostgreSQL 16 only: older servers must refuse it before anything runs.
        write('20260101000003_newer', 'create view one as select * from (select 1 as n);');
        const up = await runTenon(['migrate', 'up', '--dir', migrations, '--database-url', url, '--json']);
        if (major >= 16) {
          expect(up.code, up.stderr).toBe(0);
          expect(JSON.parse(up.stdout).migrations).toHaveLength(3);
          const { rows } = await client.query(
            "select indisvalid from pg_index where indexrelid = 'orders_item_idx'::regclass",
          );
          expect(rows).toEqual([{ indisvalid: true }]);
        } else {
          expect(up.code).not.toBe(0);
          expect(up.stderr).toMatch(
            new RegExp(
              `TENON_SQL_UNSUPPORTED_BY_SERVER[\\s\\S]*PostgreSQL ${major} cannot parse this SQL: subquery in FROM must have an alias`,
            ),
          );
          const { rows } = await client.query(
            "select count(*)::int as n from pg_class where relname = 'orders'",
          );
          expect(rows).toEqual([{ n: 0 }]);
        }
      },
    );

    it.skipIf(!available)(
      `analyze: names the unindexed lookup from pg_stat_statements and writes its index ${reason}`,
      async () => {
        await client.query('select pg_stat_statements_reset()');
        for (let i = 0; i < 30; i++)
          await client.query('select id, name from items where category = $1', [i]);
        const run = await runTenon(['db', 'suggest-indexes', '--database-url', url, '--json']);
        expect(run.code, run.stderr).toBe(0);
        const advice = JSON.parse(run.stdout);
        const items = advice.recommendations.find((r: { table: string }) => r.table === 'public.items');
        expect(items?.columns).toEqual(['category']);
        expect(items.queries[0].query).toMatch(/from items where category = \$1/);
      },
    );

    it.skipIf(!available)(
      `load --db: samples this server and names the statement behind the requests ${reason}`,
      async () => {
        const pool = new pg.Pool({ connectionString: url, max: 4 });
        const target = await startHttpServer(async (_req, res) => {
          const { rows } = await pool.query('select count(*)::int as n from items where name = $1', [
            'item 7',
          ]);
          res.end(String(rows[0].n));
        });
        try {
          const run = await runTenon(['load', target.url, '-n', '60', '-c', '2', '--db', url, '--json']);
          const result = JSON.parse(run.stdout);
          expect(result.requests.ok).toBe(60);
          expect(Math.floor(result.signals.db.serverVersion / 10_000)).toBe(major);
          expect(result.signals.db.notes).toEqual([]);
          expect(result.signals.db.statements.top[0].query).toMatch(/from items where name = \$1/);
          expect(result.signals.db.series.some((p: { sessions: unknown }) => p.sessions !== null)).toBe(true);
        } finally {
          await target.close();
          await pool.end();
        }
      },
    );
  },
);

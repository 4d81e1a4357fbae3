import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../src/core/db/index.js';
import { Migrator } from '../../src/migrate/index.js';
import {
  createTempDatabase,
  requireCommand,
  requireCorpus,
  requireExtPostgres,
  type TempDatabase,
} from '../support/services.js';
import { type RoundTrip, roundTrip, run, timeLines } from './fixtures/fix-round-trip.js';
import { pagilaWorkload } from './fixtures/pagila-workload.js';
import { describeFindings } from './fixtures/second-round.js';
import { resetStatements } from './fixtures/shop-fixture.js';

const ext = await requireExtPostgres();
const psql = requireCommand('psql');
const pagila = requireCorpus('db/pagila');
const ready = ext.available && psql.available && pagila.available;

describe.skipIf(!ready)(
  `tenon db on Pagila with a rental-app workload (${ext.reason}${psql.reason}${pagila.reason})`,
  () => {
    let temp: TempDatabase;
    let db: Database;
    let trip: RoundTrip;

    beforeAll(async () => {
      temp = await createTempDatabase(ext.url, 'tenon_pagila');
      for (const file of ['pagila-schema.sql', 'pagila-data.sql']) {
        await run(psql.path, [
          '-q',
          '-X',
          '-v',
          'ON_ERROR_STOP=1',
          '-d',
          temp.url,
          '-f',
          join(pagila.dir, file),
        ]);
      }
      db = await connect({ databaseUrl: temp.url });
      await db.exec('create extension if not exists pg_stat_statements');
      await db.exec('vacuum analyze');
      await resetStatements(db);
      await db.withSession((s) => pagilaWorkload(s));
      trip = await roundTrip(db, temp.url, { minStatsAge: 0 }, (s) => pagilaWorkload(s));
      const warnings = (r: RoundTrip['first']) =>
        r.findings.filter((f) => f.severity !== 'info').map((f) => `  ${f.check}: ${f.title}`);
      console.log(
        [
          `Pagila: first run ${trip.first.findings.length} findings, ${trip.migrations.length} migrations written`,
          ...warnings(trip.first),
          ...trip.migrations.map(
            (m) =>
              `  up: ${m.split('-- migrate:up\n')[1]!.split('\n-- migrate:down')[0]!.trim().replace(/\n/g, '\n      ')}`,
          ),
          'statement time before → after (pg_stat_statements mean):',
          ...timeLines(trip, 10),
          `second run: ${trip.second.findings.length} findings, ${trip.caused.length} caused by tenon's fixes`,
          ...warnings(trip.second),
        ].join('\n'),
      );
    }, 300_000);

    afterAll(async () => {
      await db?.close();
      await temp?.drop();
    });

    it('proposes the kinds of index the workload needs, folding foreign-key indexes into composites', () => {
      const recs = trip.first.indexAdvice!.recommendations;
      const byTable = (table: string) => recs.filter((r) => r.table === table);
      // The paginated history: equality column then the sort key, in its direction.
      expect(
        byTable('public.rental').some(
          (r) => r.columns[0] === 'customer_id' && r.columns.includes('rental_date'),
        ),
      ).toBe(true);
      // The title search box (20 a page): a trigram index, with pg_trgm created by the migration.
      expect(byTable('public.film').some((r) => r.indexType === 'gin-trgm' && r.columns[0] === 'title')).toBe(
        true,
      );
      // The description search returns about 10 % of film a call (measured): the planner keeps the
      // sequential scan at that share, so no index is built for it, and the notes say why.
      expect(byTable('public.film').some((r) => r.columns[0] === 'description')).toBe(false);
      expect(trip.first.indexAdvice!.notes.join('\n')).toMatch(
        /no trigram index on public\.film for "select film_id, title, release_year from film where description ilike \$1": it returns \d+ rows a call \(measured, \d+ % of the table\)/,
      );
      const text = trip.migrations.join('\n');
      expect(text).toContain('CREATE EXTENSION IF NOT EXISTS pg_trgm;');
      // rental(customer_id) is a foreign key without an index: folded into the composite, never built twice.
      const fk = trip.first.findings.find(
        (f) => f.check === 'missing-fk-index' && f.title.startsWith('public.rental(customer_id)'),
      );
      expect(fk?.fix?.up).toMatch(/ON public\.rental \(customer_id, rental_date/);
      expect(text).not.toMatch(/ON public\.rental \(customer_id\);/);
    });

    it('builds indexes on the partitioned payment table ON ONLY the parent, per partition, and attaches them', () => {
      const payment = trip.migrations.find((m) => /ON ONLY public\.payment /.test(m));
      expect(payment, trip.migrations.join('\n---\n')).toBeDefined();
      expect(payment).toMatch(/CREATE INDEX CONCURRENTLY IF NOT EXISTS \S+ ON public\.payment_p2022_07 /);
      expect(payment).toMatch(/ALTER INDEX public\.\S+ ATTACH PARTITION public\.\S+;/);
      expect(payment).not.toMatch(/CREATE INDEX CONCURRENTLY[^;]* ON public\.payment \(/);
    });

    it('cuts the statement time and causes no finding of its own in the second round', () => {
      const total = (m: RoundTrip['before']) => [...m.values()].reduce((sum, s) => sum + s.totalMs, 0);
      console.log(
        `Pagila workload total time: ${total(trip.before).toFixed(1)} ms → ${total(trip.after).toFixed(1)} ms`,
      );
      expect(total(trip.after)).toBeLessThan(total(trip.before));
      // Convergence: the second round advises nothing for a statement the first round priced
      // (its advice applied, or judged not worth an index). The only advice it may add is for a
      // statement the first round left out as fast, when its measured mean crossed minQueryMean
      // (100 µs): the login lookup by email in 599 customers takes 0.07–0.10 ms and crosses it
      // when the machine is loaded. That is the bar working on a new measurement, not a fix
      // of round one coming back — nor a finding the fixes caused, though it names a table they
      // touched (CI, load ~5: "missing-index: public.customer (email)", mean 0.21 ms).
      const fastInFirst = new Set(
        trip.first
          .indexAdvice!.skipped.filter((s) => s.reason.includes('under minQueryMean'))
          .map((s) => s.query),
      );
      const newlyMeasured = (f: (typeof trip.caused)[number]) => {
        const queries = (f.evidence as { queries?: { query: string }[] }).queries ?? [];
        return (
          f.check === 'missing-index' && queries.length > 0 && queries.every((q) => fastInFirst.has(q.query))
        );
      };
      const caused = trip.caused.filter((f) => !newlyMeasured(f));
      expect(caused, describeFindings(caused)).toEqual([]);
      const unexplained = (trip.second.indexAdvice?.recommendations ?? []).filter((r) =>
        r.queries.some((q) => !fastInFirst.has(q.query)),
      );
      expect(unexplained.map((r) => `${r.table} (${r.columns.join(', ')})`)).toEqual([]);
    });

    it('writes migrations that apply on PGlite too (Pagila schema)', async () => {
      const lite = await connect({ databaseUrl: 'pglite://memory' });
      try {
        await lite.exec(readFileSync(join(pagila.dir, 'pagila-schema.sql'), 'utf8'));
        // The dump empties search_path for its session, and PGlite has only that one session.
        await lite.exec('reset search_path');
        const migrator = new Migrator({ db: lite, dir: join(trip.project, 'migrations') });
        const up = await migrator.up();
        expect(up.migrations.map((m) => m.status)).toEqual(trip.migrations.map(() => 'applied'));
        const { rows } = await lite.query<{ n: string }>(
          `select count(*)::text as n from pg_index i join pg_class c on c.oid = i.indexrelid
         where not i.indisvalid and c.relnamespace = 'public'::regnamespace`,
        );
        expect(rows[0]!.n).toBe('0');
      } finally {
        await lite.close();
      }
    }, 120_000);
  },
);

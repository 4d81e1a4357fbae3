import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/index.js';
import { runTenon } from '../../support/cli.js';

describe('tenon db analyze (CLI, PGlite)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tenon-db-cli-'));
  const env = { TENON_ANALYZE_MIN_STATS_AGE: '0' };

  beforeAll(async () => {
    // The default database: PGlite in .tenon/pglite under the working directory.
    const db = await connect({ cwd });
    try {
      await db.exec(`
        create extension pg_stat_statements;
        create table authors (id bigint generated always as identity primary key, name text not null);
        create table books (id bigint generated always as identity primary key,
          author_id bigint not null references authors (id), title text not null);
        insert into authors (name) select 'a' || g from generate_series(1, 500) g;
        insert into books (author_id, title) select 1 + g % 500, 't' || g from generate_series(1, 5000) g;
        analyze;
      `);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('prints findings grouped by severity, and which checks did not run and why', async () => {
    const run = await runTenon(['db', 'analyze', '--no-color'], { cwd, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^WARNING \(\d+\)$/m);
    expect(run.stdout).toContain(
      'missing-fk-index     public.books(author_id) references public.authors but has no index',
    );
    expect(run.stdout).toContain(
      'fix (migration): CREATE INDEX CONCURRENTLY IF NOT EXISTS books_author_id_idx ON public.books (author_id);',
    );
    // A new process on a PGlite directory starts with empty counters: said, not silently passed.
    expect(run.stdout).toMatch(
      /unused-index +not run: the usage counters are empty: PGlite keeps usage statistics/,
    );
    expect(run.stdout).toMatch(/slow-query +not run: pg_stat_statements has recorded no statements/);
    expect(run.stdout).toMatch(/connections +not run: PGlite has a single connection/);
    expect(run.stdout).toMatch(/\d+ critical, \d+ warnings?, \d+ info · 21 checks \(10 ran, 11 not run\)/);
  });

  it('prints JSON with findings, checks, capabilities and server; writes migrations and HTML', async () => {
    const run = await runTenon(
      [
        'db',
        'analyze',
        '--json',
        '--only',
        'missing-fk-index,unused-index',
        '--write-migrations',
        '--html',
        'report.html',
      ],
      { cwd, env },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.findings).toEqual([
      expect.objectContaining({
        check: 'missing-fk-index',
        severity: 'warning',
        object: expect.objectContaining({ name: 'books_author_id_fkey' }),
      }),
    ]);
    expect(out.checks.map((c: { id: string }) => c.id)).toEqual(['missing-fk-index', 'unused-index']);
    expect(out.capabilities).toMatchObject({ kind: 'pglite', pgStatStatements: { available: false } });
    expect(out.server).toMatchObject({ kind: 'pglite', version: expect.any(Number) });
    expect(readdirSync(join(cwd, 'migrations'))).toEqual([
      expect.stringMatching(/^\d{14}_add_index_books_author_id_idx\.sql$/),
    ]);
    expect(readFileSync(join(cwd, 'report.html'), 'utf8')).toContain('<!doctype html>');
  });

  it('fails with exit 1 on --fail-on warning, and exit 2 on an unknown check', async () => {
    const fail = await runTenon(['db', 'analyze', '--only', 'missing-fk-index', '--fail-on', 'warning'], {
      cwd,
      env,
    });
    expect(fail.code).toBe(1);
    const unknown = await runTenon(['db', 'analyze', '--only', 'missing-fk-idx'], { cwd, env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('TENON_ANALYZE_UNKNOWN_CHECK');
    expect(unknown.stderr).toContain('missing-fk-index');
  });

  it('suggest-indexes prices the statements of a --queries file and prints cost before and after', async () => {
    writeFileSync(
      join(cwd, 'queries.sql'),
      'select title from books where author_id = $1;\nselect id from authors where name = $1;\n',
    );
    const run = await runTenon(
      ['db', 'suggest-indexes', '--no-color', '--queries', 'queries.sql', '--min-calls', '5'],
      { cwd, env: { ...env, TENON_ANALYZE_MIN_QUERY_COST: '5' } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS books_author_id_idx ON public.books (author_id);',
    );
    expect(run.stdout).toMatch(/real-index, high confidence/);
    expect(run.stdout).toMatch(/cost [\d.]+ → [\d.]+ \(−\d+%\)/);
  });
});

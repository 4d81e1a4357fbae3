import { describe, expect, it } from 'vitest';
import { lintMigrations } from '../../../src/migrate/lint/lint-migrations.js';
import { lintFiles, migrationText, rulesOf } from './support.js';

describe('lintMigrations: the set', () => {
  it('a table created earlier in the set is new: no lock or rewrite findings on it, in later files too', async () => {
    const result = await lintFiles({
      '20260101000001_create.sql': 'create table orders (id bigint primary key, total int);',
      '20260101000002_index.sql':
        'create index orders_total on orders (total); alter table orders add column token uuid default gen_random_uuid();',
      '20260101000003_other.sql': 'create index users_email on users (email);',
    });
    expect(result.findings.filter((f) => f.rule !== 'prefer-bigint').map((f) => [f.file, f.rule])).toEqual([
      ['20260101000003_other.sql', 'index-not-concurrent'],
    ]);
    expect(result.suppressed.filter((s) => s.reason === 'new-table').map((s) => s.rule)).toEqual(
      expect.arrayContaining(['index-not-concurrent', 'add-column-rewrite']),
    );
  });

  it('resolves unqualified names with the search_path the migration sets', async () => {
    const result = await lintFiles({
      '20260101000001_schema.sql': 'create schema ows; create table ows.instances (id bigint, status int);',
      '20260101000002_index.sql':
        'set search_path to ows; create index instances_status on instances (status);',
      '20260101000003_public.sql': 'create index instances_status2 on instances (status);',
    });
    const index = result.findings.filter((f) => f.rule === 'index-not-concurrent');
    // The second file's `instances` is ows.instances (new); the third's is public.instances (not in the set).
    expect(index.map((f) => [f.file, f.table])).toEqual([['20260101000003_public.sql', 'public.instances']]);
  });

  it('a dropped table is no longer new; a renamed new table stays new', async () => {
    const result = await lintFiles({
      '20260101000001_a.sql':
        'create table a (id bigint); alter table a rename to b; create index b_id on b (id);',
      '20260101000002_b.sql': 'drop table b; create index b_id2 on b (id);',
    });
    expect(result.findings.filter((f) => f.rule === 'index-not-concurrent').map((f) => f.file)).toEqual([
      '20260101000002_b.sql',
    ]);
  });

  it('places findings at the clause they are about: file line and column, after markers, comments and UTF-8', async () => {
    const text =
      '-- a comment before the marker: ünïcödé\n-- migrate:up\n-- why: naïve\nalter table users\n  add column score float8 default random();\n';
    const result = await lintMigrations({ sources: [{ file: 'x.sql', text }] });
    const finding = result.findings.find((f) => f.rule === 'add-column-rewrite');
    expect(finding).toMatchObject({ line: 5, column: 35, statement: 1, section: 'up' });
  });

  it('lints down sections only when asked, each against the live schema', async () => {
    const text = migrationText('create table t (id bigint);', 'drop table t;');
    const up = await lintMigrations({ sources: [{ file: 'x.sql', text }] });
    expect(rulesOf(up)).not.toContain('drop-table');
    const both = await lintMigrations({ sources: [{ file: 'x.sql', text }], down: true });
    expect(both.findings.filter((f) => f.rule === 'drop-table').map((f) => [f.section, f.line])).toEqual([
      ['down', 5],
    ]);
  });

  it('lints a file without markers as one plain script', async () => {
    const result = await lintMigrations({
      sources: [{ file: 'plain.sql', text: 'alter table users drop column legacy;\n' }],
    });
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([['drop-column', 1]]);
  });

  it('reports unparsable files as errors with file, line and column, and lints the others', async () => {
    const result = await lintFiles({
      '20260101000001_bad.sql': 'alter table users add column x int;\nalter tabel users drop column y;',
      '20260101000002_good.sql': 'alter table users drop column legacy;',
    });
    expect(result.errors).toEqual([
      expect.objectContaining({ file: '20260101000001_bad.sql', line: 3, code: 'TENON_SQL_PARSE_FAILED' }),
    ]);
    expect(rulesOf(result)).toEqual(['drop-column']);
  });

  it('honours `-- migrate:up transaction:false`: nothing is held across statements then', async () => {
    const sql = "alter table users add column plan text; update users set plan = 'free';";
    const tx = await lintFiles({ '20260101000001_a.sql': sql });
    expect(rulesOf(tx)).toContain('exclusive-lock-held');
    const outside = await lintMigrations({
      sources: [{ file: '20260101000001_a.sql', text: `-- migrate:up transaction:false\n${sql}\n` }],
    });
    expect(rulesOf(outside)).not.toContain('exclusive-lock-held');
  });

  it('sorts findings by file order, then line, and counts them', async () => {
    const result = await lintFiles({
      '20260101000002_b.sql': 'alter table users drop column b;',
      '20260101000001_a.sql': 'alter table users drop column a;\nalter table users rename column c to d;',
    });
    expect(result.findings.map((f) => [f.file, f.line])).toEqual([
      ['20260101000002_b.sql', 2],
      ['20260101000001_a.sql', 2],
      ['20260101000001_a.sql', 3],
    ]);
    expect(result.counts).toEqual({ error: 0, warning: 3, info: 0 });
    expect(result.statements).toBe(3);
  });

  it('gives each finding a fingerprint that survives edits elsewhere in the file', async () => {
    const a = await lintFiles({ 'x.sql': 'alter table users drop column legacy;' });
    const b = await lintFiles({
      'x.sql': '\n\n-- added later\ncreate table t (id bigint);\nalter table users drop column legacy;',
    });
    const fp = (r: typeof a) => r.findings.find((f) => f.rule === 'drop-column')?.fingerprint;
    expect(fp(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(fp(b)).toBe(fp(a));
  });
});

describe('lintMigrations: switching findings off', () => {
  it('a comment before a statement switches the named rules off for it, with a reason', async () => {
    const result = await lintFiles({
      'x.sql':
        '-- tenon-lint-disable drop-column -- unused since v2\nalter table users drop column legacy;\nalter table users drop column other;',
    });
    expect(result.findings.map((f) => [f.rule, f.line])).toEqual([['drop-column', 4]]);
    expect(result.suppressed).toEqual([{ file: 'x.sql', line: 3, rule: 'drop-column', reason: 'comment' }]);
  });

  it('a comment at the end of a statement applies to that statement', async () => {
    const result = await lintFiles({
      'x.sql':
        'alter table users drop column legacy; -- tenon-lint-disable drop-column\nalter table users drop column other;',
    });
    expect(result.findings.map((f) => f.line)).toEqual([3]);
  });

  it('tenon-lint-disable-file covers the section; no rule named means all rules', async () => {
    const file = await lintFiles({
      'x.sql':
        'alter table users drop column a;\n-- tenon-lint-disable-file drop-column\nalter table users drop column b;',
    });
    expect(file.findings).toEqual([]);
    const all = await lintFiles({
      'x.sql': '/* tenon-lint-disable */ alter table users drop column a, alter column b type int;',
    });
    expect(all.findings).toEqual([]);
    expect(all.suppressed.map((s) => s.rule).sort()).toEqual([
      'change-column-type',
      'drop-column',
      'prefer-bigint',
    ]);
  });

  it('a directive inside a string is not a directive; an unknown rule is a warning', async () => {
    const result = await lintFiles({
      'x.sql':
        "comment on table users is '-- tenon-lint-disable drop-column';\nalter table users drop column a;\n-- tenon-lint-disable no-such-rule\nalter table users drop column b;",
    });
    expect(result.findings.map((f) => f.line)).toEqual([3, 5]);
    expect(result.warnings).toEqual(['x.sql:4: tenon-lint-disable names an unknown rule "no-such-rule"']);
  });

  it('disable and severity options switch rules off or change their level; unknown names are refused', async () => {
    const files = { 'x.sql': 'alter table users drop column a;\nalter table users rename column b to c;' };
    expect(rulesOf(await lintFiles(files, { disable: ['drop-column'] }))).toEqual(['rename-column']);
    const levels = await lintFiles(files, { severity: { 'drop-column': 'error', 'rename-column': 'off' } });
    expect(levels.findings.map((f) => [f.rule, f.severity])).toEqual([['drop-column', 'error']]);
    await expect(lintFiles(files, { disable: ['drop-colum'] })).rejects.toMatchObject({
      code: 'TENON_CONFIG_INVALID',
      message: 'Unknown lint rule: drop-colum.',
    });
  });
});

describe('lintMigrations: versions', () => {
  it('before PostgreSQL 11 any default rewrites; from 11 only volatile ones', async () => {
    const sql = 'alter table users add column active boolean not null default false;';
    expect(rulesOf(await lintFiles({ 'x.sql': sql }, { serverVersion: 100000 }))).toContain(
      'add-column-rewrite',
    );
    expect(rulesOf(await lintFiles({ 'x.sql': sql }, { serverVersion: 110000 }))).not.toContain(
      'add-column-rewrite',
    );
  });

  it('defaults to PostgreSQL 13 and says where the version came from', async () => {
    const none = await lintFiles({ 'x.sql': 'select 1;' });
    expect([none.serverVersion, none.serverVersionFrom, none.live]).toEqual([130000, 'default', false]);
    const given = await lintFiles({ 'x.sql': 'select 1;' }, { serverVersion: 160002 });
    expect([given.serverVersion, given.serverVersionFrom]).toEqual([160002, 'option']);
  });
});

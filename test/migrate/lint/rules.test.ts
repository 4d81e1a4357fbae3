import { describe, expect, it } from 'vitest';
import { lintFiles } from './support.js';

const only = async (rule: string, files: Record<string, string>, options = {}) =>
  (await lintFiles(files, options)).findings.filter((f) => f.rule === rule);

describe('add-column-rewrite', () => {
  it('a function tenon does not know is a warning that says how to find out', async () => {
    const [f] = await only('add-column-rewrite', {
      'x.sql': 'alter table t add column c text default make_code();',
    });
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toContain('make_code()');
    expect(f!.message).toContain('--database-url');
  });

  it('volatile defaults, identity and serial are errors; constants and stable calls are fine', async () => {
    const findings = await only('add-column-rewrite', {
      'x.sql':
        "alter table t add column a uuid default gen_random_uuid(), add column b int generated always as identity, add column c bigserial, add column d timestamptz default now(), add column e text default 'x' || 'y';",
    });
    expect(findings.map((f) => [f.severity, f.message.split(' ').slice(0, 3).join(' ')])).toEqual([
      ['error', 'The default of'],
      ['error', 't.b is an'],
      ['error', 't.c is bigserial:'],
    ]);
  });
});

describe('set-not-null', () => {
  it('is satisfied by a CHECK validated in an earlier migration (PostgreSQL 12+)', async () => {
    const files = {
      '1.sql': 'alter table users add constraint nn check (email is not null) not valid;',
      '2.sql': 'alter table users validate constraint nn;',
      '3.sql': 'alter table users alter column email set not null;',
    };
    expect(await only('set-not-null', files)).toEqual([]);
    expect(await only('set-not-null', files, { serverVersion: 110000 })).toHaveLength(1);
    expect(await only('set-not-null', { ...files, '2.sql': 'select 1;' })).toHaveLength(1);
  });
});

describe('change-column-type', () => {
  it('knows a column type from a CREATE TABLE earlier in the set (existing table created in another run)', async () => {
    // The table is new in this set, so findings on it are dropped anyway; the verdict is what matters here.
    const files = { '1.sql': 'create table t (a varchar(20), b int);' };
    const widen = await lintFiles({ ...files, '2.sql': 'alter table t alter column a type text;' });
    expect(widen.suppressed.filter((s) => s.rule === 'change-column-type')).toEqual([]);
    const rewrite = await lintFiles({ ...files, '2.sql': 'alter table t alter column b type bigint;' });
    expect(rewrite.suppressed.map((s) => [s.rule, s.reason])).toContainEqual([
      'change-column-type',
      'new-table',
    ]);
  });

  it('an unknown current type is a warning; a USING expression an error', async () => {
    const [unknown] = await only('change-column-type', {
      'x.sql': 'alter table t alter column a type bigint;',
    });
    expect(unknown).toMatchObject({ severity: 'warning' });
    expect(unknown!.message).toContain('may rewrite');
  });
});

describe('exclusive-lock-held', () => {
  it('reports once per migration, listing the held tables and every slow step', async () => {
    const findings = await only('exclusive-lock-held', {
      'x.sql':
        "alter table users add column plan text;\nupdate users set plan = 'free';\ncreate index users_plan on users (plan);",
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.line).toBe(3);
    expect(findings[0]!.message).toBe(
      'users (since line 2) stays locked ACCESS EXCLUSIVE until this migration commits, through an UPDATE at line 3, an index build at line 4: no reads or writes of users meanwhile.',
    );
  });

  it('a DO block is a warning: tenon cannot see inside', async () => {
    const [f] = await only('exclusive-lock-held', {
      'x.sql': 'alter table users add column plan text;\ndo $$ begin perform 1; end $$;',
    });
    expect(f).toMatchObject({ severity: 'warning' });
  });

  it('knows the table of an index dropped earlier in the set', async () => {
    const [f] = await only('exclusive-lock-held', {
      '1.sql': 'create index concurrently users_email on users (email);',
      '2.sql': 'drop index users_email;\ncreate index users_email2 on users (lower(email));',
    });
    expect(f!.table).toBe('public.users');
  });
});

describe('lock-timeout', () => {
  it('fires only when the runner sets no lock_timeout and the file sets none', async () => {
    const sql = 'alter table users add column a text;\nalter table users add column b text;';
    expect(await only('lock-timeout', { 'x.sql': sql })).toEqual([]);
    const off = await only('lock-timeout', { 'x.sql': sql }, { runnerLockTimeoutMs: 0 });
    expect(off.map((f) => f.line)).toEqual([2]);
    expect(
      await only('lock-timeout', { 'x.sql': `set lock_timeout = '2s';\n${sql}` }, { runnerLockTimeoutMs: 0 }),
    ).toEqual([]);
    expect(
      await only(
        'lock-timeout',
        { 'x.sql': 'create index concurrently i on users (a);' },
        { runnerLockTimeoutMs: 0 },
      ),
    ).toEqual([]);
  });
});

describe('enum-value-in-transaction', () => {
  it('fires in the same migration only, and not outside a transaction', async () => {
    const use = "update people set m = 'happy';";
    expect(
      await only('enum-value-in-transaction', { 'x.sql': `alter type mood add value 'happy';\n${use}` }),
    ).toHaveLength(1);
    expect(
      await only('enum-value-in-transaction', {
        '1.sql': "alter type mood add value 'happy';",
        '2.sql': use,
      }),
    ).toEqual([]);
    const outside = await lintFiles(
      {},
      {
        sources: [
          {
            file: 'x.sql',
            text: `-- migrate:up transaction:false\nalter type mood add value 'happy';\n${use}\n`,
          },
        ],
      },
    );
    expect(outside.findings.filter((f) => f.rule === 'enum-value-in-transaction')).toEqual([]);
  });
});

describe('unique-without-index and prefer-bigint', () => {
  it('USING INDEX of a unique index built earlier passes', async () => {
    expect(
      await only('unique-without-index', {
        '1.sql': 'create unique index concurrently users_email_key on users (email);',
        '2.sql': 'alter table users add constraint users_email_key unique using index users_email_key;',
      }),
    ).toEqual([]);
  });

  it('a key column of type integer is a warning, another integer column info', async () => {
    const findings = await only('prefer-bigint', { 'x.sql': 'create table t (id int primary key, n int);' });
    expect(findings.map((f) => f.severity)).toEqual(['warning', 'info']);
  });
});

describe('transaction-control', () => {
  it('is info on a plain BEGIN … COMMIT around the whole section, which up takes as its transaction', async () => {
    const findings = await only('transaction-control', {
      'x.sql': 'begin;\ncreate table t (id bigint);\ncommit;',
    });
    expect(findings.map((f) => [f.severity, f.line])).toEqual([
      ['info', 2],
      ['info', 4],
    ]);
    expect(findings[0]!.message).toContain("takes it as the migration's transaction");
  });

  it('is an error on any other transaction control, wrapped or not', async () => {
    const findings = await only('transaction-control', {
      'a.sql': 'begin;\ncreate table t (id bigint);\ncommit;\ncreate table u (id bigint);',
      'b.sql': 'begin;\ncreate table v (id bigint);\nsavepoint s;\ncommit;',
    });
    expect(findings.map((f) => [f.file, f.severity, f.line])).toEqual([
      ['a.sql', 'error', 2],
      ['a.sql', 'error', 4],
      ['b.sql', 'error', 2],
      ['b.sql', 'error', 4],
      ['b.sql', 'error', 5],
    ]);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUTH_SCHEMA_VERSION } from '../../src/scaffold/auth-sql.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { diffModels, isEmptyDiff } from '../../src/scaffold/migration-diff.js';
import { initialMigration } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const model = modelFromOpenApi('shop/openapi.yaml', fixtures).model;

describe('auth tables in migrations', () => {
  it('the first migration creates them before the resources, and drops them last', () => {
    const sql = initialMigration({ ...model, auth: AUTH_SCHEMA_VERSION });
    expect(sql.up[0]).toMatch(/^create table auth_users \(/);
    expect(sql.up.join('\n')).toMatch(
      /create unique index auth_users_email_key on auth_users \(lower\(email\)\)/,
    );
    expect(sql.up.join('\n')).toMatch(
      /create table auth_refresh_tokens[\s\S]*token_hash text not null[\s\S]*family_id uuid not null/,
    );
    expect(sql.down.slice(-2)).toEqual([
      'drop table if exists auth_refresh_tokens;',
      'drop table if exists auth_users;',
    ]);
  });

  it('a project generated before them gets them in its next migration, once', () => {
    const before = { ...model };
    delete before.auth;
    const after = { ...model, auth: AUTH_SCHEMA_VERSION };
    const diff = diffModels(before, after);
    expect(diff.up.filter((s) => s.startsWith('create table'))).toEqual([
      expect.stringMatching(/^create table auth_users/),
      expect.stringMatching(/^create table auth_refresh_tokens/),
    ]);
    expect(diff.name).toBe('create_auth_tables_and_owner_foreign_keys');
    expect(diff.down).toContain('drop table if exists auth_users;');
    expect(isEmptyDiff(diffModels(after, after))).toBe(true);
  });
});

describe('revocable tokens and owner foreign keys (auth version 2)', () => {
  const owned = model.resources.filter((r) => r.owned);

  it('new projects: token_version on auth_users, owned tables reference their owner (on delete cascade)', () => {
    expect(owned.length).toBeGreaterThan(0);
    const sql = initialMigration({ ...model, auth: AUTH_SCHEMA_VERSION }).up.join('\n');
    expect(sql).toMatch(/create table auth_users \([\s\S]*token_version integer not null default 0/);
    for (const r of owned) {
      expect(sql).toContain(
        `constraint ${r.table}_owner_id_fkey foreign key (owner_id) references auth_users (id) on delete cascade`,
      );
    }
  });

  it('a project at version 1 gets the column and the keys, orphans losing their owner first', () => {
    const diff = diffModels({ ...model, auth: 1 }, { ...model, auth: AUTH_SCHEMA_VERSION });
    expect(diff.up[0]).toBe(
      'alter table auth_users add column if not exists token_version integer not null default 0;',
    );
    for (const r of owned) {
      const update = diff.up.findIndex((s) => s.startsWith(`update ${r.table} set owner_id = null`));
      const add = diff.up.indexOf(
        `alter table ${r.table} add constraint ${r.table}_owner_id_fkey foreign key (owner_id) references auth_users (id) on delete cascade;`,
      );
      expect(update).toBeGreaterThan(0);
      expect(add).toBe(update + 1);
      expect(diff.down).toContain(
        `alter table ${r.table} drop constraint if exists ${r.table}_owner_id_fkey;`,
      );
    }
    expect(diff.name).toBe('revocable_tokens_and_owner_foreign_keys');
    expect(diff.down.at(-1)).toBe('alter table auth_users drop column if exists token_version;');
  });
});

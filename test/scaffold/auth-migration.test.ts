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
    expect(diff.name).toBe('create_auth_tables');
    expect(diff.down).toContain('drop table if exists auth_users;');
    expect(isEmptyDiff(diffModels(after, after))).toBe(true);
  });
});

import type { MigrationSql } from '../core/migration/migration-file.js';

/**
 * The version of the auth tables this tenon writes (`ApiModel.auth`): 1 the
 * tables, 2 `auth_users.token_version` (access tokens can be revoked) and the
 * foreign key from owned rows to their owner.
 */
export const AUTH_SCHEMA_VERSION = 2;

/**
 * The tables of the generated project's authentication: users (email
 * unique regardless of case, argon2id hash, role, lockout counters, the
 * version every access token must carry) and refresh tokens (only their
 * SHA-256, grouped in families for rotation).
 */
export function authTablesSql(): MigrationSql {
  return {
    up: [
      `create table auth_users (
  id bigint generated always as identity primary key,
  email text not null,
  password_hash text not null,
  role text not null default 'user',
  failed_logins integer not null default 0,
  locked_until timestamptz,
  password_changed_at timestamptz not null default now(),
  token_version integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint auth_users_email_check check (char_length(email) between 3 and 254)
);`,
      'create unique index auth_users_email_key on auth_users (lower(email));',
      `create table auth_refresh_tokens (
  id bigint generated always as identity primary key,
  token_hash text not null,
  family_id uuid not null,
  user_id bigint not null references auth_users (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  constraint auth_refresh_tokens_token_hash_key unique (token_hash)
);`,
      'create index auth_refresh_tokens_family_id_idx on auth_refresh_tokens (family_id);',
      'create index auth_refresh_tokens_user_id_idx on auth_refresh_tokens (user_id);',
    ],
    down: ['drop table if exists auth_refresh_tokens;', 'drop table if exists auth_users;'],
  };
}

/**
 * What a project whose auth tables are at `from` (1) needs to reach
 * {@link AUTH_SCHEMA_VERSION}: the token version (0 for every user, so the
 * access tokens issued before it are refused once and clients refresh).
 */
export function authUpgradeSql(from: number): MigrationSql {
  const up: string[] = [];
  const down: string[] = [];
  if (from < 2) {
    up.push('alter table auth_users add column if not exists token_version integer not null default 0;');
    down.push('alter table auth_users drop column if exists token_version;');
  }
  return { up, down };
}

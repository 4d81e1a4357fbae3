import { createHash } from 'node:crypto';
import type { MigrationSql } from '../core/migration/migration-file.js';
import { quoteIdent as q, quoteLiteral } from '../core/sql/quote.js';
import type { ApiModel, FieldModel, IndexModel, ResourceModel } from './api-model.js';
import { authTablesSql } from './auth-sql.js';
import { clientKey } from './client-key.js';
import { columnNullable } from './json-schemas.js';

export type { MigrationSql };

/** The PostgreSQL column type of a field. */
export function columnType(field: FieldModel, all: readonly ResourceModel[]): string {
  if (field.ref) {
    const target = all.find((r) => r.name === field.ref);
    return target?.idKind === 'uuid' ? 'uuid' : target?.idKind === 'text' ? 'text' : 'bigint';
  }
  switch (field.kind) {
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'number':
      return 'double precision';
    case 'decimal':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'uuid':
      return 'uuid';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamptz';
    case 'json':
      return 'jsonb';
    default:
      return 'text';
  }
}

/** A constraint or index name within PostgreSQL's 63 bytes, stable for the same input. */
export function objectName(table: string, columns: string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}_${suffix}`;
  if (name.length <= 63) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 63 - suffix.length - 10)}_${hash}_${suffix}`;
}

function literal(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return quoteLiteral(value);
}

/** The check expression of a field (enum, bounds, lengths), or undefined. */
export function checkExpression(field: FieldModel): string | undefined {
  const c = q(field.column);
  const parts: string[] = [];
  if (field.kind === 'enum' && field.enumValues)
    parts.push(`${c} in (${field.enumValues.map(literal).join(', ')})`);
  if (field.minimum !== undefined) parts.push(`${c} >= ${field.minimum}`);
  if (field.maximum !== undefined) parts.push(`${c} <= ${field.maximum}`);
  if (field.exclusiveMinimum !== undefined) parts.push(`${c} > ${field.exclusiveMinimum}`);
  if (field.exclusiveMaximum !== undefined) parts.push(`${c} < ${field.exclusiveMaximum}`);
  // A secret's column holds its hash: the lengths are the body's to check.
  if (field.minLength !== undefined && !field.secret) parts.push(`char_length(${c}) >= ${field.minLength}`);
  if (field.maxLength !== undefined && !field.secret) parts.push(`char_length(${c}) <= ${field.maxLength}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/** The SQL of a `jsonDefault`: the JSON text as a jsonb literal. */
export function jsonDefaultSql(json: string): string {
  return `${literal(json)}::jsonb`;
}

/** The SQL of each `serverDefault`. */
export const SERVER_DEFAULTS: Record<NonNullable<FieldModel['serverDefault']>, string> = {
  uuid: 'gen_random_uuid()',
  now: 'now()',
  today: 'current_date',
  emptyObject: "'{}'::jsonb",
  emptyArray: "'[]'::jsonb",
};

/** The column definition inside `create table` / `add column`. */
export function columnDefinition(
  field: FieldModel,
  all: readonly ResourceModel[],
  forceNullable = false,
): string {
  let def = `${q(field.column)} ${columnType(field, all)}`;
  if (field.default !== undefined && field.default !== null && field.kind !== 'json')
    def += ` default ${literal(field.default)}`;
  else if (field.serverDefault) def += ` default ${SERVER_DEFAULTS[field.serverDefault]}`;
  else if (field.kind === 'json' && field.jsonDefault !== undefined)
    def += ` default ${jsonDefaultSql(field.jsonDefault)}`;
  if (!columnNullable(field) && !forceNullable) def += ' not null';
  return def;
}

function fkClause(resource: ResourceModel, field: FieldModel, all: readonly ResourceModel[]): string {
  const target = all.find((r) => r.name === field.ref)!;
  return `constraint ${q(objectName(resource.table, [field.column], 'fkey'))} foreign key (${q(field.column)}) references ${q(target.table)} (id)`;
}

/**
 * The foreign key from an owned resource's `owner_id` to its owner: deleting
 * a user deletes their rows, and no row can name an owner that does not exist.
 */
export function ownerForeignKey(table: string): string {
  return `constraint ${q(objectName(table, ['owner_id'], 'fkey'))} foreign key (owner_id) references auth_users (id) on delete cascade`;
}

/**
 * The owner foreign key added to an owned table that exists already (a
 * project generated before it). Rows whose owner was deleted before it
 * existed keep their data and lose the owner (`owner_id` null: only roles
 * that see every row see them), so the constraint validates.
 */
export function addOwnerForeignKeySql(table: string): MigrationSql {
  const t = q(table);
  return {
    up: [
      `update ${t} set owner_id = null where owner_id is not null and not exists (select 1 from auth_users u where u.id = ${t}.owner_id);`,
      `alter table ${t} add ${ownerForeignKey(table)};`,
    ],
    down: [`alter table ${t} drop constraint if exists ${q(objectName(table, ['owner_id'], 'fkey'))};`],
  };
}

/** `create index` statements of a resource: every foreign key, indexed fields, declared indexes, owner_id. */
export function indexStatements(resource: ResourceModel): string[] {
  const t = resource.table;
  const out: string[] = [];
  for (const f of resource.fields) {
    if ((f.ref || f.indexed) && !f.unique)
      out.push(`create index ${q(objectName(t, [f.column], 'idx'))} on ${q(t)} (${q(f.column)});`);
  }
  for (const index of resource.indexes) out.push(indexStatement(t, index));
  if (resource.owned)
    out.push(`create index ${q(objectName(t, ['owner_id'], 'idx'))} on ${q(t)} (owner_id);`);
  return out;
}

function indexStatement(table: string, index: IndexModel): string {
  const name = objectName(table, index.columns, index.unique ? 'key' : 'idx');
  return `create ${index.unique ? 'unique ' : ''}index ${q(name)} on ${q(table)} (${index.columns.map(q).join(', ')});`;
}

/** Orders resources so referenced tables come first; references that close a cycle are added afterwards. */
export function orderByDependencies(resources: readonly ResourceModel[]): ResourceModel[] {
  const ordered: ResourceModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (r: ResourceModel) => {
    if (state.get(r.name)) return;
    state.set(r.name, 'visiting');
    for (const f of r.fields) {
      const target = f.ref && f.ref !== r.name ? resources.find((x) => x.name === f.ref) : undefined;
      if (target && state.get(target.name) !== 'visiting') visit(target);
    }
    state.set(r.name, 'done');
    ordered.push(r);
  };
  resources.forEach(visit);
  return ordered;
}

/** `create table` for one resource, with foreign keys to tables in `created` inline and the rest returned. */
export function createTableSql(
  resource: ResourceModel,
  all: readonly ResourceModel[],
  created: Set<string>,
): { statements: string[]; deferred: string[] } {
  const t = resource.table;
  const id =
    resource.idKind === 'uuid'
      ? 'id uuid primary key default gen_random_uuid()'
      : resource.idKind === 'text'
        ? 'id text primary key default gen_random_uuid()::text'
        : `id bigint generated ${clientKey(resource) ? 'by default' : 'always'} as identity primary key`;
  const lines = [id];
  const constraints: string[] = [];
  const deferred: string[] = [];
  for (const f of resource.fields) {
    lines.push(columnDefinition(f, all));
    const check = checkExpression(f);
    if (check) constraints.push(`constraint ${q(objectName(t, [f.column], 'check'))} check (${check})`);
    if (f.unique)
      constraints.push(`constraint ${q(objectName(t, [f.column], 'key'))} unique (${q(f.column)})`);
    if (f.ref) {
      if (f.ref === resource.name || created.has(f.ref)) constraints.push(fkClause(resource, f, all));
      else deferred.push(`alter table ${q(t)} add ${fkClause(resource, f, all)};`);
    }
  }
  if (resource.owned) {
    lines.push('owner_id bigint');
    constraints.push(ownerForeignKey(t));
  }
  lines.push(
    'created_at timestamptz not null default now()',
    'updated_at timestamptz not null default now()',
  );
  created.add(resource.name);
  const body = [...lines, ...constraints].map((l) => `  ${l}`).join(',\n');
  return { statements: [`create table ${q(t)} (\n${body}\n);`, ...indexStatements(resource)], deferred };
}

/**
 * Stored answers of POST requests sent with an `Idempotency-Key` header
 * (the generated `src/http/idempotency.ts`). `scope` keeps callers apart
 * (the authenticated user; '' without authentication); `status` is null
 * while the first request is still running.
 */
const IDEMPOTENCY_KEYS = [
  `create table idempotency_keys (
  scope text not null default '',
  key text not null,
  request_hash text not null,
  status integer,
  location text,
  body text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (scope, key)
);`,
  'create index idempotency_keys_expires_at_idx on idempotency_keys (expires_at);',
];

/** The first migration of a project: the auth tables, then every table, constraint and index, and `idempotency_keys`. */
export function initialMigration(model: ApiModel): MigrationSql {
  const created = new Set<string>();
  const auth = authTablesSql();
  const up: string[] = [...auth.up];
  const deferred: string[] = [];
  const ordered = orderByDependencies(model.resources);
  for (const r of ordered) {
    const sql = createTableSql(r, model.resources, created);
    up.push(...sql.statements);
    deferred.push(...sql.deferred);
  }
  up.push(...deferred);
  up.push(...IDEMPOTENCY_KEYS);
  const down = [
    'drop table if exists idempotency_keys;',
    ...[...ordered]
      .reverse()
      .map((r) => `drop table if exists ${q(r.table)}${deferred.length ? ' cascade' : ''};`),
  ];
  return { up, down: [...down, ...auth.down] };
}

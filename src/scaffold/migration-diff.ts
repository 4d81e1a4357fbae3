import { quoteIdent as q, quoteLiteral } from '../core/sql/quote.js';
import type { ApiModel, FieldModel, ResourceModel } from './api-model.js';
import { AUTH_SCHEMA_VERSION, authTablesSql, authUpgradeSql } from './auth-sql.js';
import { clientKey } from './client-key.js';
import { columnNullable } from './json-schemas.js';
import {
  addOwnerForeignKeySql,
  checkExpression,
  columnDefinition,
  columnType,
  createTableSql,
  indexStatements,
  jsonDefaultSql,
  objectName,
  orderByDependencies,
  ownerForeignKey,
  SERVER_DEFAULTS,
} from './migration-sql.js';

/** A migration between two models, with warnings about what needs a human. */
export interface MigrationDiff {
  up: string[];
  down: string[];
  warnings: string[];
  /** A short snake_case description for the file name. */
  name: string;
}

function fkSql(r: ResourceModel, f: FieldModel, all: readonly ResourceModel[]): string {
  const target = all.find((x) => x.name === f.ref)!;
  return `alter table ${q(r.table)} add constraint ${q(objectName(r.table, [f.column], 'fkey'))} foreign key (${q(f.column)}) references ${q(target.table)} (id);`;
}

function constraintsFor(
  r: ResourceModel,
  f: FieldModel,
  all: readonly ResourceModel[],
): { up: string[]; down: string[] } {
  const t = q(r.table);
  const up: string[] = [];
  const down: string[] = [];
  const check = checkExpression(f);
  if (check) {
    const name = q(objectName(r.table, [f.column], 'check'));
    up.push(`alter table ${t} add constraint ${name} check (${check});`);
    down.push(`alter table ${t} drop constraint if exists ${name};`);
  }
  if (f.unique) {
    const name = q(objectName(r.table, [f.column], 'key'));
    up.push(`alter table ${t} add constraint ${name} unique (${q(f.column)});`);
    down.push(`alter table ${t} drop constraint if exists ${name};`);
  }
  if (f.ref) {
    up.push(fkSql(r, f, all));
    down.push(`alter table ${t} drop constraint if exists ${q(objectName(r.table, [f.column], 'fkey'))};`);
  }
  if ((f.ref || f.indexed) && !f.unique) {
    const name = q(objectName(r.table, [f.column], 'idx'));
    up.push(`create index ${name} on ${t} (${q(f.column)});`);
    down.push(`drop index if exists ${name};`);
  }
  return { up, down };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function diffResource(
  before: ResourceModel,
  after: ResourceModel,
  all: readonly ResourceModel[],
  out: MigrationDiff,
  changes: string[],
): void {
  const t = q(after.table);
  if (after.idKind === 'bigint' && before.idKind === 'bigint' && clientKey(before) !== clientKey(after)) {
    // The spec now lets clients send the key (or no longer does): the identity takes explicit values or not.
    const [a, b] = clientKey(after) ? ['by default', 'always'] : ['always', 'by default'];
    out.up.push(`alter table ${t} alter column id set generated ${a};`);
    out.down.unshift(`alter table ${t} alter column id set generated ${b};`);
    changes.push(`alter_${after.table}_id`);
  }
  const oldByColumn = new Map(before.fields.map((f) => [f.column, f]));
  const oldByName = new Map(before.fields.map((f) => [f.name, f]));
  const matched = new Set<string>();
  for (const f of after.fields) {
    let old = oldByColumn.get(f.column);
    if (!old && f.renamedFrom) {
      const from = oldByName.get(f.renamedFrom);
      if (from && !after.fields.some((x) => x.column === from.column)) {
        out.up.push(`alter table ${t} rename column ${q(from.column)} to ${q(f.column)};`);
        out.down.unshift(`alter table ${t} rename column ${q(f.column)} to ${q(from.column)};`);
        changes.push(`rename_${after.table}_${from.column}`);
        old = { ...from, column: f.column };
        matched.add(from.column);
        // Constraint names carry the column name; rename them along.
        for (const suffix of ['check', 'key', 'fkey', 'idx']) {
          const was = objectName(after.table, [from.column], suffix);
          const now = objectName(after.table, [f.column], suffix);
          const has =
            (suffix === 'check' && checkExpression(from)) ||
            (suffix === 'key' && from.unique) ||
            (suffix === 'fkey' && from.ref) ||
            (suffix === 'idx' && (from.ref || from.indexed) && !from.unique);
          if (!has) continue;
          const sql =
            suffix === 'idx'
              ? (a: string, b: string) => `alter index ${q(a)} rename to ${q(b)};`
              : (a: string, b: string) => `alter table ${t} rename constraint ${q(a)} to ${q(b)};`;
          out.up.push(sql(was, now));
          out.down.unshift(sql(now, was));
        }
      }
    }
    if (!old) {
      const requiredNoDefault =
        !columnNullable(f) && (f.default === undefined || f.default === null) && !f.serverDefault;
      out.up.push(`alter table ${t} add column ${columnDefinition(f, all, requiredNoDefault)};`);
      out.down.unshift(`alter table ${t} drop column if exists ${q(f.column)};`);
      if (requiredNoDefault) {
        const note = `${after.table}.${f.column} is required but was added as nullable, since existing rows have no value: backfill it, then run "alter table ${after.table} alter column ${f.column} set not null".`;
        out.up.push(`-- ${note}`);
        out.warnings.push(note);
      }
      const c = constraintsFor(after, f, all);
      out.up.push(...c.up);
      out.down.unshift(...c.down.reverse());
      changes.push(`add_${after.table}_${f.column}`);
      continue;
    }
    matched.add(old.column);
    const col = q(f.column);
    const oldType = columnType(old, all);
    const newType = columnType(f, all);
    if (oldType !== newType) {
      out.up.push(`alter table ${t} alter column ${col} type ${newType} using ${col}::${newType};`);
      out.down.unshift(`alter table ${t} alter column ${col} type ${oldType} using ${col}::${oldType};`);
      out.warnings.push(
        `${after.table}.${f.column} changes type from ${oldType} to ${newType}; check the cast on real data.`,
      );
      changes.push(`alter_${after.table}_${f.column}`);
    }
    if (columnNullable(old) !== columnNullable(f)) {
      const [a, b] = columnNullable(f) ? ['drop', 'set'] : ['set', 'drop'];
      out.up.push(`alter table ${t} alter column ${col} ${a} not null;`);
      out.down.unshift(`alter table ${t} alter column ${col} ${b} not null;`);
      if (!columnNullable(f))
        out.warnings.push(
          `${after.table}.${f.column} becomes NOT NULL; the migration fails while rows hold NULL there.`,
        );
      changes.push(`alter_${after.table}_${f.column}`);
    }
    if (
      !same(old.default ?? null, f.default ?? null) ||
      (old.serverDefault ?? null) !== (f.serverDefault ?? null) ||
      (old.jsonDefault ?? null) !== (f.jsonDefault ?? null)
    ) {
      const def = (x: FieldModel) =>
        x.default === undefined || x.default === null
          ? x.serverDefault
            ? `set default ${SERVER_DEFAULTS[x.serverDefault]}`
            : x.kind === 'json' && x.jsonDefault !== undefined
              ? `set default ${jsonDefaultSql(x.jsonDefault)}`
              : 'drop default'
          : `set default ${typeof x.default === 'string' ? quoteLiteral(x.default) : String(x.default)}`;
      out.up.push(`alter table ${t} alter column ${col} ${def(f)};`);
      out.down.unshift(`alter table ${t} alter column ${col} ${def(old)};`);
      // Named after what it changes, not `noop`.
      changes.push(`alter_${after.table}_${f.column}`);
    }
    const oldCheck = checkExpression(old);
    const newCheck = checkExpression(f);
    if (oldCheck !== newCheck) {
      const name = q(objectName(after.table, [f.column], 'check'));
      out.up.push(`alter table ${t} drop constraint if exists ${name};`);
      if (newCheck) out.up.push(`alter table ${t} add constraint ${name} check (${newCheck});`);
      const restore = [`alter table ${t} drop constraint if exists ${name};`];
      if (oldCheck) restore.push(`alter table ${t} add constraint ${name} check (${oldCheck});`);
      out.down.unshift(...restore);
      changes.push(`alter_${after.table}_${f.column}`);
    }
    if (old.unique !== f.unique) {
      const name = q(objectName(after.table, [f.column], 'key'));
      const add = `alter table ${t} add constraint ${name} unique (${col});`;
      const drop = `alter table ${t} drop constraint if exists ${name};`;
      out.up.push(f.unique ? add : drop);
      out.down.unshift(f.unique ? drop : add);
    }
    if (old.ref !== f.ref) {
      const name = q(objectName(after.table, [f.column], 'fkey'));
      if (old.ref) {
        out.up.push(`alter table ${t} drop constraint if exists ${name};`);
        out.down.unshift(fkSql(before, old, all));
      }
      if (f.ref) {
        out.up.push(fkSql(after, f, all));
        out.down.unshift(`alter table ${t} drop constraint if exists ${name};`);
      }
    }
    const oldIndexed = (old.ref || old.indexed) && !old.unique;
    const newIndexed = (f.ref || f.indexed) && !f.unique;
    if (Boolean(oldIndexed) !== Boolean(newIndexed)) {
      const name = q(objectName(after.table, [f.column], 'idx'));
      const create = `create index ${name} on ${t} (${col});`;
      const drop = `drop index if exists ${name};`;
      out.up.push(newIndexed ? create : drop);
      out.down.unshift(newIndexed ? drop : create);
    }
  }
  for (const old of before.fields) {
    if (matched.has(old.column) || after.fields.some((f) => f.column === old.column)) continue;
    // Dropping data is never automatic: the column stops being required and the drop is left for a human.
    if (!columnNullable(old)) {
      out.up.push(`alter table ${t} alter column ${q(old.column)} drop not null;`);
      out.down.unshift(`alter table ${t} alter column ${q(old.column)} set not null;`);
    }
    out.up.push(
      `-- ${before.table}.${old.column} is no longer in the spec; drop it when its data is no longer needed:`,
    );
    out.up.push(`-- alter table ${t} drop column ${q(old.column)};`);
    out.warnings.push(
      `${before.table}.${old.column} left the spec; the migration keeps the column (its drop is commented out). If it was renamed, add x-tenon-renamed-from.`,
    );
    changes.push(`keep_${before.table}_${old.column}`);
  }
}

/**
 * The migration from the previous generation's model to the new one: new
 * tables, added/renamed/changed columns and constraints. Nothing is dropped
 * automatically: removed tables and columns are left as commented-out SQL
 * and a warning.
 */
export function diffModels(before: ApiModel, after: ApiModel): MigrationDiff {
  const out: MigrationDiff = { up: [], down: [], warnings: [], name: '' };
  const changes: string[] = [];
  const created = new Set(
    before.resources.filter((r) => after.resources.some((x) => x.table === r.table)).map((r) => r.name),
  );
  const deferred: string[] = [];
  if ((before.auth ?? 0) < 1 && (after.auth ?? 0) >= 1) {
    // A project generated before authentication existed gets its tables now (at this version).
    const auth = authTablesSql();
    out.up.push(...auth.up);
    out.down.push(...auth.down);
    changes.push('create_auth_tables');
  } else if ((before.auth ?? 0) < AUTH_SCHEMA_VERSION && (after.auth ?? 0) >= AUTH_SCHEMA_VERSION) {
    const upgrade = authUpgradeSql(before.auth ?? 0);
    out.up.push(...upgrade.up);
    out.down.unshift(...upgrade.down);
    changes.push('revocable_tokens');
  }
  if ((before.auth ?? 0) < 2 && (after.auth ?? 0) >= 2) {
    // Owned tables made before the owner foreign key get it now (new ones have it inline).
    for (const r of before.resources) {
      const now = after.resources.find((x) => x.table === r.table);
      if (!r.owned || !now?.owned) continue;
      const fk = addOwnerForeignKeySql(r.table);
      out.up.push(...fk.up);
      out.down.unshift(...fk.down);
      changes.push('owner_foreign_keys');
    }
  }
  for (const r of orderByDependencies(after.resources)) {
    const old = before.resources.find((x) => x.table === r.table);
    if (!old) {
      const sql = createTableSql(r, after.resources, created);
      out.up.push(...sql.statements);
      deferred.push(...sql.deferred);
      out.down.unshift(`drop table if exists ${q(r.table)} cascade;`);
      changes.push(`create_${r.table}`);
    }
  }
  for (const r of after.resources) {
    const old = before.resources.find((x) => x.table === r.table);
    if (!old) continue;
    diffResource(old, r, after.resources, out, changes);
    if (old.owned !== r.owned && r.owned) {
      out.up.push(`alter table ${q(r.table)} add column if not exists owner_id bigint;`);
      if ((after.auth ?? 0) >= 2) out.up.push(`alter table ${q(r.table)} add ${ownerForeignKey(r.table)};`);
      out.up.push(...indexStatements({ ...r, fields: [], indexes: [] }));
    }
    for (const index of r.indexes) {
      if (old.indexes.some((i) => same(i, index))) continue;
      const name = objectName(r.table, index.columns, index.unique ? 'key' : 'idx');
      out.up.push(
        `create ${index.unique ? 'unique ' : ''}index ${q(name)} on ${q(r.table)} (${index.columns.map(q).join(', ')});`,
      );
      out.down.unshift(`drop index if exists ${q(name)};`);
    }
  }
  out.up.push(...deferred);
  for (const old of before.resources) {
    if (after.resources.some((r) => r.table === old.table)) continue;
    out.up.push(
      `-- The table ${old.table} is no longer in the spec; drop it when its data is no longer needed:`,
    );
    out.up.push(`-- drop table ${q(old.table)};`);
    out.warnings.push(
      `The resource ${old.name} left the spec; its table ${old.table} is kept (the drop is commented out).`,
    );
    changes.push(`keep_${old.table}`);
  }
  const unique = [...new Set(changes)];
  out.name =
    unique.length === 0
      ? 'noop'
      : unique.length <= 2
        ? unique.join('_and_')
        : `update_${unique.length}_changes`;
  out.name = out.name.replace(/[^a-z0-9_]/g, '_').slice(0, 80);
  return out;
}

/** True when the diff changes nothing but comments. */
export function isEmptyDiff(diff: MigrationDiff): boolean {
  return diff.up.every((s) => s.startsWith('--')) && diff.warnings.length === 0;
}

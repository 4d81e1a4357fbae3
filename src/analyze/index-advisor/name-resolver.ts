import type { ColumnInfo } from '../catalog/foreign-keys.js';
import type { TableInfo } from '../catalog/tables.js';
import type { NameResolver } from '../query-shape.js';

/**
 * Resolves names in statements against the catalog. An unqualified table
 * name is taken from `public` when it is there, otherwise from the only
 * schema that has it (the search_path of the application is not known).
 */
export function makeResolver(tables: readonly TableInfo[], columns: readonly ColumnInfo[]): NameResolver {
  const byName = new Map<string, TableInfo[]>();
  for (const t of tables) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  const columnSet = new Set(columns.map((c) => `${c.schema}.${c.table}.${c.name}`));
  return {
    table(schema, name) {
      const matches = byName.get(name) ?? [];
      if (schema) return matches.find((t) => t.schema === schema)?.qualified;
      return (matches.find((t) => t.schema === 'public') ?? (matches.length === 1 ? matches[0] : undefined))
        ?.qualified;
    },
    hasColumn(table, column) {
      return columnSet.has(`${table}.${column}`);
    },
  };
}

/** A number from a catalog value: int8 and numeric arrive as strings. `null` stays `null`. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value);
}

/** Like {@link num}, but keeps `null` (a counter PostgreSQL does not have yet). */
export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** A timestamp as ISO text, whichever form the driver returned. */
export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A PostgreSQL array that may arrive parsed or as `{a,b}` text. */
export function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value === '{}' || value === '') return [];
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((part) => part.replace(/^"|"$/g, ''));
}

/** `int2vector`/`oidvector` text (`1 3`) as numbers. */
export function vector(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const text = String(value ?? '').trim();
  return text ? text.split(/\s+/).map(Number) : [];
}

/** SQL that leaves out system schemas and objects owned by extensions. */
export function userRelationFilter(classAlias: string, namespaceAlias: string): string {
  return `${namespaceAlias}.nspname not in ('pg_catalog', 'information_schema')
    and ${namespaceAlias}.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
      and d.objid = ${classAlias}.oid and d.deptype = 'e')`;
}

import { createHash } from 'node:crypto';

/**
 * Marks tenon's own statements so they can be left out of pg_stat_statements
 * results: the comment survives normalization and the query text keeps it.
 */
export const TAG = '/* tenon:analyze */';

/**
 * A pg_stat_statements filter that leaves out tenon's own statements
 * (pg_stat_statements drops a leading comment, so TAG goes after the first
 * word), session and transaction control, EXPLAIN/PREPARE, the candidate
 * indexes the advisor builds, and catalog queries (drivers' and PGlite's own).
 */
export const NOT_TENON_SQL = `query not like '%tenon:analyze%'
  and query !~* '^\\s*(show|set|reset|begin|start|commit|rollback|savepoint|release|prepare|deallocate|explain|discard)\\y'
  and query !~ 'tenon_(candidate|plan|sp)_' and query !~ 'pg_catalog\\.'`;

/** Quotes an identifier the way PostgreSQL's `quote_ident` does. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Words that must be quoted as identifiers (the common ones; quoting more is harmless). */
const RESERVED = new Set(
  [
    'all analyse analyze and any array as asc asymmetric both case cast check collate column',
    'constraint create current_date current_role current_time current_timestamp current_user default',
    'deferrable desc distinct do else end except false fetch for foreign from grant group having in',
    'initially intersect into lateral leading limit localtime localtimestamp not null offset on only',
    'or order placing primary references returning select session_user some symmetric table then to',
    'trailing true union unique user using variadic when where window with',
  ]
    .join(' ')
    .split(' '),
);

/** `schema.name`, each part quoted when needed. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A name short enough for PostgreSQL (63 bytes), keeping it readable; a
 * cut name ends with a hash of the whole, so two long names that share
 * their first 54 characters stay different.
 */
export function identifierWithin63(name: string): string {
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  let head = name.slice(0, 54);
  while (Buffer.byteLength(head) > 54) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/** Collapses whitespace and cuts long statements for display. */
export function shortSql(sql: string, max = 200): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A migration name from anything: lower snake case, at most 60 characters. */
export function toMigrationName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60)
    .replace(/_+$/, '');
}

import { createHash } from 'node:crypto';

/*
 * SQL text helpers of the analyzer. Quoting is core's (src/core/sql/quote.ts).
 */

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

/**
 * A name short enough for PostgreSQL (63 bytes), keeping it readable; a
 * cut name ends with a hash of the whole, so two long names that share
 * their first 54 characters stay different.
 */
export function identifierWithin63(name: string): string {
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  // Cut at a whole character (code point), never inside one.
  let head = '';
  for (const char of name) {
    if (Buffer.byteLength(head + char) > 54) break;
    head += char;
  }
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

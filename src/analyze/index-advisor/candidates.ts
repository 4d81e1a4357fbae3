import { quoteIdent, quoteQualified } from '../../core/sql/quote.js';
import type { ColumnInfo } from '../catalog/foreign-keys.js';
import { type IndexInfo, plainKeyColumns } from '../catalog/indexes.js';
import type { QueryShape } from '../query-shape.js';
import { identifierWithin63 } from '../sql-text.js';

/** What kind of index a candidate is. */
export type CandidateMethod = 'btree' | 'gin-trgm';

/**
 * An index that might help: a table, key columns in order (with their
 * directions), and optionally INCLUDE columns, a partial-index predicate,
 * or a trigram GIN index instead of a btree.
 */
export interface CandidateIndex {
  /** `schema.table`. */
  table: string;
  schema: string;
  tableName: string;
  columns: string[];
  /** Per key column, true when sorted descending; absent when all ascending. */
  descending?: boolean[];
  /** Per key column, NULLS FIRST (true) / LAST (false) where it departs from the direction's default. */
  nullsFirst?: (boolean | undefined)[];
  /** Non-key columns stored in the index so a scan needs no heap fetch. */
  include?: string[];
  /** Partial index predicate, SQL with quoted identifiers (`return_date IS NULL`). */
  predicate?: string;
  method: CandidateMethod;
  key: string;
}

/** Types a btree index cannot usefully serve. */
const NOT_BTREE = /^(json|jsonb|xml|point|line|lseg|box|path|polygon|circle|tsvector|tsquery)\b|\[\]$/;
/** Types pg_trgm's operator class takes. */
const TEXT_TYPE = /^(text|character varying|varchar|character|char|citext)\b/;
/** At most this many equality columns lead a sort-serving index. */
const MAX_EQ_COLUMNS = 3;

/** What shapes a candidate beyond its table and columns. */
export type CandidateOptions = Partial<
  Pick<CandidateIndex, 'descending' | 'nullsFirst' | 'include' | 'predicate' | 'method'>
>;

/** Candidate key for deduplication: every property that makes two indexes differ. */
export function candidateKey(
  table: string,
  columns: readonly string[],
  options: CandidateOptions = {},
): string {
  const keys = columns.map(
    (c, i) =>
      `${c}${options.descending?.[i] ? ' desc' : ''}${options.nullsFirst?.[i] === undefined ? '' : options.nullsFirst[i] ? ' nulls first' : ' nulls last'}`,
  );
  return [
    `${options.method === 'gin-trgm' ? 'gin-trgm:' : ''}${table}(${keys.join(',')})`,
    options.include?.length ? ` include(${options.include.join(',')})` : '',
    options.predicate ? ` where ${options.predicate}` : '',
  ].join('');
}

/** A candidate from its parts, with only the options that say something. */
export function makeCandidate(
  table: string,
  columns: string[],
  options: CandidateOptions = {},
): CandidateIndex {
  const dot = table.indexOf('.');
  const candidate: CandidateIndex = {
    table,
    schema: table.slice(0, dot),
    tableName: table.slice(dot + 1),
    columns,
    method: options.method ?? 'btree',
    key: candidateKey(table, columns, options),
  };
  if (options.descending?.some(Boolean)) candidate.descending = options.descending;
  if (options.nullsFirst?.some((n) => n !== undefined)) candidate.nullsFirst = options.nullsFirst;
  if (options.include?.length) candidate.include = options.include;
  if (options.predicate) candidate.predicate = options.predicate;
  return candidate;
}

/** What the candidates may use beyond btree. */
export interface CandidateContext {
  columns: ReadonlyMap<string, ColumnInfo>;
  /** pg_trgm can be used (installed, or installable on the server or loaded on PGlite). */
  trigram: boolean;
}

/**
 * Candidates for one statement, from its parse tree:
 * - every column it filters, joins or sorts on alone, and each equality
 *   column followed by another filtered or sorted column (equality first is
 *   the order a btree can use for both);
 * - for an ORDER BY on one table: its equality columns followed by the
 *   whole sort key with its directions, which serves `… order by … limit`
 *   without sorting (`(genre, price desc, id desc)`);
 * - for a condition without a parameter (`return_date IS NULL`, `active`):
 *   a partial index with it as predicate, keyed by the other columns;
 * - for `LIKE`/`ILIKE`/regex matches on text: a trigram GIN index (pg_trgm).
 */
export function candidatesFor(shape: QueryShape, ctx: CandidateContext): CandidateIndex[] {
  const out = new Map<string, CandidateIndex>();
  const add = (c: CandidateIndex) => {
    if (!out.has(c.key)) out.set(c.key, c);
  };
  const typeOf = (table: string, column: string) => ctx.columns.get(`${table}.${column}`)?.type;
  const byTable = new Map<string, QueryShape['uses']>();
  for (const use of shape.uses) {
    const type = typeOf(use.table, use.column);
    if (!type || NOT_BTREE.test(type)) continue;
    byTable.set(use.table, [...(byTable.get(use.table) ?? []), use]);
  }
  for (const [table, uses] of byTable) {
    const eq = unique(uses.filter((u) => u.kind === 'eq' || u.kind === 'join').map((u) => u.column));
    const range = unique(uses.filter((u) => u.kind === 'range').map((u) => u.column));
    const sort = unique(uses.filter((u) => u.kind === 'sort').map((u) => u.column));
    for (const column of unique([...eq, ...range, ...sort.slice(0, 1)])) add(makeCandidate(table, [column]));
    for (const first of eq) {
      for (const second of unique([...eq, ...range, ...sort.slice(0, 1)])) {
        if (second !== first) add(makeCandidate(table, [first, second]));
      }
    }
    // Partial indexes: the predicate leaves the key, which keeps the other columns.
    for (const condition of shape.conditions.filter((c) => c.table === table)) {
      const others = (cols: string[]) => cols.filter((c) => c !== condition.column);
      // Columns compared with values first: a join column leads only when nothing else is filtered.
      const byValue = unique(uses.filter((u) => u.kind === 'eq').map((u) => u.column));
      const rest = unique([...others(byValue), ...others(eq), ...others(range), ...others(sort).slice(0, 1)]);
      const key = rest.length > 0 ? rest.slice(0, 2) : [condition.column];
      add(makeCandidate(table, key.slice(0, 1), { predicate: condition.predicate }));
      if (key.length > 1) add(makeCandidate(table, key, { predicate: condition.predicate }));
    }
  }
  const order = shape.orderBy;
  if (order?.keys.every((k) => !NOT_BTREE.test(typeOf(order.table, k.column) ?? 'json'))) {
    const sortColumns = order.keys.map((k) => k.column);
    const eq = unique(
      shape.uses
        .filter((u) => u.table === order.table && (u.kind === 'eq' || u.kind === 'join'))
        .map((u) => u.column)
        .filter((c) => !sortColumns.includes(c)),
    ).slice(0, MAX_EQ_COLUMNS);
    if (eq.length + order.keys.length > 1) {
      const keys = [...eq.map((column) => ({ column, desc: false, nullsFirst: undefined })), ...order.keys];
      const options: CandidateOptions = {
        descending: keys.map((k) => k.desc),
        nullsFirst: keys.map((k) => k.nullsFirst),
      };
      add(
        makeCandidate(
          order.table,
          keys.map((k) => k.column),
          options,
        ),
      );
      for (const condition of shape.conditions.filter((c) => c.table === order.table)) {
        add(
          makeCandidate(
            order.table,
            keys.map((k) => k.column),
            { ...options, predicate: condition.predicate },
          ),
        );
      }
    }
  }
  if (ctx.trigram) {
    for (const p of shape.patterns) {
      if (TEXT_TYPE.test(typeOf(p.table, p.column) ?? ''))
        add(makeCandidate(p.table, [p.column], { method: 'gin-trgm' }));
    }
  }
  return [...out.values()];
}

/**
 * The same index with INCLUDE columns: every other column the statement
 * reads from the table, so the scan can be index-only. Undefined when the
 * statement reads the table with `*`, reads nothing else, or would need
 * more than `maxInclude` extra columns.
 */
export function coveringVariant(
  candidate: CandidateIndex,
  shape: QueryShape,
  columns: ReadonlyMap<string, ColumnInfo>,
  maxInclude = 3,
): CandidateIndex | undefined {
  if (candidate.method !== 'btree' || candidate.include) return undefined;
  const read = shape.columnsRead.get(candidate.table);
  if (!read) return undefined;
  const extra = [...read].filter((c) => !candidate.columns.includes(c)).sort();
  if (extra.length === 0 || extra.length > maxInclude) return undefined;
  if (extra.some((c) => NOT_BTREE.test(columns.get(`${candidate.table}.${c}`)?.type ?? 'json')))
    return undefined;
  return makeCandidate(candidate.table, candidate.columns, {
    ...(candidate.descending ? { descending: candidate.descending } : {}),
    ...(candidate.nullsFirst ? { nullsFirst: candidate.nullsFirst } : {}),
    ...(candidate.predicate ? { predicate: candidate.predicate } : {}),
    include: extra,
  });
}

/** `(a IS NULL)` → `a IS NULL`: pg_get_expr wraps predicates in parentheses. */
export function stripParens(sql: string): string {
  const t = sql.trim();
  return t.startsWith('(') && t.endsWith(')') ? t.slice(1, -1).trim() : t;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** PostgreSQL's indoption bits: 1 = DESC, 2 = NULLS FIRST. */
export function indexOptionOf(desc: boolean, nullsFirst: boolean | undefined): number {
  const first = nullsFirst ?? desc;
  return (desc ? 1 : 0) | (first ? 2 : 0);
}

/**
 * Whether an existing valid index already serves the candidate: a btree
 * whose key starts with the candidate's columns in the same directions (or
 * all reversed, which a backward scan reads), with no predicate or the
 * same one, and INCLUDE columns when the candidate has them. A trigram
 * candidate is served by a GIN or GiST index on the column with pg_trgm's
 * operator class.
 */
export function coveredByExisting(
  candidate: CandidateIndex,
  indexes: readonly IndexInfo[],
): IndexInfo | undefined {
  return indexes.find((index) => {
    if (index.qualifiedTable !== candidate.table || !index.valid) return false;
    if (candidate.method === 'gin-trgm') {
      return /_trgm_ops/.test(index.definition) && plainKeyColumns(index)?.[0] === candidate.columns[0];
    }
    if (index.method !== 'btree') return false;
    // A partial candidate is served only by an index with the same predicate: a full index holds every row.
    if (stripParens(index.predicate ?? '') !== stripParens(candidate.predicate ?? '')) return false;
    const keys = plainKeyColumns(index);
    if (!keys || !candidate.columns.every((column, i) => keys[i] === column)) return false;
    const wanted = candidate.columns.map((_, i) =>
      indexOptionOf(candidate.descending?.[i] ?? false, candidate.nullsFirst?.[i]),
    );
    const have = index.keyOptions.slice(0, wanted.length);
    const same = wanted.every((o, i) => o === have[i]);
    const reversed = wanted.every((o, i) => (o ^ 3) === have[i]);
    if (!same && !reversed && candidate.columns.length > 1) return false;
    if (candidate.include?.length) return candidate.include.every((c) => keys.includes(c));
    return true;
  });
}

/** A readable name for the index, unique per candidate: `orders_customer_id_idx`, `rental_customer_id_return_date_is_null_idx`. */
export function indexNameFor(candidate: CandidateIndex): string {
  const parts = [candidate.tableName];
  candidate.columns.forEach((c, i) => {
    parts.push(c);
    if (candidate.descending?.[i]) parts.push('desc');
    const nf = candidate.nullsFirst?.[i];
    if (nf !== undefined) parts.push(nf ? 'nulls_first' : 'nulls_last');
  });
  if (candidate.include?.length) parts.push('incl', ...candidate.include);
  if (candidate.predicate) parts.push(candidate.predicate.replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase());
  parts.push(candidate.method === 'gin-trgm' ? 'trgm_idx' : 'idx');
  return identifierWithin63(parts.join('_').replace(/_+/g, '_'));
}

/** `(a, b DESC NULLS LAST)`, `(title gin_trgm_ops)`: the part of CREATE INDEX after the table. */
export function indexBody(candidate: CandidateIndex, trigramSchema?: string): string {
  const keys = candidate.columns.map((column, i) => {
    if (candidate.method === 'gin-trgm') {
      const opclass = trigramSchema ? `${quoteIdent(trigramSchema)}.gin_trgm_ops` : 'gin_trgm_ops';
      return `${quoteIdent(column)} ${opclass}`;
    }
    const desc = candidate.descending?.[i] ?? false;
    const nf = candidate.nullsFirst?.[i];
    return `${quoteIdent(column)}${desc ? ' DESC' : ''}${nf === undefined ? '' : nf ? ' NULLS FIRST' : ' NULLS LAST'}`;
  });
  const using = candidate.method === 'gin-trgm' ? 'USING gin ' : '';
  const include = candidate.include?.length
    ? ` INCLUDE (${candidate.include.map(quoteIdent).join(', ')})`
    : '';
  const where = candidate.predicate ? ` WHERE ${candidate.predicate}` : '';
  return `${using}(${keys.join(', ')})${include}${where}`;
}

/** `public.books (genre, price DESC, id DESC)`, `public.film USING gin (title gin_trgm_ops)`: for titles and reports. */
export function describeCandidate(
  candidate: Pick<CandidateIndex, 'table' | 'columns' | 'method'> & Partial<CandidateIndex>,
): string {
  return `${candidate.table} ${indexBody(candidate as CandidateIndex)}`;
}

/** The DDL that creates a recommended index without blocking writes, and the DDL that drops it. */
export function indexDdl(
  candidate: CandidateIndex,
  name: string,
  trigramSchema?: string,
): { createSql: string; dropSql: string } {
  return {
    createSql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)} ON ${quoteQualified(candidate.schema, candidate.tableName)} ${indexBody(candidate, trigramSchema)};`,
    dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(candidate.schema, name)};`,
  };
}

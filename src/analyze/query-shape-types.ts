/** The shape of a statement as the index advisor and the checks read it (see query-shape.ts). */

/** How a column is used by a statement, which decides where it goes in an index. */
export type ColumnUseKind = 'eq' | 'range' | 'sort' | 'join';

/** A column of a table that a statement filters, joins or sorts on. */
export interface ColumnUse {
  /** `schema.table` as resolved against the catalog, or the bare name when unknown. */
  table: string;
  column: string;
  kind: ColumnUseKind;
}

/** One key of an ORDER BY. */
export interface SortKey {
  column: string;
  desc: boolean;
  /** Set when the statement says NULLS FIRST/LAST against the direction's default. */
  nullsFirst?: boolean;
}

/** A condition with no parameter (`return_date IS NULL`, `active`) that a partial index can have as its predicate. */
export interface ConstantCondition {
  table: string;
  column: string;
  /** The predicate as SQL, identifiers quoted: `return_date IS NULL`. */
  predicate: string;
}

/** A pattern match (`LIKE`, `ILIKE`, `~`, `~*`) on a column, which a btree cannot serve but a trigram index can. */
export interface PatternUse {
  table: string;
  column: string;
  op: 'like' | 'ilike' | 'regex' | 'iregex';
}

/** A `$n` in the statement text. */
export interface ParamAt {
  number: number;
  /** Byte offset of the `$` in the UTF-8 text. */
  location: number;
}

/** What a parameter is compared with, which gives its type when PostgreSQL cannot infer it. */
export type ParamHint = { table: string; column: string; array?: boolean } | { type: string };

/** What a statement reads and how, from its parse tree. */
export interface QueryShape {
  kind: 'select' | 'update' | 'delete' | 'insert' | 'other';
  /** Tables it reads or writes (resolved names); for INSERT, UPDATE and DELETE the target comes first. */
  tables: string[];
  uses: ColumnUse[];
  /** A single-table SELECT whose WHERE is only `col = $n` on one column (a lookup). */
  lookup?: { table: string; column: string };
  /** The outer SELECT's ORDER BY, when every key is a plain column of one table. */
  orderBy?: { table: string; keys: SortKey[] };
  /** The outer SELECT has a LIMIT (or FETCH FIRST). */
  limit: boolean;
  /** The outer SELECT's `LIMIT $n` / `OFFSET $n`: which parameter, and its byte offset in the text. */
  limitParams: { count?: ParamAt; offset?: ParamAt };
  conditions: ConstantCondition[];
  patterns: PatternUse[];
  /** Columns read per table (select list, filters, joins, sorts), for covering indexes; tables read with `*` are absent. */
  columnsRead: Map<string, Set<string>>;
  /** `$n` → what it is compared with. */
  paramHints: Map<number, ParamHint>;
}

/** Resolves table and column names against the catalog. */
export interface NameResolver {
  /** `orders` → `public.orders`; undefined when no such table. */
  table(schema: string | undefined, name: string): string | undefined;
  /** Whether the table has the column. */
  hasColumn(table: string, column: string): boolean;
}

/**
 * Names and what PostgreSQL 18's `quote_ident()` makes of them (recorded on
 * PGlite 18.6). quote.test.ts checks `quoteIdent` against this table;
 * quote.int.test.ts checks the table against `quote_ident()` on PGlite and
 * on the server PostgreSQL, so the table cannot drift from PostgreSQL.
 */
export const QUOTE_IDENT_CASES: readonly (readonly [name: string, quoted: string])[] = [
  ['users', 'users'],
  ['_x', '_x'],
  ['x1', 'x1'],
  ['created_at', 'created_at'],
  // Reserved (R), reserved that can be a function or type (T), unreserved that cannot (C).
  ['user', '"user"'],
  ['select', '"select"'],
  ['default', '"default"'],
  ['left', '"left"'],
  ['right', '"right"'],
  ['join', '"join"'],
  ['verbose', '"verbose"'],
  ['collation', '"collation"'],
  ['ilike', '"ilike"'],
  ['is', '"is"'],
  ['current_schema', '"current_schema"'],
  ['between', '"between"'],
  ['int', '"int"'],
  ['xmltable', '"xmltable"'],
  // Unreserved key words stay bare.
  ['abort', 'abort'],
  ['year', 'year'],
  ['data', 'data'],
  ['name', 'name'],
  ['value', 'value'],
  ['type', 'type'],
  // Case, quotes, punctuation, digits first, `$`, non-ASCII, empty.
  ['Users', '"Users"'],
  ['mixedCase', '"mixedCase"'],
  ['a"b', '"a""b"'],
  ['"', '""""'],
  ['order-items', '"order-items"'],
  ['a b', '"a b"'],
  ['tab\there', '"tab\there"'],
  ['2fa', '"2fa"'],
  ['a$b', '"a$b"'],
  ['$a', '"$a"'],
  ['naïve', '"naïve"'],
  ['été', '"été"'],
  ['дом', '"дом"'],
  ['ß', '"ß"'],
  ['', '""'],
];

/** Key words that PostgreSQL 16+ reserves and 15 does not: quoting them is harmless on 15. */
export const NEWER_THAN_15 = ['system_user', 'json_table'] as const;

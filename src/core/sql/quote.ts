import { SQL_KEYWORDS } from './keywords.js';

/**
 * The one place tenon quotes names and values for SQL it writes as text:
 * migration files, DDL of fixes, the history table statements sent without
 * parameters (a simple-protocol script carries several statements in one
 * round trip, but no `$1`). Values that can be parameters are parameters.
 */

/** Lower-case ASCII letters, digits and `_`, not starting with a digit: what `quote_ident` may leave bare. */
const PLAIN = /^[a-z_][a-z0-9_]*$/;

/**
 * Whether PostgreSQL reads `name` as the same identifier without quotes:
 * only lower-case ASCII letters, digits and `_` (not first a digit), and not
 * a key word other than an unreserved one. `$`, upper case and non-ASCII
 * letters need quotes.
 */
export function isPlainIdentifier(name: string): boolean {
  if (!PLAIN.test(name)) return false;
  const category = SQL_KEYWORDS.get(name);
  return category === undefined || category === 'U';
}

/**
 * Quotes an identifier exactly when PostgreSQL's `quote_ident()` does:
 * `users` stays `users`; `user`, `left`, `Users`, `order-items`, `2fa` and
 * `naïve` become `"user"`, `"left"`, `"Users"`, `"order-items"`, `"2fa"`,
 * `"naïve"`; an embedded `"` is doubled.
 *
 * @example quoteIdent('user') // '"user"'
 */
export function quoteIdent(name: string): string {
  return isPlainIdentifier(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * A dotted name, each part quoted as needed: `quoteQualified('public', 'user')`
 * is `public."user"`.
 */
export function quoteQualified(...parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * A string literal that means the same whatever `standard_conforming_strings`
 * is, as PostgreSQL's `quote_literal()` writes it: `'…'` with quotes doubled,
 * or `E'…'` with quotes and backslashes doubled when there is a backslash.
 * NUL characters, which PostgreSQL text cannot hold, are dropped.
 *
 * @example quoteLiteral("it's") // "'it''s'"
 */
export function quoteLiteral(value: string): string {
  const text = value.replace(/\0/g, '').replace(/'/g, "''");
  return text.includes('\\') ? `E'${text.replace(/\\/g, '\\\\')}'` : `'${text}'`;
}

/** `5000` → `'5000ms'`: a duration as `SET lock_timeout` and `SET statement_timeout` take it. */
export function quoteMilliseconds(ms: number): string {
  return `'${Math.max(0, Math.round(ms))}ms'`;
}

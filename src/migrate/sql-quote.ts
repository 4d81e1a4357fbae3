/**
 * Quoting for the few values tenon writes into SQL it sends without
 * parameters (a simple-protocol script can carry several statements in one
 * round trip, but no `$1`). Identifiers are validated by the config schema
 * already; quoting them keeps their case.
 */

/** `"Name"` with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal that means the same whatever
 * `standard_conforming_strings` is: `E'…'` with quotes and backslashes
 * doubled when there is a backslash, plain `'…'` otherwise. NUL characters,
 * which PostgreSQL text cannot hold, are dropped.
 */
export function quoteLiteral(value: string): string {
  const text = value.replace(/\0/g, '').replace(/'/g, "''");
  return text.includes('\\') ? `E'${text.replace(/\\/g, '\\\\')}'` : `'${text}'`;
}

/** `5000` → `'5000ms'`, the form `SET lock_timeout` takes. */
export function quoteMilliseconds(ms: number): string {
  return `'${Math.max(0, Math.round(ms))}ms'`;
}

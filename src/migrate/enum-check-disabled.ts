import { lineAndColumn } from '../core/sql/parse.js';
import { readSuppressions } from './lint/suppressions.js';

/** The lint rule whose directive also switches off `up`'s up-front enum check. */
const RULE = 'enum-value-in-transaction';

/**
 * Whether the section switches off the check for a new enum value used in
 * its own transaction at statement `index` (1-based): a
 * `-- tenon-lint-disable enum-value-in-transaction` directive on that
 * statement, or `-- tenon-lint-disable-file enum-value-in-transaction` in
 * the section. Only a directive that names the rule counts: a bare
 * `tenon-lint-disable` (every lint rule) does not silence a check whose
 * failure stops a migration half-way.
 */
export async function enumCheckDisabled(
  sql: string,
  statements: readonly { start: number; end: number }[],
  index: number,
): Promise<boolean> {
  if (!sql.includes(RULE)) return false;
  const ranges = statements.map((s, i) => ({ index: i + 1, start: s.start, end: s.end }));
  // Offsets are UTF-8 bytes (as libpg-query counts); lines decide which statement a directive belongs to.
  const bytes = Buffer.from(sql, 'utf8');
  const lineOf = (offset: number) => lineAndColumn(bytes, offset).line;
  const suppressions = await readSuppressions(sql, ranges, new Set([RULE]), lineOf);
  return suppressions.file.has(RULE) || (suppressions.statements.get(index)?.has(RULE) ?? false);
}

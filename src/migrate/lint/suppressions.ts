/** Rules switched off by comments in one section of a migration. */
export interface Suppressions {
  /** Rules off for the whole section (`-- tenon-lint-disable-file …`); `'*'` means all. */
  file: Set<string>;
  /** Rules off for one statement, by its 1-based index; `'*'` means all. */
  statements: Map<number, Set<string>>;
  /** Directives that name no known rule, for a warning: `line: text`. */
  unknown: { line: number; rule: string }[];
}

const DIRECTIVE = /^(?:--|\/\*)\s*tenon-lint-disable(-file)?\b(.*?)(?:\*\/)?$/s;

/** The rules a directive's text names: `a, b -- reason` → `['a', 'b']`; none named → `['*']`. */
function rulesOf(text: string): string[] {
  const withoutReason = text.split(/\s--\s|\s--$/)[0] ?? '';
  const rules = withoutReason
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  return rules.length > 0 ? rules : ['*'];
}

/**
 * Reads `tenon-lint-disable` comments with PostgreSQL's scanner (so a
 * directive inside a string or a dollar-quoted function body is not one):
 *
 * - `-- tenon-lint-disable rule-a, rule-b -- why` before a statement switches
 *   those rules off for that statement (no rule named: all rules); written at
 *   the end of a statement's last line, it applies to that statement;
 * - `-- tenon-lint-disable-file rule-a` anywhere in the section switches the
 *   rule off for the whole section.
 *
 * @param statements byte ranges of the section's statements, in order.
 */
export async function readSuppressions(
  sql: string,
  statements: readonly { index: number; start: number; end: number }[],
  knownRules: ReadonlySet<string>,
  lineOf: (byteOffset: number) => number,
): Promise<Suppressions> {
  const result: Suppressions = { file: new Set(), statements: new Map(), unknown: [] };
  if (!sql.includes('tenon-lint-disable')) return result;
  const { scanTokens } = await import('../../core/sql/pg-wasm.js');
  const { tokens } = await scanTokens(sql);
  for (const token of tokens) {
    if (token.tokenName !== 'SQL_COMMENT' && token.tokenName !== 'C_COMMENT') continue;
    const match = DIRECTIVE.exec(token.text.trim());
    if (!match) continue;
    const rules = rulesOf(match[2] ?? '');
    const line = lineOf(token.start);
    for (const rule of rules) {
      if (rule !== '*' && !knownRules.has(rule)) result.unknown.push({ line, rule });
    }
    if (match[1]) {
      for (const rule of rules) result.file.add(rule);
      continue;
    }
    // A directive on the line where a statement ends belongs to that statement; otherwise to the next one.
    const previous = [...statements].reverse().find((s) => s.end <= token.start);
    const target =
      previous && lineOf(Math.max(previous.start, previous.end - 1)) === line
        ? previous
        : statements.find((s) => s.start >= token.end || (s.start <= token.start && token.end <= s.end));
    if (!target) continue;
    const set = result.statements.get(target.index) ?? new Set<string>();
    for (const rule of rules) set.add(rule);
    result.statements.set(target.index, set);
  }
  return result;
}

/** True when `rule` is switched off for statement `index`. */
export function isSuppressed(suppressions: Suppressions, rule: string, index: number): boolean {
  if (suppressions.file.has('*') || suppressions.file.has(rule)) return true;
  const set = suppressions.statements.get(index);
  return set !== undefined && (set.has('*') || set.has(rule));
}

import type { ParsedStatement } from '../core/sql/parse.js';

/** The non-transactional reasons that go away when CONCURRENTLY is removed. */
const CONCURRENT_REASONS = new Set([
  'CREATE INDEX CONCURRENTLY',
  'DROP INDEX CONCURRENTLY',
  'REINDEX CONCURRENTLY',
  'ALTER TABLE … DETACH PARTITION CONCURRENTLY',
]);

const BOOLEAN_WORDS = new Set(['true', 'false', 'on', 'off', '1', '0']);

/** True for statements whose only reason to run outside a transaction is CONCURRENTLY. */
export function isConcurrentlyStatement(statement: Pick<ParsedStatement, 'nonTransactional'>): boolean {
  return statement.nonTransactional !== undefined && CONCURRENT_REASONS.has(statement.nonTransactional);
}

/** Drops what differs between a statement with and without CONCURRENTLY: positions and the flag itself. */
function normalizeTree(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value
      .filter((item) => (item as { DefElem?: { defname?: string } })?.DefElem?.defname !== 'concurrently')
      .map(normalizeTree);
    return items.length > 0 ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'location' || key === 'concurrent') continue;
      const normalized = normalizeTree(inner);
      if (normalized !== undefined) out[key] = normalized;
    }
    return out;
  }
  return value;
}

function sameStatement(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(normalizeTree(a)) === JSON.stringify(normalizeTree(b));
}

/**
 * The same statement without CONCURRENTLY, for PGlite, which has one
 * connection and cannot build an index concurrently. The keyword is found
 * among the statement's tokens (libpg-query's scanner, so comments, strings
 * and quoted names that say "concurrently" are left alone), removed with a
 * REINDEX option's value and comma, and the result is parsed again and
 * compared with the original tree: the rewrite is used only when PostgreSQL's
 * parser agrees it is the same statement minus CONCURRENTLY.
 *
 * @returns the rewritten SQL, or `undefined` when no safe rewrite exists.
 */
export async function withoutConcurrently(statement: ParsedStatement): Promise<string | undefined> {
  if (!isConcurrentlyStatement(statement)) return undefined;
  const [{ scanTokens }, { parseSql }] = await Promise.all([
    import('../core/sql/pg-wasm.js'),
    import('../core/sql/parse.js'),
  ]);
  const bytes = Buffer.from(statement.text, 'utf8');
  const { tokens } = await scanTokens(statement.text);
  const candidates = tokens
    .map((token, index) => ({ token, index }))
    .filter(({ token }) => token.keywordKind !== 0 && token.text.toLowerCase() === 'concurrently');
  for (const { index } of candidates) {
    const remove = new Set([index]);
    const next = tokens[index + 1];
    const prev = tokens[index - 1];
    const inOptionList = prev?.text === '(' || prev?.text === ',';
    if (inOptionList) {
      let after = index + 1;
      if (next && BOOLEAN_WORDS.has(next.text.toLowerCase())) remove.add(after++);
      if (tokens[after]?.text === ',') remove.add(after);
      else if (prev?.text === ',') remove.add(index - 1);
      else if (prev?.text === '(' && tokens[after]?.text === ')') {
        remove.add(index - 1);
        remove.add(after);
      }
    }
    let text = '';
    let cursor = 0;
    // Each removed token takes the whitespace up to the next token with it.
    for (const i of [...remove].sort((a, b) => a - b)) {
      text += bytes.subarray(cursor, tokens[i]!.start).toString('utf8');
      cursor = tokens[i + 1]?.start ?? bytes.length;
    }
    text += bytes.subarray(cursor).toString('utf8');
    let reparsed: ParsedStatement[];
    try {
      reparsed = await parseSql(text);
    } catch {
      continue;
    }
    const only = reparsed[0];
    if (
      reparsed.length === 1 &&
      only &&
      only.kind === statement.kind &&
      only.nonTransactional === undefined &&
      sameStatement(only.node, statement.node)
    ) {
      return only.text;
    }
  }
  return undefined;
}

import { TenonError } from '../errors.js';
import { parseTree, preloadPgWasm } from './pg-wasm.js';
import { nonTransactionalReason } from './transactionality.js';

/** One top-level statement of a SQL script, located in its source. */
export interface ParsedStatement {
  /** The statement text, without the trailing semicolon. */
  text: string;
  /** 1-based line of the statement's first token within the parsed text (plus `lineOffset`). */
  line: number;
  /** 1-based column of the statement's first token. */
  column: number;
  /** The parse-tree node type, e.g. `CreateStmt`, `IndexStmt`. */
  kind: string;
  /** The parse tree of the statement as libpg-query returns it. */
  node: Record<string, unknown>;
  /**
   * Why PostgreSQL refuses to run this statement inside a transaction block
   * (e.g. `CREATE INDEX CONCURRENTLY`), or `undefined` when it may.
   */
  nonTransactional: string | undefined;
  /** True for BEGIN, COMMIT, ROLLBACK, SAVEPOINT and friends. */
  transactionControl: boolean;
  /** UTF-8 byte offset of the statement's first token in the parsed text (parse-tree `location`s count the same way). */
  start: number;
  /** UTF-8 byte offset just past the statement (before its semicolon). */
  end: number;
}

/** Where SQL text came from, so errors point into the right file and line. */
export interface SqlSource {
  /** File name shown in errors. */
  file?: string;
  /** Lines before the parsed text in that file (e.g. the text starts after a marker line). */
  lineOffset?: number;
}

/** Starts instantiating the parser's WebAssembly, so it compiles while the caller does other work. */
export function preloadSqlParser(): void {
  preloadPgWasm();
}

/** 1-based line and column of a UTF-8 byte offset into `bytes`. */
export function lineAndColumn(bytes: Buffer, byteOffset: number): { line: number; column: number } {
  const before = bytes.subarray(0, Math.max(0, byteOffset)).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Parses a SQL script with PostgreSQL's own parser (libpg-query, the
 * PostgreSQL 18 grammar) and returns its statements with their position and
 * whether each may run inside a transaction.
 *
 * @throws TenonError `TENON_SQL_PARSE_FAILED` with `details.file`, `line`, `column`.
 */
export function parseSql(sql: string, source: SqlSource = {}): Promise<ParsedStatement[]> {
  // One parse per text in a process: `up` plans the pending files and lints them, and both parse
  // the same sections (the statements returned are shared: callers must not change them).
  const key = `${source.lineOffset ?? 0}\u0000${source.file ?? ''}\u0000${sql}`;
  let parsed = parsedByText.get(key);
  if (!parsed) {
    parsed = parseUncached(sql, source);
    parsedByText.set(key, parsed);
    parsed.catch(() => parsedByText.delete(key));
  }
  return parsed;
}

/**
 * {@link lineAndColumn} of `byteOffset`, counting lines from where `cursor` stopped (and moving
 * it there); offsets must not go backwards.
 */
function advanceTo(
  bytes: Buffer,
  cursor: { offset: number; line: number; lineStart: number },
  byteOffset: number,
): { line: number; column: number } {
  const end = Math.min(Math.max(0, byteOffset), bytes.length);
  for (let at = bytes.indexOf(10, cursor.offset); at !== -1 && at < end; at = bytes.indexOf(10, at + 1)) {
    cursor.line++;
    cursor.lineStart = at + 1;
  }
  cursor.offset = Math.max(cursor.offset, end);
  return { line: cursor.line, column: bytes.subarray(cursor.lineStart, end).toString('utf8').length + 1 };
}

const parsedByText = new Map<string, Promise<ParsedStatement[]>>();

async function parseUncached(sql: string, source: SqlSource): Promise<ParsedStatement[]> {
  const bytes = Buffer.from(sql, 'utf8');
  const lineOffset = source.lineOffset ?? 0;
  let tree: Awaited<ReturnType<typeof parseTree>>;
  try {
    tree = await parseTree(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    // libpg-query reports the error position in characters, statement locations in bytes.
    const offset = details?.cursorPosition ?? 0;
    const { line, column } = lineAndColumn(
      Buffer.from(sql.slice(0, offset), 'utf8'),
      Number.MAX_SAFE_INTEGER,
    );
    const where = `${source.file ? `${source.file}:` : ''}${line + lineOffset}:${column}`;
    const message = details?.message ?? (error as Error).message;
    throw new TenonError('TENON_SQL_PARSE_FAILED', `${where}: ${message}`, {
      cause: error,
      hint: 'Fix the SQL at the position shown; tenon parses with the PostgreSQL 18 grammar.',
      details: { ...(source.file ? { file: source.file } : {}), line: line + lineOffset, column, message },
    });
  }
  const statements: ParsedStatement[] = [];
  // Lines are counted once, forward, from one statement to the next (statements come in order):
  // lineAndColumn from the start for each made a file of many statements quadratic.
  const cursor = { offset: 0, line: 1, lineStart: 0 };
  for (const raw of tree.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    // stmt_len is 0 for the last statement when it has no trailing semicolon.
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const segment = bytes.subarray(start, end).toString('utf8');
    const text = segment.trim();
    if (!text) continue;
    // The segment may start with whitespace; point at the first token.
    const leading = segment.slice(0, segment.length - segment.trimStart().length);
    const first = start + Buffer.byteLength(leading);
    const { line, column } = advanceTo(bytes, cursor, first);
    const node = (raw.stmt ?? {}) as Record<string, unknown>;
    const kind = Object.keys(node)[0] ?? 'Unknown';
    statements.push({
      text,
      line: line + lineOffset,
      column,
      kind,
      node,
      nonTransactional: nonTransactionalReason(kind, node[kind] as Record<string, unknown> | undefined),
      transactionControl: kind === 'TransactionStmt',
      start: first,
      end,
    });
  }
  return statements;
}

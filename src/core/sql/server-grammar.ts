import { TenonError } from '../errors.js';
import type { SqlSource } from './parse.js';

/** What tenon uses of a libpg-query build. */
interface GrammarModule {
  parse(sql: string): Promise<unknown>;
}

/**
 * The PostgreSQL grammars tenon can check SQL with besides its own (18, in
 * `parse.ts`): the per-major builds of libpg-query on npm, installed under
 * aliases and loaded only when a server of that major is met, so a command
 * on PostgreSQL 18 (or PGlite) never loads them. There is no usable build
 * of 14 (libpg-query 14.4.3 depends on a @pgsql/types 14 that was never
 * published; 14.0.0 is a native addon), so 14 is checked with 15's grammar:
 * a newer grammar may accept what 14 rejects, never the reverse (tenon must
 * not refuse SQL the server runs).
 */
const GRAMMARS: Record<number, () => Promise<GrammarModule>> = {
  13: () => import('libpg-query-13'),
  14: () => import('libpg-query-15'),
  15: () => import('libpg-query-15'),
  16: () => import('libpg-query-16'),
  17: () => import('libpg-query-17'),
};

/** The PostgreSQL major whose grammar checks SQL for a server of `serverVersion`, or undefined when tenon's own parser (18) is that grammar. */
export function grammarMajorFor(serverVersion: number): number | undefined {
  const major = Math.floor(serverVersion / 10000);
  if (major >= 18 || major < 13) return undefined;
  return major === 14 ? 15 : major;
}

const loaded = new Map<number, Promise<GrammarModule>>();

/** The grammar of `major`, loading (and instantiating its WebAssembly) on first use. */
function grammarModule(major: number): Promise<GrammarModule> {
  const module = loaded.get(major) ?? GRAMMARS[major]!();
  loaded.set(major, module);
  return module;
}

/**
 * Starts loading the grammar that checks SQL for a server of
 * `serverVersion` (nothing when tenon's own parser is that grammar), so
 * its WebAssembly compiles while other work goes on.
 */
export function preloadServerGrammar(serverVersion: number): void {
  const grammar = grammarMajorFor(serverVersion);
  if (grammar !== undefined) grammarModule(grammar).catch(() => undefined);
}

/**
 * True when a server of `serverVersion` can parse every one of `scripts`,
 * found with ONE parse of them joined: checking 1,000 files one by one
 * costs a WebAssembly call, a JSON parse tree and its decoding each. Each
 * script must be whole statements (PostgreSQL 18's grammar accepted it),
 * so a newline and a semicolon between two cannot change how either is
 * read. False means some script (or the joining) was refused: the caller
 * checks them one by one with {@link checkSqlForServer}, which also says
 * where.
 */
export async function serverGrammarAcceptsAll(
  scripts: readonly string[],
  serverVersion: number,
): Promise<boolean> {
  const grammar = grammarMajorFor(serverVersion);
  const joined = scripts.filter((s) => s.trim()).join('\n;\n');
  if (grammar === undefined || !joined) return true;
  try {
    await (await grammarModule(grammar)).parse(joined);
    return true;
  } catch {
    return false;
  }
}

/** Line and column (1-based) of a character offset in `sql`. */
function position(sql: string, offset: number): { line: number; column: number } {
  const lines = sql.slice(0, offset).split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Checks that a PostgreSQL server of `serverVersion` can parse `sql` (which
 * tenon's own parser, PostgreSQL 18's grammar, already accepted), so syntax
 * added after the server's version (`select * from (select 1)` without an
 * alias before 16, `CONSTRAINT … NOT NULL col` before 18) is reported
 * before anything runs instead of when that migration's turn comes.
 *
 * @throws TenonError `TENON_SQL_UNSUPPORTED_BY_SERVER` with `details.file`, `line`, `column`.
 */
export async function checkSqlForServer(
  sql: string,
  serverVersion: number,
  source: SqlSource = {},
): Promise<void> {
  const major = Math.floor(serverVersion / 10000);
  const grammar = grammarMajorFor(serverVersion);
  if (grammar === undefined || !sql.trim()) return;
  try {
    await (await grammarModule(grammar)).parse(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    if (!details) throw error;
    const at = position(sql, details.cursorPosition ?? 0);
    const line = at.line + (source.lineOffset ?? 0);
    const message = details.message ?? (error as Error).message;
    const grammarNote = grammar === major ? '' : ` (checked with PostgreSQL ${grammar}'s grammar)`;
    throw new TenonError(
      'TENON_SQL_UNSUPPORTED_BY_SERVER',
      `${source.file ? `${source.file}:` : ''}${line}:${at.column}: PostgreSQL ${major} cannot parse this SQL: ${message}${grammarNote}. PostgreSQL 18's grammar accepts it: it is syntax of a newer version. Nothing was run.`,
      {
        cause: error,
        hint: `Write it the way PostgreSQL ${major} accepts (the server runs ${major}), or upgrade the server first.`,
        details: {
          ...(source.file ? { file: source.file } : {}),
          line,
          column: at.column,
          message,
          serverMajor: major,
          grammar,
        },
      },
    );
  }
}

import { createRequire } from 'node:module';
import { TenonError } from '../errors.js';
import type { SqlSource } from './parse.js';

const require = createRequire(import.meta.url);

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
 * The parts of a libpg-query build's Emscripten module that
 * {@link serverGrammarAcceptsAll} uses: the raw parse entry point, which
 * returns a `PgQueryParseResult { char *parse_tree; char *stderr_buffer;
 * PgQueryError *error; }`, and the heap to write the SQL into.
 */
interface RawGrammar {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(sql: number): number;
  _wasm_free_parse_result(result: number): void;
  getValue(pointer: number, type: 'i32'): number;
}

/** The Emscripten factory of each grammar (the same file the package's `parse` wraps). */
const RAW_GRAMMARS: Record<number, string> = {
  13: 'libpg-query-13/wasm/libpg-query.js',
  15: 'libpg-query-15/wasm/libpg-query.js',
  16: 'libpg-query-16/wasm/libpg-query.js',
  17: 'libpg-query-17/wasm/libpg-query.js',
};

const rawLoaded = new Map<number, Promise<RawGrammar>>();

/** A grammar's WebAssembly instance of its own, for yes/no checks (loaded on first use). */
function rawGrammar(major: number): Promise<RawGrammar> {
  let module = rawLoaded.get(major);
  if (!module) {
    const factory = require(RAW_GRAMMARS[major]!) as () => Promise<RawGrammar>;
    module = factory();
    rawLoaded.set(major, module);
  }
  return module;
}

/**
 * True when the grammar of `major` parses `sql`. Only the error pointer is
 * read: the package's `parse` would also copy the JSON parse tree out of
 * WebAssembly and `JSON.parse` it, which for a whole history (one string of
 * every pending migration) cost about as much as the parse itself and only
 * to be thrown away (docs/migrate.md#performance).
 */
async function grammarAccepts(major: number, sql: string): Promise<boolean> {
  const wasm = await rawGrammar(major);
  const bytes = Buffer.from(sql, 'utf8');
  const input = wasm._malloc(bytes.length + 1);
  let result = 0;
  try {
    // HEAPU8 is read after _malloc: a grown memory replaces the view.
    wasm.HEAPU8.set(bytes, input);
    wasm.HEAPU8[input + bytes.length] = 0;
    result = wasm._wasm_parse_query_raw(input);
    if (!result) throw new Error(`PostgreSQL ${major}'s grammar could not allocate its parse result`);
    return wasm.getValue(result + 8, 'i32') === 0;
  } finally {
    if (result) wasm._wasm_free_parse_result(result);
    wasm._free(input);
  }
}

/**
 * Starts loading the grammar that checks SQL for a server of
 * `serverVersion` (nothing when tenon's own parser is that grammar), so
 * its WebAssembly compiles while other work goes on.
 */
export function preloadServerGrammar(serverVersion: number): void {
  const grammar = grammarMajorFor(serverVersion);
  if (grammar !== undefined) rawGrammar(grammar).catch(() => undefined);
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
  return grammarAccepts(grammar, joined);
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
  // The yes/no check first; the package's parse, which says where and why, only for a refusal.
  if (await grammarAccepts(grammar, sql)) return;
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

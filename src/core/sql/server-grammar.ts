import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/**
 * The build of the grammar that checks SQL for `major` (`libpg-query-15 15.6.3`): what a kept
 * verdict of it is keyed by (a new release of the package may parse differently).
 */
export function grammarBuild(major: number): string {
  const name = RAW_GRAMMARS[major]!.split('/')[0]!;
  return `${name} ${(require(`${name}/package.json`) as { version: string }).version}`;
}

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
 * True when the grammar's WebAssembly instance parses the UTF-8 `bytes`.
 * Only the error pointer is read: the package's `parse` would also copy the
 * JSON parse tree out of WebAssembly and `JSON.parse` it, which for a whole
 * history (one string of every pending migration) cost about as much as the
 * parse itself, only to be thrown away (docs/migrate.md#performance).
 * Self-contained (no imports, no closure): a grammar worker thread runs its
 * source text too (see {@link startServerGrammarCheck}).
 */
function parsesInWasm(wasm: RawGrammar, bytes: Uint8Array): boolean {
  const input = wasm._malloc(bytes.length + 1);
  let result = 0;
  try {
    // HEAPU8 is read after _malloc: a grown memory replaces the view.
    wasm.HEAPU8.set(bytes, input);
    wasm.HEAPU8[input + bytes.length] = 0;
    result = wasm._wasm_parse_query_raw(input);
    if (!result) throw new Error('the grammar could not allocate its parse result');
    return wasm.getValue(result + 8, 'i32') === 0;
  } finally {
    if (result) wasm._wasm_free_parse_result(result);
    wasm._free(input);
  }
}

/** True when the grammar of `major` parses `sql` (see {@link parsesInWasm}). */
async function grammarAccepts(major: number, sql: string): Promise<boolean> {
  return parsesInWasm(await rawGrammar(major), Buffer.from(sql, 'utf8'));
}

/**
 * From this many bytes of SQL on, the server grammar's one parse of all
 * pending migrations runs on a worker thread, alongside the planning with
 * tenon's own grammar on the main thread. Below it, the grammar's
 * WebAssembly compiles in the background while the main thread plans, and
 * the parse runs on the main thread when the verdict is asked for (about
 * 0.08 ms a KB). A worker thread is a Node environment of its own: on the
 * 350-file history (250 KB of up sections, Node 20, PostgreSQL 15) `up` took
 * about 80 ms more CPU before its first migration with the worker than
 * without it (nine alternating pairs on the shared two-core machine), and
 * no less wall time, so the thread pays only for a text whose parse alone
 * would hold the main thread up longer than that (docs/migrate.md#performance).
 */
export const GRAMMAR_WORKER_MIN_BYTES = 1024 * 1024;

/** The worker: loads the grammar's Emscripten factory and runs {@link parsesInWasm} once. */
const WORKER_SOURCE = `const { parentPort, workerData } = require('node:worker_threads');
const parsesInWasm = ${parsesInWasm.toString()};
require(workerData.factory)()
  .then((wasm) => parentPort.postMessage({ accepted: parsesInWasm(wasm, Buffer.from(workerData.sql, 'utf8')) }))
  .catch((error) => parentPort.postMessage({ error: String(error && error.message || error) }));`;

/**
 * Starts checking that a server of `serverVersion` can parse every one of
 * `scripts` (whole sections of migrations that tenon's grammar will parse
 * too) in ONE parse of them joined, and returns a function that waits for
 * the verdict. A long text is checked on a worker thread meanwhile (from
 * {@link GRAMMAR_WORKER_MIN_BYTES}), a short one in this thread when the
 * verdict is asked for. The worker never keeps the process alive by itself:
 * when the caller fails before asking, the process can still exit.
 */
export function startServerGrammarCheck(
  scripts: readonly string[],
  serverVersion: number,
  options: { workerMinBytes?: number } = {},
): ServerGrammarCheck {
  const grammar = grammarMajorFor(serverVersion);
  const joined = scripts.filter((s) => s.trim()).join('\n;\n');
  if (grammar === undefined || !joined) return Object.assign(async () => true, { thread: 'none' as const });
  if (joined.length < (options.workerMinBytes ?? GRAMMAR_WORKER_MIN_BYTES)) {
    // Its WebAssembly compiles while the caller plans.
    rawGrammar(grammar).catch(() => undefined);
    return Object.assign(() => grammarAccepts(grammar, joined), { thread: 'main' as const });
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { factory: require.resolve(RAW_GRAMMARS[grammar]!), sql: joined },
  });
  worker.unref();
  const verdict = new Promise<boolean>((resolve, reject) => {
    worker.once('message', (message: { accepted?: boolean; error?: string }) => {
      if (message.error !== undefined) reject(new Error(`PostgreSQL ${grammar}'s grammar: ${message.error}`));
      else resolve(message.accepted === true);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the grammar worker exited (${code}) without a verdict`)));
  });
  verdict.catch(() => undefined);
  const check: ServerGrammarCheck = Object.assign(
    async () => {
      worker.ref();
      try {
        return await verdict;
      } catch {
        // A worker that failed (out of memory, no threads): the same check in this thread.
        check.thread = 'main';
        return grammarAccepts(grammar, joined);
      } finally {
        await worker.terminate();
      }
    },
    { thread: 'worker' as ServerGrammarCheck['thread'] },
  );
  return check;
}

/** Waits for the verdict of {@link startServerGrammarCheck}. */
export interface ServerGrammarCheck {
  (): Promise<boolean>;
  /** Where the parse ran: `none` (nothing to check), this thread, or a worker thread. */
  thread: 'none' | 'main' | 'worker';
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
  return startServerGrammarCheck(scripts, serverVersion)();
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

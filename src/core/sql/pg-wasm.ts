import { createRequire } from 'node:module';
import type { ParseResult, ScanResult } from 'libpg-query';

const require = createRequire(import.meta.url);

/** The parts of libpg-query's Emscripten module (PostgreSQL 18) that tenon calls. */
interface PgWasm {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _wasm_parse_query_raw(sql: number): number;
  _wasm_free_parse_result(result: number): void;
  _wasm_scan(sql: number): number;
  _wasm_free_string(pointer: number): void;
  getValue(pointer: number, type: 'i32'): number;
}

let instance: Promise<PgWasm> | undefined;

/**
 * The one WebAssembly instance of PostgreSQL 18's parser in this process,
 * instantiated on first use. tenon calls it directly instead of through
 * the package's `parse` and `scan`: those copy the SQL into the
 * WebAssembly heap and the JSON result out of it a character at a time in
 * JavaScript, which on a 350-file history was about a third of the parse
 * (docs/migrate.md#performance); here both are native copies
 * (`Buffer`, `TextDecoder`). Everything in tenon that parses with
 * PostgreSQL 18's grammar goes through this instance: a second one (the
 * package's) would compile the 1.7 MB module again.
 */
function pgWasm(): Promise<PgWasm> {
  instance ??= (require('libpg-query/wasm/libpg-query.js') as () => Promise<PgWasm>)();
  return instance;
}

/** Starts instantiating the parser (its WebAssembly compiles meanwhile). */
export function preloadPgWasm(): void {
  pgWasm().catch(() => undefined);
}

const decoder = new TextDecoder();

/** The NUL-terminated UTF-8 string at `pointer`. */
function cString(wasm: PgWasm, pointer: number): string {
  const heap = wasm.HEAPU8;
  return decoder.decode(heap.subarray(pointer, heap.indexOf(0, pointer)));
}

/** Copies `sql` into the heap, NUL-terminated; the caller frees the pointer. */
function copyIn(wasm: PgWasm, sql: string): number {
  const bytes = Buffer.from(sql, 'utf8');
  const pointer = wasm._malloc(bytes.length + 1);
  // HEAPU8 is read after _malloc: a grown memory replaces the view.
  wasm.HEAPU8.set(bytes, pointer);
  wasm.HEAPU8[pointer + bytes.length] = 0;
  return pointer;
}

/** A parse error as libpg-query's `parse` reports it: `sqlDetails.cursorPosition` is 0-based, in characters. */
export class PgParseError extends Error {
  readonly sqlDetails: { message: string; cursorPosition: number };

  constructor(message: string, cursorPosition: number) {
    super(message);
    this.name = 'SqlError';
    this.sqlDetails = { message, cursorPosition };
  }
}

/**
 * Parses `sql` with PostgreSQL 18's grammar into libpg-query's JSON parse
 * tree (the same tree as the package's `parse`).
 *
 * @throws PgParseError when the grammar refuses the SQL.
 */
export async function parseTree(sql: string): Promise<ParseResult> {
  if (sql === '') throw new Error('Query cannot be empty');
  const wasm = await pgWasm();
  const input = copyIn(wasm, sql);
  let result = 0;
  try {
    result = wasm._wasm_parse_query_raw(input);
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const error = wasm.getValue(result + 8, 'i32');
    if (error) {
      // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; … }
      const messagePointer = wasm.getValue(error, 'i32');
      const cursor = wasm.getValue(error + 16, 'i32');
      throw new PgParseError(
        messagePointer ? cString(wasm, messagePointer) : 'Unknown error',
        cursor > 0 ? cursor - 1 : 0,
      );
    }
    const tree = wasm.getValue(result, 'i32');
    if (!tree) throw new Error('No parse tree generated');
    return JSON.parse(cString(wasm, tree)) as ParseResult;
  } finally {
    if (result) wasm._wasm_free_parse_result(result);
    wasm._free(input);
  }
}

/** The tokens of `sql` as PostgreSQL 18's scanner sees them (the package's `scan`). */
export async function scanTokens(sql: string): Promise<ScanResult> {
  const wasm = await pgWasm();
  const input = copyIn(wasm, sql);
  let result = 0;
  try {
    result = wasm._wasm_scan(input);
    const text = cString(wasm, result);
    if (text.startsWith('syntax error') || text.startsWith('deparse error') || text.startsWith('ERROR')) {
      throw new Error(text);
    }
    return JSON.parse(text) as ScanResult;
  } finally {
    if (result) wasm._wasm_free_string(result);
    wasm._free(input);
  }
}

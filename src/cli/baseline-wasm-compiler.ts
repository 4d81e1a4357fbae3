import { setFlagsFromString } from 'node:v8';

/**
 * Has V8 compile WebAssembly with its baseline compiler (Liftoff) only, for
 * the rest of this process: no optimizing tier-up (TurboFan) of hot
 * functions in background threads. libpg-query's parsers are large modules
 * that a migrate command uses for well under a second; optimizing them cost
 * more CPU than everything else `migrate up` does before its first migration
 * (350-file history: about 0.9 s of background compilation against 0.5 s of
 * main-thread work, which on a two-core machine competes with the database
 * server), and the faster code never paid it back (docs/migrate.md#performance).
 *
 * Only the CLI calls this (a short process it owns), and only when the
 * database is a server: PGlite runs PostgreSQL itself as WebAssembly, where
 * optimized code may matter. The library never changes V8 flags of the
 * application that embeds it.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

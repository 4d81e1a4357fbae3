import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flags of {@link useBaselineCompilers}: WebAssembly compiled by the
 * baseline compiler only (Liftoff), and no optimizing compiler (TurboFan)
 * for JavaScript.
 */
export const BASELINE_COMPILER_FLAGS = ['--liftoff-only', '--no-opt'] as const;

/**
 * Has V8 keep code at its baseline tiers for the rest of this process: no
 * optimizing tier-up, in background threads, of hot WebAssembly functions
 * (`--liftoff-only`) or hot JavaScript functions (`--no-opt`; the
 * interpreter and Sparkplug's baseline code only). libpg-query's parsers
 * are large modules that a migrate command uses for well under a second;
 * optimizing them cost more CPU than everything else `migrate up` does
 * before its first migration (350-file history: about 0.9 s of background
 * compilation against 0.5 s of main-thread work), and the faster code never
 * paid it back. The same held, on a smaller scale, for the JavaScript: a
 * migrate command runs its code (the driver's protocol, lint's rules, the
 * runner) a few hundred times, too few for TurboFan's compilations to pay
 * for themselves; without them `up` of that history took about 0.15 s less
 * CPU (docs/migrate.md#performance). On a two-core machine that CPU
 * competes with the database server.
 *
 * Only the CLI calls this (a short process it owns), and only when the
 * database is a server: PGlite runs PostgreSQL itself as WebAssembly, where
 * optimized code matters. The library never changes V8 flags of the
 * application that embeds it.
 */
export function useBaselineCompilers(): void {
  for (const flag of BASELINE_COMPILER_FLAGS) setFlagsFromString(flag);
}

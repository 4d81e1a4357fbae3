/**
 * Bundles the CLI (and the load worker it starts) with esbuild, for a
 * faster start on Node 20: Node 20's ES module loader spends most of
 * `tenon migrate status`'s start-up resolving, reading and compiling files
 * one by one (zod alone is 95 of them), and Node 20 has no compile cache.
 * docs/migrate.md#performance has the figures.
 *
 *   npx tsx scripts/bundle-cli.ts [--outdir dist-bundle]
 *
 * Writes OUTDIR/cli/bin.js, OUTDIR/load/load-worker.js and shared chunks
 * OUTDIR/cli/_*.js. Every file stays two folders below the package root,
 * as in dist/, so the paths tenon finds from its own module
 * (`../../package.json`, `../../templates`, `../load/load-worker.js`) hold.
 * Commands still load on demand (one chunk each, esbuild's splitting).
 *
 * Only tenon's sources and the pure-JavaScript packages on every command's
 * path are bundled (BUNDLED); every other package stays an import of
 * node_modules: native and WebAssembly ones (libpg-query, PGlite, argon2)
 * load files next to themselves, pino starts worker threads by file name,
 * tsx registers loader hooks, and a user's scenario that imports
 * `tenon/load` gets the package's own modules either way.
 *
 * esbuild is not a dependency of tenon's own (it is installed for tsx and
 * vite): wiring this into `npm run build` needs it in devDependencies.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--outdir');
const OUTDIR = join(ROOT, at >= 0 ? process.argv[at + 1]! : 'dist-bundle');

/** Packages bundled into the CLI: pure JavaScript, no files of their own read at run time. */
const BUNDLED =
  /^(zod|commander|picocolors|pg|pg-(pool|protocol|types|connection-string|int8)|postgres-(array|bytea|date|interval)|pgpass|split2|xtend)(\/|$)/;

rmSync(join(OUTDIR, 'cli'), { recursive: true, force: true });
rmSync(join(OUTDIR, 'load', 'load-worker.js'), { force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { 'cli/bin': 'src/cli/bin.ts', 'load/load-worker': 'src/load/load-worker.ts' },
  outdir: OUTDIR,
  chunkNames: 'cli/_[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // The CommonJS packages bundled (pg, commander) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __tenonCreateRequire } from 'node:module';\nconst require = __tenonCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'tenon-externals',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('node:') || !BUNDLED.test(args.path)
            ? { path: args.path, external: true }
            : undefined,
        );
      },
    },
  ],
});
console.log(`bundled the CLI into ${OUTDIR}`);

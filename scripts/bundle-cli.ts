/**
 * Bundles the CLI (and the load worker it starts) with esbuild, the second
 * step of `npm run build` (after tsc): Node's ES module loader spends a good
 * part of every command's start-up resolving, reading and compiling files
 * one by one (zod alone is 95 of them), and Node 20 has no compile cache.
 * docs/migrate.md#performance has the figures.
 *
 *   npx tsx scripts/bundle-cli.ts [--outdir dist]
 *
 * Replaces tsc's OUTDIR/cli/bin.js (the `tenon` bin) and
 * OUTDIR/load/load-worker.js with bundles, next to shared chunks
 * OUTDIR/cli/_*.js; tsc's other CLI files are removed (the bundle holds
 * them), every other file of tsc's output stays as it is (the library
 * entries, `import … from 'tenon'`, are not bundled). Every file
 * stays two folders below the package root, as in dist/, so the paths tenon
 * finds from its own module (`../../package.json`, `../../templates`,
 * `../load/load-worker.js`) hold. Commands still load on demand (one chunk
 * each, esbuild's splitting).
 *
 * Only tenon's sources and the pure-JavaScript packages on every command's
 * path are bundled (BUNDLED); every other package stays an import of
 * node_modules: native and WebAssembly ones (libpg-query, PGlite, argon2)
 * load files next to themselves, pino starts worker threads by file name,
 * tsx registers loader hooks. A user's scenario that imports `tenon/load`
 * gets the package's own (unbundled) modules, so the classes both sides
 * check (`TenonError`) recognise instances of either copy.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--outdir');
const OUTDIR = join(ROOT, at >= 0 ? process.argv[at + 1]! : 'dist');

/** Packages bundled into the CLI: pure JavaScript, no files of their own read at run time. */
const BUNDLED =
  /^(zod|commander|picocolors|pg|pg-(pool|protocol|types|connection-string|int8)|postgres-(array|bytea|date|interval)|pgpass|split2|xtend)(\/|$)/;

// The previous build's chunks (their names carry a hash); tsc's own files stay.
const cliDir = join(OUTDIR, 'cli');
mkdirSync(cliDir, { recursive: true });
for (const file of readdirSync(cliDir, { withFileTypes: true }))
  if (file.isFile() && file.name.startsWith('_')) rmSync(join(cliDir, file.name));
// tsc's source maps of the two files replaced would describe the wrong code.
for (const file of ['cli/bin.js.map', 'load/load-worker.js.map']) rmSync(join(OUTDIR, file), { force: true });
/**
 * A plugin that drops `const require = createRequire(import.meta.url);` from the source files
 * `filter` matches, so esbuild sees their `require('…')` calls as its own and bundles what they
 * name (a package the externals plugin lets in) while the call still runs where it did. tsc's ESM
 * output has no `require`, hence the createRequire in the sources, which esbuild cannot follow.
 */
function bundledRequires(name: string, filter: RegExp): Plugin {
  return {
    name,
    setup(b) {
      b.onLoad({ filter }, (args) => {
        const lines = [
          "import { createRequire } from 'node:module';\n",
          'const require = createRequire(import.meta.url);\n',
        ];
        let contents = readFileSync(args.path, 'utf8');
        for (const line of lines) {
          if (!contents.includes(line))
            throw new Error(`${args.path} no longer has \`${line.trim()}\`: update ${name}`);
          contents = contents.replace(line, '');
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** Marks every package import external except the ones `bundled` matches. */
function externals(bundled: RegExp): Plugin {
  return {
    name: 'tenon-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith('node:') || !bundled.test(args.path)
          ? { path: args.path, external: true }
          : undefined,
      );
    },
  };
}

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // The CommonJS packages bundled (pg, commander) call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __tenonCreateRequire } from 'node:module';\nconst require = __tenonCreateRequire(import.meta.url);",
  },
} as const;
await build({
  ...common,
  entryPoints: { 'cli/bin': 'src/cli/bin.ts' },
  outdir: OUTDIR,
  chunkNames: 'cli/_[name]-[hash]',
  splitting: true,
  plugins: [
    // load-pg.ts requires pg through createRequire: pg then loaded from node_modules, file by file
    // (resolved, read and compiled one at a time: ~10 ms of CPU, several times that in wall time on
    // a busy machine). Bundled, its `require('pg')` still runs when loadPg calls it, while Response
    // is hidden.
    bundledRequires('tenon-bundled-pg', /[\\/]src[\\/]core[\\/]db[\\/]load-pg\.ts$/),
    externals(BUNDLED),
  ],
});
// The load worker: one file of its own, not an entry of the split build above. A worker thread
// loads its modules anew, and each file costs Node's ES module loader a resolve, a read and a
// compile: from the split build a worker loaded five chunks and, through histogram.ts, ten
// CommonJS files of hdr-histogram-js. Its two histogram classes are bundled here only: the
// package's encoder and `add` check `instanceof` against its own classes, so the main thread,
// which passes its histograms to them (baselines, shard results), keeps the package's copies.
await build({
  ...common,
  entryPoints: { 'load/load-worker': 'src/load/load-worker.ts' },
  outdir: OUTDIR,
  plugins: [
    bundledRequires('tenon-bundled-hdr', /[\\/]src[\\/]load[\\/]histogram\.ts$/),
    externals(new RegExp(`${BUNDLED.source}|^hdr-histogram-js/dist/`)),
  ],
});
// tsc's own CLI files are now inside the bundle: nothing imports them (the package exports no
// `tenon/cli`), and shipping them beside it doubled the package's cli/ folder.
for (const file of readdirSync(cliDir, { withFileTypes: true, recursive: true }))
  if (file.isFile() && !file.name.startsWith('_') && !(file.parentPath === cliDir && file.name === 'bin.js'))
    rmSync(join(file.parentPath, file.name));
for (const dir of readdirSync(cliDir, { withFileTypes: true }))
  if (dir.isDirectory()) rmSync(join(cliDir, dir.name), { recursive: true });
console.log(`bundled the CLI into ${join(OUTDIR, 'cli')}`);

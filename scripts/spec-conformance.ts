/**
 * The conformance oracle over the real-world corpus (issue 11):
 *
 *   npx tsx scripts/spec-conformance.ts [--spec FILE]… [--framework fastify,express]
 *       [--database-url postgres://…] [--tests spec|all|none] [--work DIR] [--json]
 *   npx tsx scripts/spec-conformance.ts --prepare     # install the validator (prism) only
 *
 * For every spec (default: the corpus's openapi/*.yaml and repro/*.yaml, TENON_CORPUS_DIR or ../shared/corpus)
 * in each framework it generates the project, installs it (one shared
 * install per dependency set), runs `npm run lint`, the project's own tests,
 * `npm run build`, boots `dist/server.js` on PGlite (and on a temporary
 * database of the server PostgreSQL with --database-url), and exercises every
 * operation through a prism proxy with requests built from the spec. Prints
 * each step's time on stderr and the table (or, with --json, the rows) on
 * stdout. Needs `npm run build` first (it runs tenon's dist/cli/bin.js).
 * Exits 0 when it ran; the table says what conforms.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusDir } from '../test/support/corpus-dir.js';
import { ensurePrism, PRISM_VERSION } from './conformance/prism.js';
import { type Framework, runConformance } from './conformance/run-conformance.js';
import { conformanceTable, rowFailed } from './conformance/table.js';

const USAGE = `usage: npx tsx scripts/spec-conformance.ts [--spec FILE]… [--framework fastify,express]
    [--database-url postgres://…] [--tests spec|all|none] [--work DIR] [--keep-work] [--cache DIR] [--json]
  npx tsx scripts/spec-conformance.ts --prepare   install the validator (prism) only
Without --spec: every spec of the corpus's openapi/ (and repro/): $TENON_CORPUS_DIR, else ../shared/corpus. Needs \`npm run build\` first.
Exit 0 when every project generated, passed its steps and the oracle found no violation or refused
request; 1 otherwise. TENON_SERVER_START_TIMEOUT_MS (default 120000) and TENON_PRISM_START_TIMEOUT_MS
(default 180000) bound how long the app and prism may take to start; TENON_PORT_RANGE (19100-19199)
keeps the ports the app and prism listen on within a range.
`;

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The corpus specs ({@link corpusDir}: `TENON_CORPUS_DIR`, else ../shared/corpus): `openapi/*.yaml|json` and `openapi/repro/*`, sorted. */
export function corpusSpecs(corpus = join(corpusDir(), 'openapi')): string[] {
  const list = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => /\.(ya?ml|json)$/.test(f))
          .sort()
          .map((f) => join(dir, f))
      : [];
  return [...list(corpus), ...list(join(corpus, 'repro'))];
}

/** A spec's name in the table: its path within the corpus's openapi/ (`repro/x.yaml`), else as given. */
function specName(file: string): string {
  const within = relative(join(corpusDir(), 'openapi'), file);
  return within.startsWith('..') || isAbsolute(within) ? file.replace(/^.*\/corpus\/openapi\//, '') : within;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      spec: { type: 'string', multiple: true },
      framework: { type: 'string', default: 'fastify,express' },
      'database-url': { type: 'string' },
      tests: { type: 'string', default: 'spec' },
      work: { type: 'string' },
      cache: { type: 'string' },
      json: { type: 'boolean', default: false },
      'keep-work': { type: 'boolean', default: false },
      prepare: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cacheDir = resolve(values.cache ?? join(root, 'node_modules', '.cache', 'tenon-conformance'));
  if (values.prepare) {
    // CI installs the validator first, so its time shows as a step of its own.
    const prism = ensurePrism(cacheDir);
    process.stderr.write(
      `prism ${PRISM_VERSION}: ${prism.installed ? 'installed' : 'already there'} (${prism.bin})\n`,
    );
    if (prism.output.trim()) process.stderr.write(prism.output);
    return 0;
  }
  const specs = values.spec?.map((s) => resolve(s)) ?? corpusSpecs();
  if (specs.length === 0) {
    process.stderr.write(
      `no specs: pass --spec FILE, or set TENON_CORPUS_DIR to the corpus (no specs in ${join(corpusDir(), 'openapi')})\n`,
    );
    return 2;
  }
  const frameworks = values.framework!.split(',').map((f) => f.trim()) as Framework[];
  for (const f of frameworks)
    if (f !== 'fastify' && f !== 'express') {
      process.stderr.write(`unknown framework ${f}; use fastify, express or both\n`);
      return 2;
    }
  const tests = values.tests as 'spec' | 'all' | 'none';
  if (!['spec', 'all', 'none'].includes(tests)) {
    process.stderr.write('--tests is spec, all or none\n');
    return 2;
  }
  const workDir = values.work ? resolve(values.work) : mkdtempSync(join(tmpdir(), 'tenon-conformance-'));
  const started = performance.now();
  try {
    const rows = await runConformance({
      specs,
      frameworks,
      tenonRoot: root,
      workDir,
      cacheDir,
      databaseUrl: values['database-url'],
      tests,
      name: (file) => specName(file),
      onEvent: (event) => {
        if (event.type === 'step')
          process.stderr.write(
            `${event.spec} ${event.framework}: ${event.step} ${event.status} (${(event.ms / 1000).toFixed(1)} s)\n`,
          );
      },
    });
    const seconds = Math.round((performance.now() - started) / 1000);
    if (values.json)
      process.stdout.write(
        `${JSON.stringify({ schema: 'tenon.scripts.spec-conformance/v1', seconds, rows }, null, 2)}\n`,
      );
    else process.stdout.write(`${conformanceTable(rows)}\n\n${rows.length} projects in ${seconds} s\n`);
    const failed = rows.filter(rowFailed).length;
    if (failed > 0) process.stderr.write(`${failed} of ${rows.length} projects fell short (exit 1)\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    if (!values.work && !values['keep-work']) rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`spec-conformance failed: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrism } from '../../scripts/conformance/prism.js';
import {
  type ConformanceRow,
  type Framework,
  runConformance,
} from '../../scripts/conformance/run-conformance.js';
import { conformanceTable } from '../../scripts/conformance/table.js';
import { corpusSpecs } from '../../scripts/spec-conformance.js';
import { requireCorpus, requirePostgres, SERVER_DATABASE_URL } from '../support/services.js';
import { conformanceProblems, PENDING, pendingFor } from './spec-conformance-pending.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpus = requireCorpus('openapi');
const postgres = await requirePostgres();
const all = corpus.available ? corpusSpecs(corpus.dir) : [];
const name = (file: string) => relative(corpus.dir, file);
const wanted = process.env.TENON_CONFORMANCE_SPECS?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const w of wanted ?? [])
  if (!all.some((f) => name(f) === w))
    throw new Error(`TENON_CONFORMANCE_SPECS: no corpus spec ${w} (known: ${all.map(name).join(', ')})`);
const specs = wanted ? all.filter((f) => wanted.includes(name(f))) : all;
const cacheDir = join(root, 'node_modules', '.cache', 'tenon-conformance');

/**
 * The specs whose rows run the oracle on PGlite as well as on the server PostgreSQL; every other
 * row runs it on the server PostgreSQL only. The oracle judges the HTTP contract (requests built
 * from the spec, answers checked by prism), and the database engine under the app does not change
 * it, while the oracle on PGlite took ~1.8× its time on PostgreSQL, on every row, on CI's two
 * busy cores. PGlite under the app stays covered for every spec by the row's own tests (the
 * generated project's tests run on PGlite), by the fixture matrix (shop's whole suite on PGlite,
 * its production build booted on a PGlite directory) and, here, by these specs' production builds
 * booted on PGlite and exercised in full. `TENON_CONFORMANCE_PGLITE=all` runs every row on both.
 */
export const PGLITE_ORACLE_SPECS: readonly string[] = [
  // XML bodies and answers beside JSON (its own dependency set, with fast-xml-parser).
  'train-travel.yaml',
  // Date columns and query arrays, where the engines' type handling could part.
  'repro/shapes.yaml',
];
const pgliteAll = process.env.TENON_CONFORMANCE_PGLITE === 'all';
if (process.env.TENON_CONFORMANCE_PGLITE && !pgliteAll)
  throw new Error(
    `TENON_CONFORMANCE_PGLITE: only 'all' is known, not ${process.env.TENON_CONFORMANCE_PGLITE}`,
  );
const onPglite = (spec: string) => pgliteAll || PGLITE_ORACLE_SPECS.includes(spec);

/**
 * The conformance oracle over the real-world corpus (issue 11) in one
 * framework: every spec of `../shared/corpus/openapi/` (and `repro/`) is
 * generated, installed (one shared install per framework), linted, tested,
 * built, booted on the server PostgreSQL (and on PGlite for {@link PGLITE_ORACLE_SPECS}), and
 * every operation is called through a prism proxy with requests built from the spec. A row
 * conforms when all of that passes with zero violations and no refused
 * request. Rows that do not conform yet are listed, with the reason, in
 * `spec-conformance-pending.ts`; a pending row that starts conforming fails
 * here until it is taken off the list, so the list only shrinks.
 *
 * One test file per framework (`spec-conformance-<framework>.e2e.test.ts`)
 * so that vitest runs the two halves of the matrix on its two workers: the
 * frameworks have different dependency sets, so the halves share nothing.
 * `TENON_CONFORMANCE_SPECS=museum.yaml,…` limits the specs (the Node 24 pass
 * of `.ci/run` runs a slice).
 */
export function conformanceSuite(framework: Framework): void {
  const work = mkdtempSync(join(tmpdir(), `tenon-conformance-${framework}-`));
  const rows: ConformanceRow[] = [];
  afterAll(() => {
    if (rows.length) {
      // The table of this run, on stdout and as JSON for the report.
      console.log(`\nspec conformance (issue 11), ${framework}\n\n${conformanceTable(rows)}\n`);
      mkdirSync(join(root, 'test-output'), { recursive: true });
      writeFileSync(
        join(root, 'test-output', `spec-conformance-${framework}.json`),
        `${JSON.stringify({ schema: 'tenon.scripts.spec-conformance/v1', rows }, null, 2)}\n`,
      );
    }
    rmSync(work, { recursive: true, force: true });
  });

  describe.skipIf(!corpus.available || !postgres.available)(
    `spec conformance over the corpus, ${framework}`,
    () => {
      it('every pending entry of this framework names a corpus spec, a reason and issue 11', () => {
        for (const entry of PENDING.filter((e) => e.frameworks.includes(framework))) {
          expect(all.map(name), entry.spec).toContain(entry.spec);
          expect(entry.reason.length, entry.spec).toBeGreaterThan(10);
          expect(entry.issue).toBe(11);
        }
      });

      it('every spec kept on PGlite names a corpus spec', () => {
        for (const spec of PGLITE_ORACLE_SPECS) expect(all.map(name)).toContain(spec);
      });

      it('prism installs without a warning into its own tool folder', () => {
        const prism = ensurePrism(cacheDir);
        expect(prism.output.split('\n').filter((l) => /^npm (warn|WARN)/.test(l))).toEqual([]);
      });

      describe.sequential.each(specs.map(name))('%s', (spec) => {
        it(`${framework}: generates, lints, tests, builds, boots, and serves the spec with zero violations`, async () => {
          // The harness creates (and drops) its own temporary database on the server for each row.
          const [row] = (await runConformance({
            specs: [join(corpus.dir, spec)],
            frameworks: [framework],
            tenonRoot: root,
            workDir: work,
            cacheDir,
            databaseUrl: SERVER_DATABASE_URL,
            pgliteSpecs: onPglite,
            name,
            onEvent: (event) => {
              if (event.type === 'step')
                console.log(
                  `${spec} ${framework}: ${event.step} ${event.status} (${(event.ms / 1000).toFixed(1)} s)`,
                );
            },
          })) as [ConformanceRow];
          rows.push(row);
          // Whatever else is pending, a generated project's npm install prints no warning
          // (EBADENGINE from cookie@2 under fastify was one, on Node 20.19).
          if (row.install.status !== 'not run') expect(row.install.warnings).toEqual([]);
          expect(row.generated.specOperations, 'the oracle found operations in the spec').toBeGreaterThan(0);
          const problems = conformanceProblems(row, onPglite(spec) ? ['pglite', 'postgres'] : ['postgres']);
          const pending = pendingFor(spec, framework);
          if (pending) {
            console.log(
              `PENDING (issue 11) ${spec} ${framework}: ${pending.reason}\n  ${problems.join('\n  ')}`,
            );
            expect(problems, `${spec} ${framework} conforms now: take it off PENDING`).not.toEqual([]);
          } else {
            expect(problems).toEqual([]);
          }
        }, 1_200_000);
      });
    },
  );
}

import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest test files of the e2e and integration layers, slowest first
 * (ranked by a timed run of each layer on the shared 2-core machine). Vitest
 * hands the next file to whichever of its two workers is free; with no
 * results cache (a clean clone, as in CI) it starts the largest files first,
 * which put the corpus matrix — the longest e2e file, and a small one — last,
 * alone on one worker while the other idled, and did the same to the
 * generated-project type check (two npm installs) at the end of the
 * integration layer. Starting the longest files first lets the short ones fill
 * the gaps. A file missing here only loses its head start.
 */
export const HEAVY_FILES: readonly string[] = [
  // e2e
  'test/e2e/spec-conformance-fastify.e2e.test.ts',
  'test/e2e/spec-conformance-express.e2e.test.ts',
  'test/e2e/scaffold-projects-fastify.e2e.test.ts',
  'test/e2e/scaffold-projects-express.e2e.test.ts',
  // integration (ranked by a timed run of the layer on 2026-12-07: the type check of eight generated
  // projects is the longest file, then the scaffold files that each run generated projects' suites)
  'test/scaffold/generated-typecheck.int.test.ts',
  'test/scaffold/auth-keys.int.test.ts',
  'test/scaffold/named-key.int.test.ts',
  'test/scaffold/wrapped-crud.int.test.ts',
  'test/scaffold/auth-route-taken.int.test.ts',
  'test/cli/json-output.int.test.ts',
  'test/scaffold/crud-media.int.test.ts',
  'test/scaffold/crud-parameters.int.test.ts',
  'test/scaffold/spec-errors.int.test.ts',
  'test/migrate/trace/trace.int.test.ts',
  'test/load/run-load.int.test.ts',
  'test/readme-commands.int.test.ts',
  'test/scaffold/answer-shapes.int.test.ts',
  'test/cli/postgres-versions.int.test.ts',
];

/**
 * Vitest's order (layer by layer, then its cache or file sizes), except that
 * within a layer the files of {@link HEAVY_FILES} start first, in that order.
 */
export class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const index = HEAVY_FILES.indexOf(relative(root, spec.moduleId));
      return index === -1 ? HEAVY_FILES.length : index;
    };
    // The base order keeps each project's files together; reorder inside each run of one project.
    const result: TestSpecification[] = [];
    let start = 0;
    for (let i = 1; i <= sorted.length; i++) {
      if (i < sorted.length && sorted[i]!.project.name === sorted[start]!.project.name) continue;
      const group = sorted.slice(start, i);
      // Array.prototype.sort is stable: files of equal rank keep the base order.
      result.push(...group.sort((a, b) => rank(a) - rank(b)));
      start = i;
    }
    return result;
  }
}

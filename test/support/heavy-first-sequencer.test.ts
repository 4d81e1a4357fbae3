import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import { HEAVY_FILES, HeavyFirstSequencer } from './heavy-first-sequencer.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A test file of `project` as the sequencer sees it (only what BaseSequencer.sort reads). */
function spec(project: string, file: string): TestSpecification {
  return {
    moduleId: join(root, file),
    project: { name: project, config: { sequence: { groupOrder: 0 }, isolate: true } },
  } as unknown as TestSpecification;
}

/** A vitest context without a results cache, as in a clean clone: the base order is by file size. */
function context(sizes: Record<string, number>): Vitest {
  return {
    config: { root },
    cache: {
      getFileTestResults: () => undefined,
      getFileStats: (key: string) => ({ size: sizes[key.slice(key.indexOf(':') + 1)] ?? 0 }),
    },
  } as unknown as Vitest;
}

describe('HeavyFirstSequencer', () => {
  it('starts the listed files first within their layer, keeps the layers apart and the rest in vitest order', async () => {
    const files = [
      spec('e2e', 'test/demo/demo.e2e.test.ts'),
      spec('e2e', HEAVY_FILES[1]!),
      spec('integration', 'test/b.int.test.ts'),
      spec('e2e', 'test/analyze/round-trip-pgbench.e2e.test.ts'),
      spec('e2e', HEAVY_FILES[0]!),
      spec('integration', 'test/a.int.test.ts'),
    ];
    const sizes = {
      'test/demo/demo.e2e.test.ts': 900,
      'test/analyze/round-trip-pgbench.e2e.test.ts': 500,
      [HEAVY_FILES[0]!]: 100,
      [HEAVY_FILES[1]!]: 100,
      'test/a.int.test.ts': 10,
      'test/b.int.test.ts': 20,
    };
    const sorted = await new HeavyFirstSequencer(context(sizes)).sort(files);
    expect(sorted.map((s) => `${s.project.name} ${s.moduleId.slice(root.length)}`)).toEqual([
      `e2e ${HEAVY_FILES[0]}`,
      `e2e ${HEAVY_FILES[1]}`,
      'e2e test/demo/demo.e2e.test.ts',
      'e2e test/analyze/round-trip-pgbench.e2e.test.ts',
      'integration test/b.int.test.ts',
      'integration test/a.int.test.ts',
    ]);
  });

  it('lists only files that exist (a renamed file would silently lose its place)', () => {
    for (const file of HEAVY_FILES) expect(existsSync(join(root, file)), file).toBe(true);
  });
});

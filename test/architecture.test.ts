import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layering of src/ (docs/architecture.md), checked with the same
 * dependency-cruiser rules `npm run lint` runs: the real tree has no
 * violation, and a tree that breaks each rule on purpose trips it.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string): Promise<string[]> {
  const { output } = await cruise(['src'], {
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: join(ROOT, 'tsconfig.json') },
  });
  const result = output as ICruiseResult;
  return result.summary.violations
    .map(
      (v) =>
        `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`,
    )
    .sort();
}

describe('layers of src/', () => {
  it('the code base breaks no rule', async () => {
    expect(await violations(ROOT)).toEqual([]);
  }, 30_000);

  describe('each rule trips', () => {
    // Inside the project, so that `commander` resolves to node_modules as it does from src/.
    mkdirSync(join(ROOT, '.tenon'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, '.tenon', 'test-layers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const files: Record<string, string> = {
      'src/core/errors.ts': "import { x } from '../migrate/migrator.js';\nexport const e = x;\n",
      'src/migrate/migrator.ts': "import { a } from '../analyze/analyzer.js';\nexport const x = a;\n",
      'src/analyze/analyzer.ts': "import { c } from '../cli/program.js';\nexport const a = c;\n",
      'src/load/run-load.ts': "import { d } from '../demo/run-demo.js';\nexport const l = d;\n",
      'src/scaffold/generate.ts': "import { t } from '../config/tenon-config.js';\nexport const g = t;\n",
      'src/report/format.ts': "import { l } from '../load/run-load.js';\nexport const f = l;\n",
      'src/config/tenon-config.ts': "import { x } from '../migrate/migrator.js';\nexport const t = x;\n",
      'src/demo/run-demo.ts': "import { i } from '../index.js';\nexport const d = i;\n",
      'src/index.ts': 'export const i = 1;\n',
      'src/report/html.ts': "import { Command } from 'commander';\nexport const h = Command;\n",
      'src/cli/program.ts': 'export const c = 1;\n',
      'src/cli/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'src/cli/b.ts': "import { a } from './a.js';\nexport const b = a;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }

    let found: string[] | undefined;
    it.each([
      ['core-is-the-bottom', 'src/core/errors.ts → src/migrate/migrator.ts'],
      ['part-not-other-part', 'src/migrate/migrator.ts → src/analyze/analyzer.ts'],
      ['library-not-cli', 'src/analyze/analyzer.ts → src/cli/program.ts'],
      ['part-not-demo', 'src/load/run-load.ts → src/demo/run-demo.ts'],
      ['part-not-config', 'src/scaffold/generate.ts → src/config/tenon-config.ts'],
      ['report-on-core-only', 'src/report/format.ts → src/load/run-load.ts'],
      ['config-reads-sections-only', 'src/config/tenon-config.ts → src/migrate/migrator.ts'],
      ['nothing-imports-the-entry', 'src/demo/run-demo.ts → src/index.ts'],
      ['no-cycles', 'src/cli/a.ts → src/cli/b.ts'],
      ['terminal-libraries-in-cli-only', 'src/report/html.ts → node_modules/commander/'],
    ])('%s', async (rule, edge) => {
      found ??= await violations(dir);
      const [from, to] = edge.split(' → ') as [string, string];
      expect(found.filter((v) => v.startsWith(`${rule}: ${from} → `) && v.includes(to))).toHaveLength(1);
    });
  });
});

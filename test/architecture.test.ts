import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import ts from 'typescript';
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

/**
 * The library never prints and never ends the process (DESIGN.md, "the
 * library returns data; the CLI owns the terminal"): only src/cli touches
 * `console`, `process.exit`/`exitCode`, the standard streams, argv or the
 * TTY. Read from the syntax tree, so a TSDoc example that shows a caller
 * printing, or generated code inside a string, is not a use.
 */
const TERMINAL_MEMBERS = new Set(['exit', 'exitCode', 'abort', 'stdout', 'stderr', 'stdin', 'argv']);
const TERMINAL_MODULES = new Set(['node:tty', 'tty', 'node:readline', 'readline', 'node:readline/promises']);

function terminalUses(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const uses: string[] = [];
  const at = (node: ts.Node, what: string) =>
    uses.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} ${what}`);
  // `process` or `globalThis.process`, `console` or `globalThis.console`.
  const isGlobal = (node: ts.Expression, name: string): boolean =>
    (ts.isIdentifier(node) && node.text === name) ||
    (ts.isPropertyAccessExpression(node) &&
      node.name.text === name &&
      isGlobal(node.expression, 'globalThis'));
  const memberName = (node: ts.Node): string | undefined => {
    if (ts.isPropertyAccessExpression(node)) return node.name.text;
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      return node.argumentExpression.text;
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === 'console') {
      const parent = node.parent;
      // `x.console` (unless x is globalThis, reported below) and `{ console: … }` name a property, not the global.
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ((ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isPropertyDeclaration(parent)) &&
          parent.name === node);
      if (!isPropertyName) at(node, 'console');
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'console' &&
      isGlobal(node.expression, 'globalThis')
    ) {
      at(node, 'globalThis.console');
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = memberName(node);
      if (name !== undefined && TERMINAL_MEMBERS.has(name) && isGlobal(node.expression, 'process')) {
        at(node, `process.${name}`);
      }
    }
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      if (TERMINAL_MODULES.has(from)) at(node, `import from '${from}'`);
      if (from === 'node:process' || from === 'process') {
        const named = node.importClause?.namedBindings;
        const names =
          named && ts.isNamedImports(named) ? named.elements.map((e) => (e.propertyName ?? e.name).text) : [];
        for (const name of names)
          if (TERMINAL_MEMBERS.has(name)) at(node, `import { ${name} } from '${from}'`);
        // A default or namespace import hides which member is used: count it as a use.
        if (node.importClause?.name || (named && ts.isNamespaceImport(named)))
          at(node, `import process from '${from}'`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function libraryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.endsWith(join('src', 'cli')) ? [] : libraryFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Library files that may still touch the terminal, each with the reason.
 * Empty: add an entry only with a reason a reviewer accepts (and drop it
 * when the use goes).
 */
const TERMINAL_ALLOWED: Record<string, string> = {};

describe('the library does not touch the terminal', () => {
  it('no console, process.exit/exitCode, standard stream, argv or TTY outside src/cli', () => {
    const files = libraryFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const uses = files.flatMap((path) => {
      const file = relative(ROOT, path).split(sep).join('/');
      return TERMINAL_ALLOWED[file] === undefined ? terminalUses(file, readFileSync(path, 'utf8')) : [];
    });
    expect(uses).toEqual([]);
  });

  it.each([
    ["console.log('x');", 'console'],
    ["globalThis.console.error('x');", 'globalThis.console'],
    ['const log = console;', 'console'],
    ['process.exit(1);', 'process.exit'],
    ['process.exitCode = 1;', 'process.exitCode'],
    ["process['exit'](2);", 'process.exit'],
    ['globalThis.process.exit(1);', 'process.exit'],
    ["process.stdout.write('x');", 'process.stdout'],
    ["process.stderr.write('x');", 'process.stderr'],
    ['const a = process.argv;', 'process.argv'],
    ["import { exit } from 'node:process';", "import { exit } from 'node:process'"],
    ["import process from 'node:process';", "import process from 'node:process'"],
    ["import { isatty } from 'node:tty';", "import from 'node:tty'"],
  ])('trips on %s', (code, what) => {
    expect(terminalUses('src/x.ts', `${code}\n`)).toEqual([`src/x.ts:1 ${what}`]);
  });

  it.each([
    ['/** @example console.log(r); process.exitCode = 1; */\nexport const a = 1;'],
    ["// process.exit(1)\nexport const a = 'console.log(1); process.exit(1)';"],
    ['export const t = `console.error(e); process.exit(1);`;'],
    ['const o = { console: 1 }; export const c = o.console;'],
    ['export const env = process.env.HOME; export const cwd = process.cwd();'],
    ["import { env } from 'node:process'; export const e = env;"],
  ])('does not trip on %s', (code) => {
    expect(terminalUses('src/x.ts', code)).toEqual([]);
  });
});

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from './generated-deps.js';
import { runProjectTool } from './project-tool.js';

/**
 * The start of a test file a tenon test writes into a generated project: vitest, the project's
 * own `startTestApp` (the app in process, on PGlite) and an admin's session, as `app` and
 * `admin`. The file's own imports may follow it (imports are hoisted).
 */
export const CHECK_SETUP = `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

let app: TestApp;
let admin: Session;
beforeAll(async () => {
  app = await startTestApp();
  admin = await sessionFor(app, 'admin');
});
afterAll(async () => {
  await app?.close();
});
`;

/**
 * A spec of `test/scaffold/fixtures/` (`file`, e.g. `long-key.yaml`) and a work folder for the
 * projects generated from it, removed after the calling test file's tests.
 */
export function scaffoldFixture(file: string): { spec: string; work: string } {
  const spec = fileURLToPath(new URL(`../scaffold/fixtures/${file}`, import.meta.url));
  const work = mkdtempSync(join(tmpdir(), `tenon-${file.replace(/\.[a-z]+$/, '').replace(/\W+/g, '-')}-`));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return { spec, work };
}

/** Runs a generated project's vitest on `files` (its linked `node_modules` at `modules`). */
export function projectVitest(
  dir: string,
  modules: string,
  files: string[],
): Promise<{ code: number | null; output: string }> {
  return runProjectTool(dir, modules, ['vitest/vitest.mjs', 'run', ...files]);
}

/** A spec to generate a project from: into `work/<framework>`. */
export interface ProjectFixture {
  spec: string;
  framework: 'fastify' | 'express';
  work: string;
}

/** What a generated project must pass: a test file tenon's test writes into it, run with some of its own tests. */
export interface ProjectCheck {
  /** The file name under `test/generated/` the check is written to. */
  name: string;
  /** The check's source (it starts with {@link CHECK_SETUP}). */
  source: string;
  /** The project's own tests run beside it (and vitest flags, such as `--maxWorkers=1`). */
  tests: string[];
  /** Files written into the project before the run (path from its root → text): a handler the check calls. */
  files?: Record<string, string>;
  /** Asserts that every operation is CRUD: the project has no `src/operations/` of its own. */
  allCrud?: boolean;
}

/** A generated project: its directory and the `node_modules` linked into it. */
export interface GeneratedProject {
  dir: string;
  modules: string;
}

/**
 * Generates `fixture`'s project, links its dependencies, writes the check into it and runs it with
 * the project's own tests; asserts they all pass (the tail of the output when they do not). Returns
 * the project for further checks (type check, lint).
 */
export async function generateAndCheck(
  fixture: ProjectFixture,
  check: ProjectCheck,
): Promise<GeneratedProject> {
  const { spec, framework, work } = fixture;
  const dir = join(work, framework);
  await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
  if (check.allCrud) expect(existsSync(join(dir, 'src/operations'))).toBe(false);
  const modules = linkGeneratedDependencies(dir);
  for (const [path, text] of Object.entries(check.files ?? {})) writeFileSync(join(dir, path), text);
  writeFileSync(join(dir, 'test/generated', check.name), check.source);
  const result = await projectVitest(dir, modules, [`test/generated/${check.name}`, ...check.tests]);
  expect({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-4000) }).toEqual({
    code: 0,
    tail: '',
  });
  expect(result.output).toMatch(/Tests\s+\d+ passed/);
  return { dir, modules };
}

/** Options of {@link checkEachFramework}. */
export interface EachFrameworkOptions {
  /** The test's timeout (default 420 s: generation, a shared install the first time, the project's vitest). */
  timeout?: number;
  /** Further checks of the generated project once {@link generateAndCheck} passed (its lint, its type check). */
  afterwards?: (project: GeneratedProject) => Promise<void>;
}

/**
 * One test per framework, under `describe(title)` (`%s` is the framework): generates `spec`'s
 * project into `work/<framework>` and runs `check` in it ({@link generateAndCheck}), then
 * `options.afterwards`. The scaffold tests of one fixture each are this, in both frameworks.
 */
export function checkEachFramework(
  title: string,
  test: string,
  fixture: Omit<ProjectFixture, 'framework'>,
  check: ProjectCheck,
  options: EachFrameworkOptions = {},
): void {
  describe.each(['fastify', 'express'] as const)(title, (framework) => {
    it(
      test,
      async () => {
        const project = await generateAndCheck({ ...fixture, framework }, check);
        await options.afterwards?.(project);
      },
      options.timeout ?? 420_000,
    );
  });
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * Runs a tool of a generated project from its linked `node_modules` (`args[0]` relative to
 * `modules`, e.g. `vitest/vitest.mjs`, then its arguments) in the project's directory, outside this
 * test run: vitest's own variables, a DATABASE_URL and NODE_ENV are not passed on, so the project
 * runs as `npm test` would on a developer's machine (PGlite).
 */
export async function runProjectTool(
  dir: string,
  modules: string,
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(modules, args[0]!), ...args.slice(1)], {
    cwd: dir,
    env: {
      ...process.env,
      VITEST: undefined,
      VITEST_WORKER_ID: undefined,
      VITEST_POOL_ID: undefined,
      NO_COLOR: '1',
      DATABASE_URL: undefined,
      NODE_ENV: undefined,
    },
  });
  let output = '';
  child.stdout.on('data', (c) => (output += String(c)));
  child.stderr.on('data', (c) => (output += String(c)));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/**
 * The generated project's own lint passes without a word: ESLint, then tsc (vitest runs
 * TypeScript without checking its types, so a check file or template could pass its tests and
 * still break `npm run lint`).
 */
export async function expectProjectLints(dir: string, modules: string): Promise<void> {
  for (const tool of [
    ['eslint/bin/eslint.js', '.'],
    ['typescript/bin/tsc', '--noEmit'],
  ]) {
    const checked = await runProjectTool(dir, modules, tool);
    expect({ tool: tool[0], code: checked.code, output: checked.output }).toEqual({
      tool: tool[0],
      code: 0,
      output: '',
    });
  }
}

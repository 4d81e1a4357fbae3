import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

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

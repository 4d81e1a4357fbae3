import { runProjectTool } from './project-tool.js';

/**
 * The start of a test file a tenon test writes into a generated project: vitest, the project's
 * own `startTestApp` (the app in process, on PGlite) and an admin's session, as `app` and
 * `admin`. The file's own imports may follow it (imports are hoisted).
 */
export const CHECK_SETUP = `import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, sessionFor } from './sessions.js';
import { startTestApp, type TestApp, type TestResponse } from './test-app.js';

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

/** Runs a generated project's vitest on `files` (its linked `node_modules` at `modules`). */
export function projectVitest(
  dir: string,
  modules: string,
  files: string[],
): Promise<{ code: number | null; output: string }> {
  return runProjectTool(dir, modules, ['vitest/vitest.mjs', 'run', ...files]);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { CHECK_SETUP, generateAndCheck } from '../support/project-check.js';

/**
 * A path no route can hold (`/things:count`, a Google-style custom method) no longer refuses the
 * whole spec: that operation is left out (warning `operation-not-generated`), the rest is served.
 */
const spec = fileURLToPath(new URL('./fixtures/colon-path.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-colon-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CHECK = `${CHECK_SETUP}
describe('a spec with a path no route can hold', () => {
  it('serves its other operations', async () => {
    const res = await app.request('GET', '/things', undefined, admin.headers);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
  });
});
`;

describe.each(['fastify', 'express'] as const)('a path with a ":" in a generated %s project', (framework) => {
  it('is left out, and the rest is generated and served', async () => {
    await generateAndCheck(
      { spec, framework, work },
      { name: 'colon-path-check.test.ts', source: CHECK, tests: [] },
    );
  }, 420_000);
});

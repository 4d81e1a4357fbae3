import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { expectProjectLints } from '../support/project-tool.js';

/**
 * A spec's own resource under `/api/v1/auth/` (auth-prefix-idempotency.yaml: `POST
 * /api/v1/auth/api-keys`) takes an Idempotency-Key as any other operation: a retry with the same
 * key replays the first answer and creates nothing. Before, every path under that prefix was kept
 * out of Idempotency-Key handling, a retry created a second key, and the project's own idempotency
 * test (written for that resource) failed. tenon's own auth routes stay out of it: a login retried
 * with a key is answered afresh, never replayed.
 */
const { spec, work } = scaffoldFixture('auth-prefix-idempotency.yaml');

const CHECK = `${CHECK_SETUP}
describe('Idempotency-Key under /api/v1/auth/', () => {
  it('replays the spec´s own POST /api/v1/auth/api-keys', async () => {
    const headers = { ...admin.headers, 'idempotency-key': 'key-under-auth-1' };
    const first = await app.request('POST', '/api/v1/auth/api-keys', { label: 'ci' }, headers);
    const again = await app.request('POST', '/api/v1/auth/api-keys', { label: 'ci' }, headers);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const listed = await app.request('GET', '/api/v1/auth/api-keys', undefined, admin.headers);
    expect((listed.body as { label: string }[]).filter((k) => k.label === 'ci')).toHaveLength(1);
  });

  it('leaves tenon´s own auth routes out: a login is never replayed', async () => {
    const headers = { ...admin.headers, 'idempotency-key': 'key-under-auth-2' };
    const body = { email: 'nobody@example.com', password: 'wrong-password-1' };
    for (let i = 0; i < 2; i++) {
      const res = await app.request('POST', '/api/v1/auth/login', body, headers);
      expect(res.status).toBe(401);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
    }
  });
});
`;

checkEachFramework(
  'a spec resource under /api/v1/auth/ in a generated %s project',
  'takes an Idempotency-Key; tenon’s own auth routes do not; the project’s own tests pass',
  { spec, work },
  {
    name: 'auth-prefix-idempotency-check.test.ts',
    source: CHECK,
    tests: ['test/generated/idempotency.test.ts', 'test/generated/api-key.test.ts'],
  },
  {
    timeout: 600_000,
    // The guards that name tenon's own auth routes from the generated policy type-check and lint.
    afterwards: (project) => expectProjectLints(project.dir, project.modules),
  },
);

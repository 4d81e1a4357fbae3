import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * netbird's peers: no POST, a PUT whose body (PeerRequest) lacks most of what the answers (Peer)
 * require. The PUT on a new key creates the row, and used to fail with a NOT NULL violation (400).
 * In a generated project of each framework, a spec-valid PUT makes a row whose answer has every
 * property the spec requires, and the project's own tests pass.
 */
const { spec, work } = scaffoldFixture('put-only-required.yaml');

const CHECK = `${CHECK_SETUP}
const REQUIRED = ['id', 'name', 'ip', 'connected', 'last_seen', 'os', 'geoname_id', 'groups', 'created_at', 'ssh_enabled', 'login_expiration_enabled', 'approval_required', 'user_id'];

it('a spec-valid PUT on a new key makes a row that answers what the spec requires', async () => {
  const body = { name: 'stage-host-1', ssh_enabled: true, login_expiration_enabled: false };
  const put = await app.request('PUT', '/api/peers/peer-1', body, admin.headers);
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ id: 'peer-1', ...body, groups: [] });
  for (const name of REQUIRED) expect(put.body, name).toHaveProperty(name);
  const read = await app.request('GET', '/api/peers/peer-1', undefined, admin.headers);
  expect(read.status).toBe(200);
  expect(read.body).toEqual(put.body);
  // A replacement keeps what its body does not declare.
  const again = await app.request('PUT', '/api/peers/peer-1', { ...body, name: 'renamed' }, admin.headers);
  expect(again.body).toEqual({ ...(put.body as object), name: 'renamed' });
});
`;

checkEachFramework(
  'a PUT-only resource in a generated %s project',
  'makes rows whose answers hold what the spec requires, and the project’s own tests pass',
  { spec, work },
  {
    name: 'put-only-required-check.test.ts',
    source: CHECK,
    tests: ['test/generated/peer.test.ts', 'test/generated/access.test.ts', '--maxWorkers=1'],
    allCrud: true,
  },
);

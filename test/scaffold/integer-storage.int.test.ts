import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * An integer without a format whose example goes beyond int4 (karakeep's `storageQuota`,
 * 5000000000) is stored as bigint: the spec's own example is taken, stored and answered as a JSON
 * number (not the string pg gives an int8 by default), on PGlite as the tests run it.
 */
const { spec, work } = scaffoldFixture('integer-storage.yaml');

const CHECK = `${CHECK_SETUP}
describe('an integer beyond int4 in the spec', () => {
  it('is taken, stored and answered as a JSON number', async () => {
    const body = { storageQuota: 5000000000, files: 20, maxBytes: 10000000000, big: 5000000001 };
    const created = await app.request('POST', '/quotas', body, admin.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject(body);
    const read = await app.request('GET', \`/quotas/\${created.body.id}\`, undefined, admin.headers);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject(body);
  });

  it('keeps int4 where the spec says int32 or gives nothing beyond it', async () => {
    for (const field of ['files', 'small']) {
      const res = await app.request('POST', '/quotas', { storageQuota: 1, files: 1, [field]: 2147483648 }, admin.headers);
      expect(res.status, field).toBe(400);
    }
  });
});
`;

checkEachFramework(
  'integer storage in a generated %s project',
  'stores the spec’s values',
  { spec, work },
  { name: 'integer-storage-check.test.ts', source: CHECK, tests: [] },
);

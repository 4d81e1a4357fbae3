import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * lago's `DELETE /taxes/{code}` answers the removed tax under the key every other answer wraps it
 * in (`{ tax: {…} }`, 200): that one answer made the resource handlers. In a generated project of
 * each framework the resource is CRUD, its own tests pass, and a check written into it deletes a
 * row and gets that row back under the key, then a 404 for it.
 */
const { spec, work } = scaffoldFixture('wrapped-delete.yaml');

const CHECK = `${CHECK_SETUP}
it('answers the removed row under its key, as the other answers do', async () => {
  const made = await app.request('POST', '/taxes', { tax: { name: 'TVA', code: 'fr_vat', rate: 20 } }, admin.headers);
  expect(made.status).toBe(200);
  const read = await app.request('GET', '/taxes/fr_vat', undefined, admin.headers);
  const gone = await app.request('DELETE', '/taxes/fr_vat', undefined, admin.headers);
  expect(gone.status).toBe(200);
  expect(gone.body).toEqual(read.body);
  expect(gone.body).toEqual({ tax: expect.objectContaining({ code: 'fr_vat', name: 'TVA', rate: 20 }) });
  // Only the spec's properties: no tenon bookkeeping beside them.
  expect(Object.keys((gone.body as { tax: object }).tax).sort()).toEqual(
    Object.keys((made.body as { tax: object }).tax).sort(),
  );
  expect((await app.request('GET', '/taxes/fr_vat', undefined, admin.headers)).status).toBe(404);
  expect((await app.request('DELETE', '/taxes/fr_vat', undefined, admin.headers)).status).toBe(404);
});
`;

checkEachFramework(
  'a DELETE answering the removed row under a key in a generated %s project',
  'is CRUD, answers { tax: row }, and the project’s own tests pass',
  { spec, work },
  {
    name: 'wrapped-delete-check.test.ts',
    source: CHECK,
    tests: ['test/generated/tax-object.test.ts', 'test/generated/access.test.ts'],
    allCrud: true,
  },
);

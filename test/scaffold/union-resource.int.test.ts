import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * The cafe's `MenuItem: oneOf [Beverage, Dessert]` (fixture `cafe/`, multi-file,
 * discriminated by `category`) in a generated project of each framework: every
 * operation is CRUD (no handler of its own), a body of either branch is created
 * and answered with its own branch's properties, a body missing what its branch
 * requires is a 400, and the project's own generated tests pass.
 */
const { spec, work } = scaffoldFixture('cafe/openapi.yaml');

const CHECK = `${CHECK_SETUP}
it('creates and answers both branches, and holds a body to its branch', async () => {
  const latte = { category: 'beverage', name: 'Latte', price: 4, volume: 0.3, containsCaffeine: true };
  const tart = { category: 'dessert', name: 'Tart', price: 5, calories: 320 };
  const a = await app.request('POST', '/menu', latte, admin.headers);
  expect(a.status).toBe(201);
  expect(a.body).toMatchObject(latte);
  const b = await app.request('POST', '/menu', tart, admin.headers);
  expect(b.status).toBe(201);
  expect(b.body).toMatchObject(tart);
  const id = (b.body as { id: string }).id;
  expect((await app.request('GET', '/menu/' + id, undefined, admin.headers)).body).toMatchObject(tart);
  // A beverage without its volume and a dessert without its calories: each branch's own requirement.
  const noVolume = await app.request('POST', '/menu', { ...latte, volume: undefined }, admin.headers);
  expect(noVolume.status).toBe(400);
  const noCalories = await app.request('POST', '/menu', { ...tart, calories: undefined }, admin.headers);
  expect(noCalories.status).toBe(400);
  expect((await app.request('POST', '/menu', { ...tart, category: 'snack' }, admin.headers)).status).toBe(400);
});
`;

checkEachFramework(
  'a discriminated oneOf resource in a generated %s project',
  'is CRUD by branch, and the project’s own tests pass',
  { spec, work },
  { name: 'union-check.test.ts', source: CHECK, tests: ['test/generated/menu.test.ts'], allCrud: true },
);

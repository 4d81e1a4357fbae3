import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { expectProjectLints } from '../support/project-tool.js';

/**
 * Lists whose `page` parameter has `minimum: 0` (zero-based-pages.yaml): a bare array whose pages
 * count from 0 (no default), a page object of the spec's own (`default: 0`), and a list that takes
 * page 0 but starts at 1 (`default: 1`). In a generated project of each framework, page 0 (and no
 * page) is the first page and page 1 the second, page -1 is refused, the page object's `page`,
 * `hasPrev` and `hasNext` count from 0, and page 0 of the list starting at 1 is its first page.
 * Before, page 0 skipped a negative number of rows (a 500) and no page meant page 1 (the second).
 * The project's own list and hardening tests, whose page probes count from the spec's first page,
 * pass, and the project type-checks and lints.
 */
const { spec, work } = scaffoldFixture('zero-based-pages.yaml');

const CHECK = `${CHECK_SETUP}
const ids = (body: unknown): number[] => (body as { id: number }[]).map((row) => row.id);

describe('pages counted from 0', () => {
  beforeAll(async () => {
    for (const title of ['a', 'b', 'c', 'd', 'e']) {
      expect((await app.request('POST', '/notes', { title }, admin.headers)).status).toBe(201);
      expect((await app.request('POST', '/tasks', { title }, admin.headers)).status).toBe(201);
      expect((await app.request('POST', '/events', { title }, admin.headers)).status).toBe(201);
    }
  });

  it('serves page 0 as the first page (as no page does), page 1 as the second, and refuses page -1', async () => {
    const all = await app.request('GET', '/notes?limit=50', undefined, admin.headers);
    expect(all.status).toBe(200);
    const none = await app.request('GET', '/notes?limit=2', undefined, admin.headers);
    const zero = await app.request('GET', '/notes?limit=2&page=0', undefined, admin.headers);
    const one = await app.request('GET', '/notes?limit=2&page=1', undefined, admin.headers);
    expect([none.status, zero.status, one.status]).toEqual([200, 200, 200]);
    expect(ids(zero.body)).toEqual(ids(all.body).slice(0, 2));
    expect(ids(none.body)).toEqual(ids(zero.body));
    expect(ids(one.body)).toEqual(ids(all.body).slice(2, 4));
    expect((await app.request('GET', '/notes?page=-1', undefined, admin.headers)).status).toBe(400);
  });

  it('serves page 0 of a list that starts at 1 (minimum 0, default 1) as its first page', async () => {
    const all = await app.request('GET', '/events?limit=50', undefined, admin.headers);
    const pages = [];
    for (const page of [0, 1, 2]) {
      const res = await app.request('GET', \`/events?limit=2&page=\${page}\`, undefined, admin.headers);
      expect(res.status).toBe(200);
      pages.push(ids(res.body));
    }
    expect(pages).toEqual([ids(all.body).slice(0, 2), ids(all.body).slice(0, 2), ids(all.body).slice(2, 4)]);
  });

  it('fills the spec´s page object counting from 0', async () => {
    const zero = await app.request('GET', '/tasks?limit=2&page=0', undefined, admin.headers);
    expect(zero.status).toBe(200);
    expect(zero.body).toMatchObject({ page: 0, hasPrev: false, hasNext: true });
    expect(zero.body.items).toHaveLength(2);
    const none = await app.request('GET', '/tasks?limit=2', undefined, admin.headers);
    expect(none.body).toMatchObject({ page: 0, hasPrev: false });
    expect(ids(none.body.items)).toEqual(ids(zero.body.items));
    const last = Math.ceil(zero.body.total / 2) - 1;
    const end = await app.request('GET', \`/tasks?limit=2&page=\${last}\`, undefined, admin.headers);
    expect(end.body).toMatchObject({ page: last, hasPrev: true, hasNext: false });
    expect(end.body.items.length).toBeGreaterThan(0);
  });
});
`;

checkEachFramework(
  'lists whose pages count from 0 in a generated %s project',
  'serve page 0 as the first page; the project’s own tests pass',
  { spec, work },
  {
    name: 'zero-based-pages-check.test.ts',
    source: CHECK,
    tests: [
      'test/generated/note.test.ts',
      'test/generated/task.test.ts',
      'test/generated/event.test.ts',
      'test/generated/hardening.test.ts',
    ],
  },
  {
    timeout: 600_000,
    // The generated repository and tests of zero-based pages type-check and lint.
    afterwards: (project) => expectProjectLints(project.dir, project.modules),
  },
);

import { expect } from 'vitest';
import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';
import { runProjectTool } from '../support/project-tool.js';

/**
 * Keys the client names (Typesense's presets, stopwords; a settings store keyed by name): in a
 * generated project of each framework, PUT creates the row its key names and then replaces it,
 * GET and DELETE find it by that key, the spec's statuses are answered (201 where the PUT
 * declares it), and the project type-checks, lints and passes its own generated tests.
 */
const { spec, work } = scaffoldFixture('named-key.yaml');

const CHECK = `${CHECK_SETUP}
describe('keys the client names', () => {
  it('PUT /presets/{presetId} creates, then replaces, the preset answered under name', async () => {
    const made = await app.request('PUT', '/presets/listing_view', { value: { q: 'a' } }, admin.headers);
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ name: 'listing_view', value: { q: 'a' } });
    const again = await app.request('PUT', '/presets/listing_view', { value: { q: 'b' } }, admin.headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ name: 'listing_view', value: { q: 'b' } });
    const list = await app.request('GET', '/presets', undefined, admin.headers);
    expect((list.body as { name: string }[]).filter((p) => p.name === 'listing_view')).toHaveLength(1);
    const read = await app.request('GET', '/presets/listing_view', undefined, admin.headers);
    expect(read.body).toMatchObject({ name: 'listing_view', value: { q: 'b' } });
    const gone = await app.request('DELETE', '/presets/listing_view', undefined, admin.headers);
    expect(gone).toMatchObject({ status: 200, body: { name: 'listing_view' } });
    expect((await app.request('GET', '/presets/listing_view', undefined, admin.headers)).status).toBe(404);
  });

  it('PUT /stopwords/{setId} makes the set with the id the path gives', async () => {
    const made = await app.request('PUT', '/stopwords/countries', { stopwords: ['Germany'] }, admin.headers);
    expect(made).toMatchObject({ status: 200, body: { id: 'countries', stopwords: ['Germany'] } });
    const read = await app.request('GET', '/stopwords/countries', undefined, admin.headers);
    expect(read.body).toMatchObject({ id: 'countries', stopwords: ['Germany'] });
    expect((await app.request('DELETE', '/stopwords/countries', undefined, admin.headers)).body).toEqual({ id: 'countries' });
  });

  it('PUT /settings/{settingKey} answers 201 when it creates, 200 when it replaces', async () => {
    const made = await app.request('PUT', '/settings/theme', { value: 'dark' }, admin.headers);
    expect(made).toMatchObject({ status: 201, body: { value: 'dark' } });
    const again = await app.request('PUT', '/settings/theme', { value: 'light' }, admin.headers);
    expect(again).toMatchObject({ status: 200, body: { value: 'light' } });
    expect((await app.request('GET', '/settings/theme', undefined, admin.headers)).body).toMatchObject({ value: 'light' });
    expect((await app.request('DELETE', '/settings/theme', undefined, admin.headers)).status).toBe(204);
    expect((await app.request('GET', '/settings/theme', undefined, admin.headers)).status).toBe(404);
  });

  it('PUT /notes/{noteId} declaring 201 beside a POST makes the note under the uuid the client chose', async () => {
    const id = '6f1c2a3e-0b1d-4c5e-9f00-123456789abc';
    const made = await app.request('PUT', '/notes/' + id, { text: 'a' }, admin.headers);
    expect(made).toMatchObject({ status: 201, body: { noteId: id, text: 'a' } });
    const again = await app.request('PUT', '/notes/' + id, { text: 'b' }, admin.headers);
    expect(again).toMatchObject({ status: 200, body: { noteId: id, text: 'b' } });
    expect((await app.request('GET', '/notes/' + id, undefined, admin.headers)).body).toMatchObject({ noteId: id, text: 'b' });
  });
});
`;

checkEachFramework(
  'keys the client names in a generated %s project',
  'are CRUD with PUT as upsert; the project type-checks, lints and passes its own tests',
  { spec, work },
  {
    name: 'named-key-check.test.ts',
    source: CHECK,
    tests: [
      'test/generated/preset.test.ts',
      'test/generated/stopwords-set.test.ts',
      'test/generated/setting.test.ts',
      'test/generated/note.test.ts',
    ],
    // Every operation is CRUD: no handler of its own.
    allCrud: true,
  },
  {
    timeout: 600_000,
    afterwards: async ({ dir, modules }) => {
      const tsc = await runProjectTool(dir, modules, [
        'typescript/bin/tsc',
        '--noEmit',
        '-p',
        'tsconfig.json',
      ]);
      expect(tsc).toEqual({ code: 0, output: '' });
      const lint = await runProjectTool(dir, modules, ['eslint/bin/eslint.js', '.']);
      expect({ code: lint.code, output: lint.code === 0 ? '' : lint.output.slice(-4000) }).toEqual({
        code: 0,
        output: '',
      });
    },
  },
);

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/paths/', import.meta.url));
const read = (file: string) => modelFromOpenApi(file, fixtures);
const handlers = (file: string) =>
  read(file).model.operations.map((o) => `${o.method.toUpperCase()} ${o.route}`);
const notCrud = (file: string) =>
  read(file)
    .warnings.filter((w) => w.code === 'operation-not-crud')
    .map((w) => w.message);

describe('how paths group into resources', () => {
  it('an @ in a segment (RFC 3986 allows it) is served as declared, not refused', () => {
    expect(handlers('scoped-segment.yaml')).toEqual(['GET /@shop/notes']);
  });

  it('a collection and its item under a static namespace are a resource served at their own paths', () => {
    const page = read('namespaced.yaml').model.resources.find((r) => r.name === 'Page');
    expect(page?.specPaths).toEqual({ collection: '/cms/pages', item: '/cms/pages/{id}' });
    expect([page?.served?.collection, page?.served?.item]).toEqual(['/cms/pages', '/cms/pages/:id']);
    expect(page?.table).toBe('pages');
  });

  it('a namespaced or nested group left as handlers says why, each operation', () => {
    expect(handlers('namespaced.yaml')).toContain('GET /shop/orders/:id');
    expect(notCrud('namespaced.yaml')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^GET \/shop\/orders is a handler .*\/shop\/\{…\} beside it takes the segment orders/,
        ),
        expect.stringMatching(/^POST \/shop\/orders is a handler/),
        expect.stringMatching(/^GET \/shop\/orders\/\{id\} is a handler/),
        expect.stringMatching(/^GET \/books\/\{bookId\}\/reviews is a handler .*nested under a parameter/),
        expect.stringMatching(/^GET \/books\/\{bookId\}\/reviews\/\{id\} is a handler .*nested/),
      ]),
    );
  });

  it('a collection wins its schema over a singleton answering it, which becomes a handler with the reason', () => {
    const { model } = read('singleton.yaml');
    expect(model.resources.map((r) => [r.name, r.table, r.specPaths])).toEqual([
      ['Member', 'members', { collection: '/members', item: '/members/{id}' }],
      ['Post', 'posts', { collection: '/posts', item: '/posts/{id}' }],
    ]);
    expect(handlers('singleton.yaml')).toEqual(['GET /me']);
    expect(notCrud('singleton.yaml')).toEqual([
      expect.stringMatching(
        /^GET \/me is a handler of its own .*it answers one object, not a list of Member rows/,
      ),
    ]);
  });
});

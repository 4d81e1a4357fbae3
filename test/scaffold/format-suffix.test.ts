import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

/**
 * Rails-style APIs (Discourse, Shopify's admin REST, Redmine) name the representation in the path:
 * `/posts.json`, `/posts/{id}.json`. Such paths were no collection and no item, so Discourse's 93
 * operations became 93 handlers answering 501, without a word why. The extension is now read as
 * part of the route, not of the resource: grouped without it, served at the spec's own path.
 */
describe('paths with a .json format extension', () => {
  const { model, warnings } = modelFromOpenApi('test/scaffold/fixtures/format-suffix.yaml');

  it('are the collection and item paths of one resource, served at the spec´s paths', () => {
    expect(model.resources.map((r) => r.name)).toEqual(['Note']);
    const note = model.resources[0]!;
    expect(note.served?.collection).toBe('/notes.json');
    expect(note.served?.item).toBe('/notes/:id.json');
    expect(Object.keys(note.served?.answers ?? {}).sort()).toEqual([
      'create',
      'delete',
      'list',
      'read',
      'update',
    ]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toEqual([]);
  });

  it('keep an action below the item a handler of its own at its own route', () => {
    expect(model.operations?.map((o) => [o.operationId, o.route])).toEqual([
      ['pinNote', '/notes/:id/pin.json'],
    ]);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { singularize } from '../../src/scaffold/naming.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * An item path keyed by a parameter named after the resource and a property
 * (`/aliases/{aliasName}` of `Alias.name`) is CRUD keyed by that column, and
 * a readOnly key is the client's to give (the path fills it on PUT): before,
 * its item operations were 501 handlers and the generated tests inserted rows
 * without the required readOnly name (a not-null violation).
 */
describe('modelFromOpenApi: a path key that names a property after the resource words', () => {
  const { model, warnings } = modelFromOpenApi('path-key-upsert.yaml', fixtures);
  const alias = model.resources.find((r) => r.name === 'Alias')!;

  it('serves read, update and delete by Alias.name, with no handler of its own', () => {
    expect(alias.lookupKey).toBe('name');
    expect(alias.operations).toMatchObject({
      list: true,
      read: true,
      update: true,
      delete: true,
      create: false,
    });
    expect(model.operations).toEqual([]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toEqual([]);
  });

  it('makes the readOnly key writable (the path fills it) and says so', () => {
    const name = alias.fields.find((f) => f.name === 'name')!;
    expect(name.readOnly).toBeFalsy();
    expect(name.unique).toBe(true);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/Alias\.name is readOnly but the path's key \{aliasName\}/),
    );
  });

  it('singularizes -s words whose plural adds -es', () => {
    expect(['aliases', 'statuses', 'houses', 'boxes'].map(singularize)).toEqual([
      'alias',
      'status',
      'house',
      'box',
    ]);
  });
});

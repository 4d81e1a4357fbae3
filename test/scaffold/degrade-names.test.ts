import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/degrade/', import.meta.url));
const read = (file: string) => modelFromOpenApi(file, fixtures);
const ops = (file: string) =>
  read(file).model.operations.map((o) => `${o.method.toUpperCase()} ${o.specPath}`);

describe('names that cannot become a table or type degrade, never refuse the spec', () => {
  it('/users and /user on one schema: /users is the resource, /user a handler of its own, with the reason', () => {
    const { model, warnings } = read('user-users.yaml');
    expect(model.resources.map((r) => [r.name, r.specPaths])).toEqual([['User', { collection: '/users' }]]);
    expect(ops('user-users.yaml')).toEqual(['GET /user']);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud');
    expect(notCrud.map((w) => w.message)).toEqual([
      expect.stringMatching(
        /^GET \/user is a handler of its own .*resources User \(\/users\) and User \(\/user\)/,
      ),
    ]);
    // The notes about the dropped resource are dropped with it.
    expect(warnings.filter((w) => /neither POST nor GET/.test(w.message))).toEqual([]);
  });

  it('an integer created_at keeps its JSON name and gets a column of its own beside the managed timestamps', () => {
    const { model, warnings } = read('created-at-int.yaml');
    const key = model.resources[0]!;
    expect(key.fields.map((f) => [f.name, f.column, f.kind])).toEqual([
      ['name', 'name', 'string'],
      ['created_at', 'spec_created_at', 'bigint'],
    ]);
    expect(key.createdAtName).toBe('createdAt');
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^Key\.created_at is a bigint.*stored in the column spec_created_at/),
    );
  });

  it('a hyphenated property name makes its operation a handler of its own, at the operation', () => {
    const { model, warnings } = read('hyphen-prop.yaml');
    expect(model.resources).toEqual([]);
    expect(ops('hyphen-prop.yaml')).toEqual(['POST /config']);
    const [notCrud] = warnings.filter((w) => w.code === 'operation-not-crud');
    expect(notCrud!.at).toMatch(/#\/paths\/~1config\/post$/);
    expect(notCrud!.message).toMatch(/"log-slow-requests-time-ms" is not a usable field name/);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FieldModel, ModelWarning, ResourceModel } from '../../src/scaffold/api-model.js';
import { checkResource } from '../../src/scaffold/check-model.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { modelFromResourceDsl } from '../../src/scaffold/from-resource-dsl.js';

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
        /^GET \/user is a handler of its own .*it answers one object, not a list of User rows/,
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
      expect.stringMatching(
        /^Key\.created_at \(a bigint\) is the spec.s own, not the row.s creation time: it is stored in the column spec_created_at/,
      ),
    );
  });

  it('a hyphenated property keeps its JSON name and gets a safe column', () => {
    const { model, warnings } = read('hyphen-prop.yaml');
    expect(model.operations).toEqual([]);
    expect(model.resources[0]!.fields.map((f) => [f.name, f.column])).toContainEqual([
      'log-slow-requests-time-ms',
      'log_slow_requests_time_ms',
    ]);
    expect(warnings.map((w) => w.message)).toContainEqual(
      'SuccessStatus["log-slow-requests-time-ms"] is stored in the column log_slow_requests_time_ms; its JSON name is kept.',
    );
  });

  it('a property that cannot become a column of its own makes its operations handlers, at the operation', () => {
    const { model, warnings } = read('column-clash.yaml');
    expect(model.resources).toEqual([]);
    expect(ops('column-clash.yaml')).toEqual(['POST /config']);
    const [notCrud] = warnings.filter((w) => w.code === 'operation-not-crud');
    expect(notCrud!.at).toMatch(/#\/paths\/~1config\/post$/);
    expect(notCrud!.message).toMatch(/fields "max-count" and "max_count" both become the column "max_count"/);
  });

  it('one run: an integer created_at, a hyphenated name and version prefixes in one spec all generate', () => {
    const { model, warnings } = read('two-problems.yaml');
    expect(model.resources.map((r) => [r.name, r.table, r.specPaths?.collection])).toEqual([
      ['Key', 'keys', '/keys'],
      ['SuccessStatus', 'config', '/config'],
      ['Thing', 'things', '/api/v1beta/things'],
    ]);
    expect(model.resources[0]!.fields.map((f) => f.column)).toEqual(['name', 'spec_created_at']);
    expect(model.resources[0]!.updatedAtName).toBe('updated_at');
    // The same resource under another version is another resource of the same name: a handler.
    expect(model.operations.map((o) => `${o.method.toUpperCase()} ${o.specPath}`)).toEqual([
      'GET /v1/things',
    ]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message)).toEqual([
      expect.stringMatching(/^GET \/v1\/things .*same name "thing"/),
    ]);
    expect(model.resources[1]!.fields.map((f) => f.column)).toContain('log_slow_requests_time_ms');
  });
});

describe('a version segment before the resource is a prefix of the paths', () => {
  it('/v2/webhooks is the collection of webhooks, served at its own path, and the report says /v2 was read as a prefix', () => {
    const { model, warnings } = read('vprefix.yaml');
    expect(model.resources.map((r) => [r.name, r.table, r.served?.collection, r.served?.item])).toEqual([
      ['Webhook', 'webhooks', '/v2/webhooks', '/v2/webhooks/:webhook_id'],
    ]);
    expect(model.operations).toEqual([]);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^paths under \/v2 are read without \/v2/),
    );
  });

  it('the same spec with --conventions serves the resource under /api/v1', () => {
    const { model } = modelFromOpenApi('vprefix.yaml', fixtures, { conventions: true });
    expect(model.resources.map((r) => r.name)).toEqual(['Webhook']);
  });
});

describe('a string path key is never rebound to an integer id', () => {
  it('{aliasName} of Alias.name: the item operations find rows by name, CRUD', () => {
    const { model, warnings } = read('strkey.yaml');
    expect(model.resources[0]!.lookupKey).toBe('name');
    expect(ops('strkey.yaml')).toEqual([]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toEqual([]);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/rows are found by Alias\.name \(the path's \{aliasName\}\)/),
    );
  });

  it('{slug}, naming no property beside an integer id, is the name its answers carry and its PUT body leaves out', () => {
    const { model, warnings } = read('slug.yaml');
    expect(model.resources[0]!.lookupKey).toBe('name');
    expect(ops('slug.yaml')).toEqual([]);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/rows are found by Alias\.name \(the path's \{slug\}, which names no property/),
    );
  });

  it('{slug}, a string naming no property, beside an integer id, when the PUT body declares every name: handlers of their own', () => {
    const { model, warnings } = read('slug-in-body.yaml');
    expect(model.resources[0]!.operations).toMatchObject({ list: true, read: false, update: false });
    expect(ops('slug-in-body.yaml')).toEqual(['GET /aliases/{slug}', 'PUT /aliases/{slug}']);
    expect(warnings.find((w) => w.code === 'operation-not-crud')?.message).toMatch(
      /its key \{slug\} is a string that names no property of Alias, not the id/,
    );
  });

  it('{webhook_id} of Webhook is the id', () => {
    expect(read('vprefix.yaml').model.resources[0]!.operations.read).toBe(true);
  });
});

describe('checkResource: many properties whose JSON names are not identifiers', () => {
  it('says it once for them all (listmonk’s language pack has 560), one line each for a few', () => {
    const fields = (n: number): FieldModel[] =>
      Array.from({ length: n }, (_, i) => ({
        name: `settings.item-${i}`,
        column: `settings_item_${i}`,
        kind: 'string',
        required: false,
        nullable: false,
        unique: false,
        indexed: false,
        filterable: true,
        sortable: true,
      }));
    const resource = (n: number): ResourceModel =>
      ({
        ...modelFromResourceDsl('Lang(code:string)').model.resources[0]!,
        fields: fields(n),
      }) as ResourceModel;
    const many: ModelWarning[] = [];
    checkResource(resource(40), [], many);
    expect(many.map((w) => w.message)).toEqual([
      'Lang: 40 properties whose JSON names are not identifiers are stored in columns named after them ("settings.item-0" → settings_item_0, "settings.item-1" → settings_item_1, "settings.item-2" → settings_item_2, …); their JSON names are kept.',
    ]);
    const few: ModelWarning[] = [];
    checkResource(resource(2), [], few);
    expect(few.map((w) => w.message)).toEqual([
      'Lang["settings.item-0"] is stored in the column settings_item_0; its JSON name is kept.',
      'Lang["settings.item-1"] is stored in the column settings_item_1; its JSON name is kept.',
    ]);
  });
});

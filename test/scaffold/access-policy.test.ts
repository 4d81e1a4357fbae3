import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import { accessPolicy } from '../../src/scaffold/access-policy.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tenon-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const item = {
  type: 'object',
  properties: { id: { type: 'integer', readOnly: true }, title: { type: 'string' } },
};
const body = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } } };
const ok = { '200': { description: 'ok' } };

/** A spec with notes (list, create, read, delete) and one custom operation, with access declarations mixed in. */
function spec(extra: {
  root?: object;
  list?: object;
  create?: object;
  read?: object;
  remove?: object;
  archive?: object;
  components?: object;
}) {
  const document = {
    openapi: '3.1.0',
    info: { title: 'Notes', version: '1.0.0' },
    ...extra.root,
    paths: {
      '/notes': {
        get: { operationId: 'listNotes', responses: ok, ...extra.list },
        post: { operationId: 'createNote', requestBody: body, responses: ok, ...extra.create },
      },
      '/notes/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        get: { operationId: 'getNote', responses: ok, ...extra.read },
        delete: { operationId: 'deleteNote', responses: ok, ...extra.remove },
      },
      '/notes/{id}/archive': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        post: { operationId: 'archiveAll', responses: ok, ...extra.archive },
      },
    },
    components: { schemas: { Note: item }, ...extra.components },
  };
  const file = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(document));
  return accessPolicy(modelFromOpenApi(file, dir).model);
}

function failure(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isTenonError(error)) return error;
    throw error;
  }
  throw new Error('accepted');
}

const rolesOf = (policy: ReturnType<typeof spec>) =>
  Object.fromEntries(policy.rules.map((r) => [r.operationId, r.roles]));

describe('access policy', () => {
  it('defaults: users read catalogue resources and do everything on owned ones; writes on the catalogue are for admin', () => {
    const policy = accessPolicy(modelFromOpenApi('shop/openapi.yaml', fixtures).model);
    expect(policy).toMatchObject({ declared: false, roles: ['admin', 'user'], seeAll: ['admin'] });
    const rule = (id: string) => policy.rules.find((r) => r.operationId === id)!;
    expect(rule('listProducts')).toMatchObject({
      roles: ['admin', 'user'],
      owned: false,
      permission: 'products:list',
      route: 'GET /api/v1/products',
    });
    expect(rule('createProduct').roles).toEqual(['admin']);
    expect(rule('updateProduct')).toMatchObject({
      roles: ['admin'],
      permission: 'products:update',
      route: 'PATCH /api/v1/products/:id',
    });
    expect(rule('deleteCategory').roles).toEqual(['admin']);
    expect(rule('createReview')).toMatchObject({ roles: ['admin', 'user'], owned: true });
    expect(rule('deleteReview')).toMatchObject({ roles: ['admin', 'user'], owned: true });
    expect(rule('publishProduct')).toMatchObject({
      roles: ['admin'],
      permission: 'operations:publishProduct',
    });
  });

  it('takes rules from the document root (by operationId or permission), the operation, and security scopes', () => {
    const policy = spec({
      root: {
        'x-tenon-roles': ['editor'],
        'x-tenon-permissions': { listNotes: ['user', 'editor'], 'notes:read': ['user'] },
      },
      create: { 'x-tenon-permissions': ['editor'] },
      remove: { security: [{ bearer: ['admin'] }, { oauth: ['notes:purge'] }] },
      archive: { 'x-tenon-permissions': ['admin'] },
    });
    expect(policy.declared).toBe(true);
    expect(policy.roles).toEqual(['admin', 'user', 'editor', 'notes:purge']);
    expect(rolesOf(policy)).toEqual({
      listNotes: ['user', 'editor'],
      createNote: ['editor'],
      getNote: ['user'],
      deleteNote: ['admin', 'notes:purge'],
      archiveAll: ['admin'],
    });
  });

  it('fails naming the operation when the spec declares permissions but one has no rule', () => {
    const error = failure(() =>
      spec({
        root: { 'x-tenon-permissions': { listNotes: ['user'], createNote: ['admin'], getNote: ['user'] } },
        archive: { 'x-tenon-permissions': ['admin'] },
      }),
    );
    expect(error.code).toBe('TENON_SCAFFOLD_PERMISSION_MISSING');
    // Served at the spec's own paths: the route is the spec's.
    expect(error.message).toMatch(/deleteNote \(DELETE \/notes\/:id\)/);
    expect(error.hint).toMatch(/x-tenon-permissions/);
  });

  it('refuses a role that is not declared', () => {
    const error = failure(() => spec({ list: { 'x-tenon-permissions': ['auditor'] } }));
    expect(error.code).toBe('TENON_SCAFFOLD_ROLE_UNKNOWN');
    expect(error.message).toMatch(/listNotes[\s\S]*auditor/);
  });

  it('refuses a malformed declaration with its pointer', () => {
    const error = failure(() => spec({ root: { 'x-tenon-permissions': ['admin'] } }));
    expect(error.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
    expect(error.message).toMatch(/x-tenon-permissions/);
  });

  it("opens to anonymous callers what the spec opens (security: [], or {} among the requirements), and nothing of users' rows", () => {
    const publicOf = (policy: ReturnType<typeof spec>) =>
      policy.rules.filter((r) => r.public).map((r) => r.operationId);
    // The root requires a token; `security: []` lifts it for one operation, `{}` makes it optional for another.
    const policy = spec({
      root: { security: [{ bearer: [] }] },
      list: { security: [] },
      read: { security: [{}, { bearer: [] }] },
      archive: { security: [] },
    });
    expect(publicOf(policy)).toEqual(['listNotes', 'getNote', 'archiveAll']);
    expect(policy.keptSignedIn).toEqual([]);
    // A root `security: []` opens every operation; with a root permission map, a public operation needs no rule.
    expect(publicOf(spec({ root: { security: [] } }))).toEqual([
      'listNotes',
      'getNote',
      'createNote',
      'deleteNote',
      'archiveAll',
    ]);
    expect(
      publicOf(
        spec({
          root: {
            'x-tenon-permissions': {
              createNote: ['admin'],
              getNote: ['user'],
              deleteNote: ['admin'],
              archiveAll: ['admin'],
            },
          },
          list: { security: [] },
        }),
      ),
    ).toEqual(['listNotes']);
    // No security anywhere is not `security: []`: tenon's default policy (signed-in callers).
    expect(publicOf(spec({}))).toEqual([]);
    // Rows that belong to users stay out of anonymous reach: kept for signed-in callers, and said.
    const owned = spec({
      root: { security: [] },
      components: { schemas: { Note: { ...item, 'x-tenon-owner': true } } },
    });
    expect(publicOf(owned)).toEqual(['archiveAll']);
    expect(owned.keptSignedIn).toEqual(['listNotes', 'getNote', 'createNote', 'deleteNote']);
  });

  it("takes the token where the spec's security schemes put it: http basic, apiKey headers, query parameters and cookies", () => {
    expect(spec({}).credentials).toEqual({ basic: false, headers: [], query: [], cookies: [] });
    const policy = spec({
      root: { security: [{ basic: [] }] },
      components: {
        securitySchemes: {
          basic: { type: 'http', scheme: 'Basic' },
          key: { type: 'apiKey', in: 'header', name: 'X-Museum-Key' },
          again: { $ref: '#/components/securitySchemes/key' },
          raw: { type: 'apiKey', in: 'header', name: 'Authorization' },
          inQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
          inCookie: { type: 'apiKey', in: 'cookie', name: 'session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    });
    // Query and cookie names keep their case (they are case-sensitive); a header's is lower-cased.
    // An apiKey in Authorization is read there after Bearer and Basic (RealWorld's `Token <jwt>`).
    expect(policy.credentials).toEqual({
      basic: true,
      headers: ['x-museum-key', 'authorization'],
      query: ['api_key'],
      cookies: ['session'],
    });
    // Requirements without scopes keep the default policy.
    expect(policy.declared).toBe(false);
  });

  it('does not read the token from a query parameter tenon reads itself, nor from a cookie name that is not a token; a warning says so', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'Notes', version: '1.0.0' },
      paths: {},
      components: {
        securitySchemes: {
          paged: { type: 'apiKey', in: 'query', name: 'limit' },
          spaced: { type: 'apiKey', in: 'cookie', name: 'my session' },
          fine: { type: 'apiKey', in: 'query', name: 'Access-Token' },
        },
      },
    };
    const file = join(dir, 'reserved-keys.json');
    writeFileSync(file, JSON.stringify(document));
    const { model, warnings } = modelFromOpenApi(file, dir);
    expect(accessPolicy(model).credentials).toEqual({
      basic: false,
      headers: [],
      query: ['Access-Token'],
      cookies: [],
    });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'credential-not-served',
        at: expect.stringContaining('/components/securitySchemes/paged'),
      }),
    );
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'credential-not-served',
        at: expect.stringContaining('/components/securitySchemes/spaced'),
      }),
    );
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildRequest } from '../../scripts/conformance/build-request.js';
import { callOrder } from '../../scripts/conformance/call-order.js';
import { createdLocations } from '../../scripts/conformance/created-objects.js';
import { rolesToGrant } from '../../scripts/conformance/exercise.js';
import { jsonDiff } from '../../scripts/conformance/json-diff.js';
import { answerViolations } from '../../scripts/conformance/refusal.js';
import { requestsOf } from '../../scripts/conformance/requests-of.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-oracle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small spec exercising what the oracle reads: base path, parameter styles, security, examples, refs. */
const SPEC = {
  openapi: '3.1.0',
  info: { title: 'Library', version: '1' },
  servers: [
    {
      url: 'https://{host}/library/v{major}',
      variables: { host: { default: 'x.test' }, major: { default: '2' } },
    },
  ],
  security: [{ key: [] }],
  'x-docs': { $ref: './missing/README.md' },
  components: {
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      basic: { type: 'http', scheme: 'basic' },
      oauth: {
        type: 'oauth2',
        flows: { implicit: { authorizationUrl: 'https://x.test', scopes: { 'read:books': '' } } },
      },
    },
    schemas: {
      BookInput: {
        type: 'object',
        required: ['title', 'authorId'],
        properties: {
          title: { type: 'string', pattern: '^[A-Z][a-z]{3}$' },
          authorId: { type: 'integer' },
          note: { type: 'string' },
        },
      },
    },
  },
  paths: {
    '/authors': {
      post: {
        security: [{ basic: [] }],
        requestBody: { content: { 'application/json': { example: { name: 'Ada' } } } },
        responses: { '201': { description: 'created' } },
      },
    },
    '/books': {
      get: {
        security: [{ oauth: ['read:books'] }, { key: [] }],
        parameters: [
          {
            name: 'tags',
            in: 'query',
            schema: { type: 'array', items: { type: 'string' } },
            example: ['a', 'b'],
          },
          { name: 'since', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array' } } } },
        },
        'x-tenon-permissions': ['user'],
      },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/BookInput' } } },
        },
        responses: { '201': { description: 'created' } },
      },
    },
    '/books/{bookId}': {
      parameters: [{ name: 'bookId', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { security: [], responses: { '200': { description: 'ok' } } },
      delete: {
        security: [{}, { key: [] }],
        'x-tenon-permissions': ['admin'],
        responses: { '204': { description: 'gone' } },
      },
    },
  },
  webhooks: { returned: { post: { responses: { '200': { description: 'ok' } } } } },
};

function specFile(): string {
  const file = join(work, 'library.yaml');
  writeFileSync(file, stringify(SPEC));
  return file;
}

describe('the oracle reads the spec on its own', () => {
  it('finds operations, webhooks and the base path of servers[0] (variables at their defaults); drops x- extensions with external refs', () => {
    const spec = loadSpec(specFile());
    expect(spec.basePath).toBe('/library/v2');
    // A host variable whose default is empty (shlink's `{scheme}://{host}`): no base path, not an error.
    const hostless = join(work, 'hostless.json');
    writeFileSync(
      hostless,
      JSON.stringify({
        ...SPEC,
        servers: [
          { url: '{scheme}://{host}', variables: { scheme: { default: 'https' }, host: { default: '' } } },
        ],
      }),
    );
    expect(loadSpec(hostless).basePath).toBe('');
    expect(spec.operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      'post /authors',
      'get /books',
      'post /books',
      'get /books/{bookId}',
      'delete /books/{bookId}',
    ]);
    expect(spec.webhooks).toEqual(['returned']);
    expect(spec.bundled['x-docs']).toBeUndefined();
    // Path-level parameters reach the operations; root security is inherited.
    expect(spec.operations[3]!.parameters.map((p) => p.name)).toEqual(['bookId']);
    expect(spec.operations[2]!.security).toEqual([{ key: [] }]);
    // tenon's own extension says who may call it (the oracle calls it as such a user).
    expect(spec.operations[1]!.roles).toEqual(['user']);
    expect(spec.operations[2]!.roles).toBeUndefined();
    // `security: []` opens an operation to anyone; tenon's own extension says otherwise where it is written.
    expect(spec.operations.map((o) => o.open)).toEqual([false, false, false, true, false]);
  });

  it('builds requests from examples and samples: exploded arrays, required parameters, patterns, credentials', () => {
    const spec = loadSpec(specFile());
    const [authors, list, create] = spec.operations;
    // http basic: tenon's token is the password.
    expect(buildRequest(authors!, spec, new Map(), 'TOKEN').headers.authorization).toBe(
      `Basic ${Buffer.from('oracle:TOKEN').toString('base64')}`,
    );
    const get = buildRequest(list!, spec, new Map(), 'TOKEN');
    expect(get.query.filter(([k]) => k === 'tags')).toEqual([
      ['tags', 'a'],
      ['tags', 'b'],
    ]);
    expect(get.query.find(([k]) => k === 'since')?.[1]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // An optional header without an example is not sent; the oauth2 alternative sends a bearer token.
    expect(get.headers['x-trace']).toBeUndefined();
    expect(get.headers.authorization).toBe('Bearer TOKEN');
    const post = buildRequest(create!, spec, new Map([['/authors', [{ id: 7, name: 'Ada' }]]]), 'TOKEN');
    const body = JSON.parse(post.body!);
    expect(body.title).toMatch(/^[A-Z][a-z]{3}$/);
    // A reference field takes the id an earlier create answered; optional fields are left out.
    expect(body).toEqual({ title: body.title, authorId: 7 });
    // The apiKey scheme (the root's) puts the token in its header.
    expect(post.headers['x-api-key']).toBe('TOKEN');
    // An operation the spec opens to anyone is called without credentials, as its clients may.
    const read = buildRequest(spec.operations[3]!, spec, new Map(), 'TOKEN');
    expect(read.headers.authorization).toBeUndefined();
    expect(read.headers['x-api-key']).toBeUndefined();
    expect(read.query).toEqual([]);
  });

  it('needs an account of each role the spec gives operations to without admin or user (petstore: vet)', () => {
    const petstore = loadSpec(
      fileURLToPath(new URL('../scaffold/fixtures/petstore-3.0.json', import.meta.url)),
    );
    const vetOnly = petstore.operations
      .filter((op) => op.roles?.join() === 'vet')
      .map((op) => op.operationId);
    expect(vetOnly.sort()).toEqual(['notePet', 'putPetPhoto']);
    expect(rolesToGrant(petstore)).toEqual(['vet']);
  });

  it('puts the token in the query parameter or cookie an apiKey scheme names; a cookie on a write goes with X-Requested-With', () => {
    const file = join(work, 'keys.yaml');
    const answered = { responses: { '200': { description: 'ok' } } };
    writeFileSync(
      file,
      stringify({
        openapi: '3.0.3',
        info: { title: 'keys', version: '1' },
        components: {
          securitySchemes: {
            query: { type: 'apiKey', in: 'query', name: 'api_key' },
            cookie: { type: 'apiKey', in: 'cookie', name: 'sid' },
          },
        },
        paths: {
          '/a': {
            get: { security: [{ query: [] }], ...answered },
            post: { security: [{ cookie: [] }], ...answered },
          },
          '/b': { get: { security: [{ cookie: [] }], ...answered } },
          // The apiKey declared again as a required parameter: the token is its value, sent once.
          '/c': {
            get: {
              security: [{ query: [] }],
              parameters: [
                { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
                { name: 'sid', in: 'cookie', required: true, schema: { type: 'string' } },
              ],
              ...answered,
            },
          },
        },
      }),
    );
    const spec = loadSpec(file);
    const [byQuery, write, read, declared] = spec.operations.map((op) =>
      buildRequest(op, spec, new Map(), 'TOKEN'),
    );
    expect(declared!.query).toEqual([['api_key', 'TOKEN']]);
    // Another scheme's place is an ordinary parameter there: a sample of its schema.
    expect(declared!.headers.cookie).toMatch(/^sid=.+/);
    expect(declared!.headers.cookie).not.toContain('TOKEN');
    expect(byQuery!.query).toEqual([['api_key', 'TOKEN']]);
    expect(byQuery!.headers.authorization).toBeUndefined();
    expect(write!.headers).toMatchObject({ cookie: 'sid=TOKEN', 'x-requested-with': 'tenon-oracle' });
    expect(write!.headers.authorization).toBeUndefined();
    expect(read!.headers.cookie).toBe('sid=TOKEN');
    expect(read!.headers['x-requested-with']).toBeUndefined();
  });

  it('sends a create twice: with its optional properties (the spec’s full example) first, then the required ones', () => {
    const spec = loadSpec(specFile());
    const [authors, , create, read] = spec.operations;
    const created = new Map([['/authors', [{ id: 7, name: 'Ada' }]]]);
    const [full, minimal, ...more] = requestsOf(create!, spec, created, 'TOKEN');
    expect(more).toEqual([]);
    expect(full!.fullBody).toBe(true);
    expect(Object.keys(JSON.parse(full!.body!)).sort()).toEqual(['authorId', 'note', 'title']);
    expect(JSON.parse(full!.body!).authorId).toBe(7);
    expect(minimal!.fullBody).toBeUndefined();
    expect(Object.keys(JSON.parse(minimal!.body!)).sort()).toEqual(['authorId', 'title']);
    // A media example is the full body already: sent once; so is a request without a body.
    expect(requestsOf(authors!, spec, created, 'TOKEN')).toHaveLength(1);
    expect(requestsOf(read!, spec, created, 'TOKEN')).toHaveLength(1);
  });

  it('sends a body in every media type the spec lists and asks for every answer type, XML written by the spec’s xml objects', () => {
    const spec = loadSpec(fileURLToPath(new URL('../scaffold/fixtures/crud-media.yaml', import.meta.url)));
    const create = spec.operations.find((o) => o.operationId === 'addPet')!;
    const sent = requestsOf(create, spec, new Map(), 'TOKEN');
    const byVariant = new Map(sent.map((r) => [r.variant ?? (r.fullBody ? 'full' : 'minimal'), r]));
    expect([...byVariant.keys()]).toEqual([
      'full',
      'minimal',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'Accept application/xml',
    ]);
    const xml = byVariant.get('application/xml')!;
    expect(xml.headers['content-type']).toBe('application/xml');
    expect(xml.body).toBe('<?xml version="1.0" encoding="UTF-8"?><pet><name>Rex</name></pet>');
    expect(byVariant.get('Accept application/xml')!.headers.accept).toBe('application/xml');
    // The full example as XML: wrapped arrays and the referenced schema's element name.
    const full = buildRequest(create, spec, new Map(), 'T', { fullBody: true, media: 'application/xml' });
    expect(full.body).toContain('<photoUrls><photoUrl>');
    expect(full.body).toContain('<category><name>dogs</name></category>');
  });

  it('takes path keys from what a create answered (envelope or not), else from the schema', () => {
    const spec = loadSpec(specFile());
    const read = spec.operations[3]!;
    expect(buildRequest(read, spec, new Map([['/books', [{ data: { bookId: 41 } }]]]), 'T')).toMatchObject({
      path: '/books/41',
      idSources: { bookId: 'created' },
    });
    expect(buildRequest(read, spec, new Map(), 'T').idSources).toEqual({ bookId: 'sample' });
  });

  it('takes a key named after the collection and a property from that property ({collectionName} → name)', () => {
    const file = join(work, 'named-key.yaml');
    const schema = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer' } } };
    const answer = { description: 'ok', content: { 'application/json': { schema } } };
    writeFileSync(
      file,
      stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: {
          '/collections': {
            post: {
              requestBody: { content: { 'application/json': { schema } } },
              responses: { '201': answer },
            },
          },
          '/collections/{collectionName}': {
            get: {
              parameters: [
                { name: 'collectionName', in: 'path', required: true, schema: { type: 'string' } },
              ],
              responses: { '200': answer },
            },
          },
        },
      }),
    );
    const spec = loadSpec(file);
    const read = spec.operations.find((o) => o.method === 'get')!;
    const created = new Map([['/collections', [{ id: 3, name: 'books' }]]]);
    expect(buildRequest(read, spec, created, 'T')).toMatchObject({ path: '/collections/books' });
  });

  it('calls creates first and deletes last, undoing creates in reverse', () => {
    const order = callOrder(loadSpec(specFile()).operations).map((o) => `${o.method} ${o.path}`);
    expect(order[0]).toBe('post /authors');
    expect(order.at(-1)).toBe('delete /books/{bookId}');
  });

  it('compares documents by content and names where they differ', () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
    expect(jsonDiff({ paths: { '/a/b': { get: 1 } } }, { paths: { '/a/b': { get: 2 } } })).toEqual([
      '/paths/~1a~1b/get',
    ]);
  });

  it('takes a 404 for an invented key as the answer of a missing row, not a violation; one for a created key stays', () => {
    const unmatched = {
      location: 'response',
      severity: 'Error',
      message: 'Unable to match the returned status code with those defined in the document: 200',
    };
    const body = { location: 'response.body', severity: 'Error', message: 'Response body must be object' };
    expect(answerViolations(404, [unmatched, body], { log_id: 'sample' })).toEqual([body]);
    expect(answerViolations(404, [unmatched], { id: 'created', sub: 'example' })).toEqual([]);
    expect(answerViolations(404, [unmatched], { id: 'created' })).toEqual([unmatched]);
    expect(answerViolations(404, [unmatched], {})).toEqual([unmatched]);
    expect(answerViolations(400, [unmatched], { id: 'sample' })).toEqual([unmatched]);
  });

  it('sends a multipart/form-data body as multipart, one part per field', () => {
    const file = join(work, 'upload.yaml');
    writeFileSync(
      file,
      stringify({
        openapi: '3.1.0',
        info: { title: 'Upload', version: '1' },
        paths: {
          '/imports': {
            post: {
              requestBody: {
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      required: ['file'],
                      properties: { file: { type: 'string', format: 'binary', example: 'a,b' } },
                    },
                  },
                },
              },
              responses: { '201': { description: 'ok' } },
            },
          },
        },
      }),
    );
    const spec = loadSpec(file);
    const request = buildRequest(spec.operations[0]!, spec, new Map(), 'T');
    expect(request.headers['content-type']).toBe('multipart/form-data; boundary=tenon-oracle-boundary');
    expect(request.body).toBe(
      '--tenon-oracle-boundary\r\nContent-Disposition: form-data; name="file"\r\n\r\na,b\r\n--tenon-oracle-boundary--\r\n',
    );
  });

  it('takes a created row’s key by its own name, a declared link or Location — never by a guessed id', () => {
    const file = join(work, 'users.yaml');
    const user = { type: 'object', properties: { id: { type: 'integer' }, username: { type: 'string' } } };
    const answer = { '200': { description: 'ok', content: { 'application/json': { schema: user } } } };
    const key = (name: string) => [
      { name, in: 'path', required: true, schema: { type: 'string', example: 'theUser' } },
    ];
    writeFileSync(
      file,
      stringify({
        openapi: '3.1.0',
        info: { title: 'Users', version: '1' },
        paths: {
          '/user': {
            post: { requestBody: { content: { 'application/json': { schema: user } } }, responses: answer },
          },
          '/user/{username}': { get: { parameters: key('username'), responses: answer } },
          '/pets': { post: { responses: answer } },
          '/pets/{petId}': { get: { parameters: key('petId'), responses: answer } },
          '/cats': {
            post: {
              responses: {
                '201': {
                  ...answer['200'],
                  links: { read: { operationId: 'getCat', parameters: { catId: '$response.body#/id' } } },
                },
              },
            },
          },
          '/cats/{catId}': { get: { operationId: 'getCat', parameters: key('catId'), responses: answer } },
          '/dogs': {
            post: {
              responses: {
                '201': { ...answer['200'], headers: { Location: { schema: { type: 'string' } } } },
              },
            },
          },
          '/dogs/{dogId}': { get: { parameters: key('dogId'), responses: answer } },
        },
      }),
    );
    const spec = loadSpec(file);
    const byName = spec.operations.find((o) => o.path === '/user/{username}')!;
    // A user created without a username: its id is not its key.
    expect(buildRequest(byName, spec, new Map([['/user', [{ id: 3 }]]]), 'T')).toMatchObject({
      path: '/user/theUser',
      idSources: { username: 'unkeyed' },
    });
    expect(buildRequest(byName, spec, new Map([['/user', [{ id: 3, username: 'ada' }]]]), 'T').path).toBe(
      '/user/ada',
    );
    // petId is no property of the pet and the spec links nothing: {petId} of /pets is, by the
    // convention of the name, the pet's id — when the pet declares one.
    const pet = spec.operations.find((o) => o.path === '/pets/{petId}')!;
    expect(buildRequest(pet, spec, new Map([['/pets', [{ id: 7 }]]]), 'T')).toMatchObject({
      path: '/pets/7',
      idSources: { petId: 'created' },
    });
    // A link of the create's answer names the key's place in the body.
    const cat = spec.operations.find((o) => o.path === '/cats/{catId}')!;
    expect(buildRequest(cat, spec, new Map([['/cats', [{ id: 8 }]]]), 'T')).toMatchObject({
      path: '/cats/8',
      idSources: { catId: 'created' },
    });
    // A Location the answer declares: its last segment, as the server wrote it.
    const dog = spec.operations.find((o) => o.path === '/dogs/{dogId}')!;
    const rex = { id: 9 };
    expect(buildRequest(dog, spec, new Map([['/dogs', [rex]]]), 'T').path).toBe('/dogs/9');
    createdLocations.set(rex, '/dogs/rex%201');
    expect(buildRequest(dog, spec, new Map([['/dogs', [rex]]]), 'T')).toMatchObject({
      path: '/dogs/rex%201',
      idSources: { dogId: 'created' },
    });
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';

const work = mkdtempSync(join(tmpdir(), 'tenon-crud-schemas-'));

/** Writes `spec` as `<name>.yaml`, generates a project from it into `<dir>` (`<dir>-<framework>` with one), and reads its files. */
async function generated(name: string, spec: string, dirName: string, framework?: 'fastify' | 'express') {
  writeFileSync(join(work, `${name}.yaml`), spec);
  const dir = join(work, framework ? `${dirName}-${framework}` : dirName);
  await generateProject({
    mode: 'new',
    dir,
    from: join(work, `${name}.yaml`),
    ...(framework ? { framework } : {}),
    cwd: work,
  });
  return { dir, read: (path: string) => readFileSync(join(dir, path), 'utf8') };
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A PATCH body with a required field (resend's UpdateApiKeyRequest), one with minProperties and
// a field create does not take, and one that requires nothing.
const spec = `
openapi: 3.1.0
info: { title: patch samples, version: '1' }
paths:
  /keys:
    post:
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [name], properties: { name: { type: string }, scope: { type: string, enum: [full, send] } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Key' } } } } }
  /keys/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Key' } } } } }
    patch:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [scope], properties: { scope: { type: string, enum: [full, send] } } }
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Key' } } } } }
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [title], properties: { title: { type: string } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } } }
  /notes/{id}:
    patch:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      requestBody:
        required: true
        content:
          application/json:
            schema: { type: object, minProperties: 1, properties: { label: { type: string, pattern: '^[a-z]{3}-[0-9]{2}$' } } }
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } } }
components:
  schemas:
    Key:
      type: object
      properties: { id: { type: integer }, name: { type: string }, scope: { type: string, enum: [full, send] } }
    Note:
      type: object
      properties: { id: { type: integer }, title: { type: string }, label: { type: string, pattern: '^[a-z]{3}-[0-9]{2}$' } }
`;

describe('samples of the generated PATCH tests', () => {
  it('come from the PATCH operation’s own schema: its required fields, minProperties, fields create lacks', async () => {
    const { read } = await generated('openapi', spec, 'api');
    const fixtures = read('test/generated/fixtures.ts');
    const keyPatch = /export async function buildKeyPatch[\s\S]*?\n}\n/.exec(fixtures)?.[0] ?? '';
    // `scope` is required by PATCH (not by POST): it is sent, with the create sample's value.
    expect(keyPatch).toContain('const input = await buildKeyInput(db, n, ownerId);');
    expect(keyPatch).toMatch(/scope: input\.scope,/);
    // `name` is not in the PATCH schema: it is never sent.
    expect(keyPatch).not.toContain('name:');
    // minProperties: 1 and a field only PATCH takes: a sample of its own pattern.
    const notePatch = /export async function buildNotePatch[\s\S]*?\n}\n/.exec(fixtures)?.[0] ?? '';
    const label = /label: "([^"]+)"|label: `([^`]+)`/.exec(notePatch);
    expect(label, notePatch).not.toBeNull();
    expect(notePatch).not.toContain('buildNoteInput');
    // The tests send those bodies, also for the 404 of a missing row and in the access matrix.
    const keyTest = read('test/generated/key.test.ts');
    expect(keyTest).toContain('const patch = await buildKeyPatch(app.db, n++);');
    expect(keyTest).toContain('/999999999`, patch)');
    expect(keyTest).not.toMatch(/call\('PATCH', .*, \{\}\)/);
    const access = read('test/generated/access.test.ts');
    expect(access).toContain('body: (c) => buildKeyPatch(app.db, n++, c?.userId)');
    expect(access).toContain('body: (c) => buildNotePatch(app.db, n++, c?.userId)');
    // A PATCH body the spec does not require (OpenAPI's default) may be left out; a required one may not.
    expect(read('src/generated/resources/key.routes.ts')).toContain('request.body ??= {};');
    expect(read('src/generated/resources/note.routes.ts')).not.toContain('request.body ??= {};');
  });
});

// resend's DELETE answers: `{ object, id, deleted }` with examples; one names a row field.
const deleteSpec = `
openapi: 3.1.0
info: { title: delete answers, version: '1' }
paths:
  /keys:
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Key' } } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Key' } } } } }
  /keys/{key_id}:
    delete:
      parameters: [{ name: key_id, in: path, required: true, schema: { type: string } }]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [deleted]
                properties:
                  object: { type: string, example: api_key }
                  id: { type: string }
                  deleted: { type: boolean }
  /notes:
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Note' } } } } }
  /notes/{id}:
    delete:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: object, properties: { id: { type: integer }, title: { type: string } } } } }
  /tags:
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Tag' } } } }
      responses: { '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Tag' } } } } }
  /tags/{id}:
    delete:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses: { '204': { description: gone } }
components:
  schemas:
    Key: { type: object, properties: { id: { type: string }, name: { type: string } } }
    Note: { type: object, properties: { id: { type: integer }, title: { type: string } } }
    Tag: { type: object, properties: { id: { type: integer }, label: { type: string } } }
`;

describe('DELETE answers', () => {
  it.each(['fastify', 'express'] as const)(
    'are the object the spec declares: the key, the removed row’s values, the spec’s fixed values (%s)',
    async (framework) => {
      const { read } = await generated('delete', deleteSpec, 'delete', framework);
      const send = framework === 'fastify' ? '.send(' : 'body: ';
      // Only the key and fixed values: no read before the delete.
      // `deleted: boolean` with nothing fixed says the removal happened: true, not the zero of its type.
      const key = read('src/generated/resources/key.routes.ts');
      expect(key).toContain(`${send}{ object: "api_key", id: id, deleted: true }`);
      expect(key).not.toContain('service.get(');
      // A property of the row: the row is read first, and a null left out.
      const note = read('src/generated/resources/note.routes.ts');
      expect(note).toContain('const row = await service.get(id,');
      expect(note).toContain(`${send}{ id: id, ...(row["title"] == null ? {} : { title: row["title"] }) }`);
      // No body declared: none sent.
      const tag = read('src/generated/resources/tag.routes.ts');
      expect(tag).not.toContain('const row');
      expect(tag).toContain(framework === 'fastify' ? '.status(204).send();' : 'return { status: 204 };');
    },
  );
});

// resend's send: `to` is a string or a list in the body, a list in the email it answers.
const listSpec = `
openapi: 3.1.0
info: { title: list of one, version: '1' }
paths:
  /emails:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [to]
              properties:
                to: { oneOf: [{ type: string }, { type: array, items: { type: string }, minItems: 1 }] }
                tags: { type: array, items: { type: string } }
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Email' } } } } }
  /emails/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string, format: uuid } }]
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Email' } } } } }
components:
  schemas:
    Email:
      type: object
      properties:
        id: { type: string, format: uuid }
        to: { type: array, items: { type: string } }
        tags: { type: array, items: { type: string } }
`;

describe('JSON properties of request bodies', () => {
  it('are validated with the body’s own schema, and a single value of a list is stored as a list of one', async () => {
    const { read } = await generated('list', listSpec, 'list');
    const schemas = read('src/generated/schemas.ts');
    const create = /create: (\{[\s\S]*?\n {2}\}),\n/.exec(
      schemas.slice(schemas.indexOf('emailSchemas')),
    )?.[1];
    expect(create, schemas).toBeDefined();
    expect(create).toContain('"oneOf"');
    const repository = read('src/generated/resources/email.repository.ts');
    expect(repository).toContain('Array.isArray(input.to) ? input.to : [input.to]');
    // Where the body and the answers agree, nothing changes.
    expect(repository).not.toContain('Array.isArray(input.tags)');
  });
});

// resend's broadcasts: `audience_id` may be null in a broadcast, never in the list's items.
const nullSpec = `
openapi: 3.1.0
info: { title: nulls, version: '1' }
paths:
  /broadcasts:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  object: { type: string }
                  data: { type: array, items: { type: object, properties: { id: { type: string, format: uuid }, audience_id: { type: string }, name: { type: [string, 'null'] } } } }
  /broadcasts/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string, format: uuid } }]
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Broadcast' } } } } }
components:
  schemas:
    Broadcast:
      type: object
      properties:
        id: { type: string, format: uuid }
        audience_id: { type: [string, 'null'] }
        name: { type: [string, 'null'] }
`;

describe('nullable properties', () => {
  it('are left out when null where an answer declares them non-nullable', async () => {
    writeFileSync(join(work, 'nulls.yaml'), nullSpec);
    const dir = join(work, 'nulls');
    await generateProject({ mode: 'new', dir, from: join(work, 'nulls.yaml'), cwd: work });
    const routes = readFileSync(join(dir, 'src/generated/resources/broadcast.routes.ts'), 'utf8');
    expect(routes).toContain('const optional: readonly string[] = ["audience_id"];');
    expect(routes).toContain('page.items.map(answer)');
  });
});

// resend's contact import: a CSV file in a multipart/form-data body.
const uploadSpec = `
openapi: 3.1.0
info: { title: uploads, version: '1' }
paths:
  /contacts/imports:
    post:
      operationId: contacts/import
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: { type: object, properties: { file: { type: string, format: binary } } }
      responses: { '201': { description: ok } }
`;

describe('multipart bodies of other operations', () => {
  it.each(['fastify', 'express'] as const)(
    'reach the handler as bytes with the request’s content type (its boundary) (%s)',
    async (framework) => {
      const { read } = await generated('upload', uploadSpec, 'upload', framework);
      const operations = read('src/generated/operations.ts');
      expect(operations).toContain('raw: ["multipart/form-data"]');
      expect(operations).toMatch(/export interface ContactsImportInput \{[\s\S]*?contentType: string;/);
      expect(read('src/generated/operations.routes.ts')).toContain(".headers['content-type'] ?? ''");
    },
  );
});

// train-travel's trips: a list that requires origin, destination (properties: filters) and date (not one).
const tripSpec = `
openapi: 3.1.0
info: { title: trips, version: '1' }
paths:
  /trips:
    get:
      parameters:
        - { name: origin, in: query, required: true, schema: { type: string, format: uuid } }
        - { name: destination, in: query, required: true, schema: { type: string, format: uuid } }
        - { name: date, in: query, required: true, schema: { type: string, format: date-time } }
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { type: object, properties: { data: { type: array, items: { $ref: '#/components/schemas/Trip' } } } } } }
components:
  schemas:
    Trip:
      type: object
      properties: { id: { type: string, format: uuid }, origin: { type: string }, destination: { type: string }, operator: { type: string } }
`;

describe('lists whose spec requires query parameters', () => {
  it('are called with samples of them in the tests, on rows those filters match', async () => {
    const { read } = await generated('trips', tripSpec, 'trips');
    const test = read('test/generated/trip.test.ts');
    const query = /call\('GET', `\$\{base\}\?([^`]*)`\)/.exec(test)?.[1] ?? '';
    const params = new URLSearchParams(query);
    expect(params.get('origin')).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(params.get('date') ?? ''))).toBe(false);
    // Every list request carries them; the rows get the values of those that filter.
    expect(test).not.toMatch(/call\('GET', base\)/);
    expect(test.match(/\$\{base\}\?origin=/g)?.length).toBeGreaterThan(8);
    expect(test).toContain('update trips set origin = $1, destination = $2 where id = $3');
    expect(test).not.toContain('date = $');
    // No filter test on a required parameter (it would be given twice).
    expect(test).not.toMatch(/filters by (origin|destination)/);
    expect(read('test/generated/access.test.ts')).toContain(`/trips?${query}'`);
  });
});

// petstore3's users: /user/{username}, a string property beside the integer id.
const userSpec = `
openapi: 3.1.0
info: { title: users, version: '1' }
paths:
  /user:
    post:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/User' } } } }
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/User' } } } } }
  /user/{username}:
    parameters: [{ name: username, in: path, required: true, schema: { type: string } }]
    get:
      responses: { '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/User' } } } } }
    put:
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/User' } } } }
      responses: { '200': { description: ok } }
    delete:
      responses: { '200': { description: ok } }
components:
  schemas:
    User:
      type: object
      properties: { id: { type: integer, format: int64 }, username: { type: string }, email: { type: string } }
`;

describe('a path key naming a string property', () => {
  it.each(['fastify', 'express'] as const)(
    'finds rows by that property, a unique column, in the routes and the tests (%s)',
    async (framework) => {
      const { dir, read } = await generated('users', userSpec, 'users', framework);
      const repository = read('src/generated/resources/user.repository.ts');
      expect(repository).toContain("where.add('username = ?', key);");
      const migration = read(readdirSync(join(dir, 'migrations')).map((f) => `migrations/${f}`)[0]!);
      expect(migration).toMatch(/unique \(username\)/);
      const routes = read('src/generated/resources/user.routes.ts');
      const params = framework === 'fastify' ? 'request.params' : 'params';
      expect(routes).toContain(`service.get(await idFor(${params}.username,`);
      expect(routes).toContain(`service.remove(await idFor(${params}.username,`);
      // A replacement that leaves the key out keeps the path's: the row stays reachable (and one
      // whose body type requires the key still type-checks: no property written twice).
      const body = framework === 'fastify' ? 'request.body' : 'body';
      expect(routes).toContain(`{ ...${body}, username: ${body}.username ?? ${params}.username }`);
      expect(routes).toContain('/user/$' + '{encodeURIComponent(String(created.username))}');
      // The key sets no maxLength: it takes a text id's 255 characters (an index entry and a URL have limits).
      expect(read('src/generated/schemas.ts')).toMatch(
        /"username": \{\s*"type": "string",\s*"maxLength": 255,\s*"minLength": 1/,
      );
      const test = read('test/generated/user.test.ts');
      expect(test).toContain("call('GET', `$" + '{base}/$' + '{encodeURIComponent(String(row.username))}`)');
      expect(test).toContain('/no-such-key`');
      expect(read('test/generated/access.test.ts')).toContain(
        '/user/$' + '{encodeURIComponent(String((await userRow(c)).username))}`',
      );
    },
  );
});

describe('a path key naming a string property of an owned resource', () => {
  it('is CRUD too: rows found by that property within the caller’s rows, the column unique across owners', async () => {
    const ownedSpec = userSpec.replace(
      '      type: object\n',
      '      type: object\n      x-tenon-owner: true\n',
    );
    expect(ownedSpec).toContain('x-tenon-owner: true');
    const { dir, read } = await generated('owned-users', ownedSpec, 'owned-users');
    const repository = read('src/generated/resources/user.repository.ts');
    // The lookup runs with the caller's scope: another user's row is not found (404, as by id).
    expect(repository).toMatch(
      /async idOf\(key, scope = UNSCOPED\) \{\s*const where = new Where\(\);\s*where\.add\('username = \?', key\);\s*scopeWhere\(where, scope\);/,
    );
    expect(repository).toContain(
      "if (scope.ownerId !== undefined) where.add('owner_id = ?', scope.ownerId);",
    );
    const migration = read(readdirSync(join(dir, 'migrations')).map((f) => `migrations/${f}`)[0]!);
    expect(migration).toMatch(/unique \(username\)/);
    const routes = read('src/generated/resources/user.routes.ts');
    expect(routes).toContain('service.get(await idFor(request.params.username, request.scope)');
    expect(routes).not.toContain('501');
    // The object-level access tests call the rows by their key.
    expect(read('test/generated/access.test.ts')).toContain('url(encodeURIComponent(String(row.username)))');
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTenonError } from '../../src/core/errors.js';
import type { CustomOperation } from '../../src/scaffold/api-model.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { defaultLimit, listQuerySchema, unappliedListParameters } from '../../src/scaffold/json-schemas.js';
import { columnDefinition } from '../../src/scaffold/migration-sql.js';
import { operationView } from '../../src/scaffold/operation-view.js';
import { byRouteSpecificity } from '../../src/scaffold/route-specificity.js';
import { requireCorpus } from '../support/services.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function fail(file: string) {
  try {
    modelFromOpenApi(file, fixtures);
  } catch (error) {
    if (isTenonError(error)) return error;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('modelFromOpenApi: OpenAPI 3.1 with $refs across files', () => {
  const { model, document, prefixAdded } = modelFromOpenApi('shop/openapi.yaml', fixtures);
  const product = model.resources.find((r) => r.name === 'Product')!;
  const field = (name: string) => product.fields.find((f) => f.name === name)!;

  it('finds the CRUD resources, with names from components and tables from paths', () => {
    expect(model.resources.map((r) => [r.name, r.plural, r.table])).toEqual([
      ['Category', 'categories', 'categories'],
      ['Product', 'products', 'products'],
      ['Review', 'reviews', 'product_reviews'],
    ]);
    expect(model.resources[0]!.operations).toEqual({
      list: true,
      create: true,
      read: true,
      update: false,
      patch: false,
      delete: true,
    });
  });

  it('merges allOf, maps system fields and keeps the rest in order', () => {
    expect(product.fields.map((f) => f.name)).toEqual([
      'name',
      'sku',
      'price',
      'stock',
      'status',
      'categoryId',
      'releasedOn',
      'contactEmail',
      'homepage',
      'tags',
      'dimensions',
    ]);
    expect(product.createdAtName).toBe('createdAt');
    expect(product.idKind).toBe('bigint');
  });

  it('reads types, formats, enums, bounds, nullability, defaults and extensions', () => {
    expect(field('name')).toMatchObject({
      kind: 'string',
      required: true,
      nullable: false,
      minLength: 1,
      maxLength: 200,
    });
    expect(field('sku')).toMatchObject({
      kind: 'string',
      unique: true,
      pattern: '^[A-Z]{2,4}-[0-9]{3,6}$',
      example: 'AB-123',
    });
    expect(field('price')).toMatchObject({ kind: 'number', minimum: 0, maximum: 1000000 });
    expect(field('stock')).toMatchObject({ kind: 'integer', default: 0, required: false });
    expect(field('status')).toMatchObject({
      kind: 'enum',
      enumValues: ['draft', 'active', 'archived'],
      default: 'draft',
    });
    expect(field('releasedOn').kind).toBe('date');
    expect(field('contactEmail')).toMatchObject({ kind: 'email', nullable: true });
    expect(field('homepage').kind).toBe('uri');
    expect(field('tags')).toMatchObject({
      kind: 'json',
      jsonSchema: { type: 'array', items: { type: 'string', maxLength: 30 }, maxItems: 10 },
    });
  });

  it('keeps a nullable oneOf as a validated JSON column', () => {
    expect(field('dimensions')).toMatchObject({ kind: 'json', nullable: true });
    expect(field('dimensions').jsonSchema).toEqual({
      oneOf: [
        {
          type: 'object',
          required: ['width', 'height'],
          properties: { width: { type: 'number' }, height: { type: 'number' } },
        },
        { type: 'null' },
      ],
    });
  });

  it('turns <resource>Id and x-tenon-ref into indexed foreign keys', () => {
    expect(field('categoryId')).toMatchObject({
      ref: 'Category',
      kind: 'bigint',
      indexed: true,
      nullable: true,
    });
    const category = model.resources.find((r) => r.name === 'Category')!;
    expect(category.fields.find((f) => f.name === 'parentId')).toMatchObject({ ref: 'Category' });
    const review = model.resources.find((r) => r.name === 'Review')!;
    expect(review.fields.find((f) => f.name === 'productId')).toMatchObject({
      ref: 'Product',
      required: true,
    });
  });

  it('routes non-CRUD operations to handlers, with their schemas', () => {
    expect(model.operations).toHaveLength(1);
    expect(model.operations[0]).toMatchObject({
      operationId: 'publishProduct',
      method: 'post',
      route: '/api/v1/products/:id/publish',
      body: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } },
    });
  });

  it('bundles the spec into one document (no external $ref left)', () => {
    expect(prefixAdded).toBe(false);
    expect(JSON.stringify(document)).not.toMatch(/\.yaml/);
  });
});

describe('modelFromOpenApi: OpenAPI 3.0 (JSON)', () => {
  const { model, prefixAdded } = modelFromOpenApi('petstore-3.0.json', fixtures);

  it('reads uuid ids, nullable, boolean exclusive bounds and references by name', () => {
    const owner = model.resources.find((r) => r.name === 'Owner')!;
    expect(owner.idKind).toBe('uuid');
    expect(owner.fields.find((f) => f.name === 'phone')).toMatchObject({ nullable: true, maxLength: 30 });
    const pet = model.resources.find((r) => r.name === 'Pet')!;
    expect(pet.fields.find((f) => f.name === 'weightKg')).toMatchObject({
      exclusiveMinimum: 0,
      maximum: 500,
    });
    expect(pet.fields.find((f) => f.name === 'weightKg')!.minimum).toBeUndefined();
    expect(pet.fields.find((f) => f.name === 'ownerId')).toMatchObject({ ref: 'Owner', kind: 'uuid' });
    // Served at its own paths unless --conventions: nothing is prefixed.
    expect(prefixAdded).toBe(false);
    expect(model.operations.map((o) => o.operationId)).toEqual([
      'getPetPhoto',
      'putPetPhoto',
      'notePet',
      'searchPets',
    ]);
    const [photo, upload, note, search] = model.operations as CustomOperation[] as [
      CustomOperation,
      CustomOperation,
      CustomOperation,
      CustomOperation,
    ];
    expect(photo.answer).toEqual({ status: 200, envelope: false, types: ['image/png'], raw: ['image/png'] });
    // An upload: the handler gets the bytes (no schema to validate them against), in the declared types.
    expect(upload).toMatchObject({
      bodyMedia: 'raw',
      bodyTypes: ['image/png', 'image/jpeg'],
      bodyRequired: true,
    });
    expect(upload.body).toBeUndefined();
    expect(operationView(upload).bodyTs).toBe('Buffer');
    expect(note.bodyMedia).toBe('form');
    // Header and cookie parameters are kept (Accept is the media types' business, as OpenAPI says).
    expect(search.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'query:q',
      'header:X-Search-Budget',
      'cookie:locale',
    ]);
    const view = operationView(search);
    expect(view.schema.headers).toEqual({
      type: 'object',
      properties: { 'x-search-budget': { type: 'integer', minimum: 1 } },
    });
    expect(view.headerNames).toEqual(['x-search-budget']);
    expect(view.cookies).toEqual({
      type: 'object',
      properties: { locale: { type: 'string', enum: ['en', 'fr'] } },
    });
    expect(view.cookiesTs).toMatch(/locale\?: "en" \| "fr"/);
  });

  it('serves the spec paths under the path of servers[0], or /api/v1 with --conventions', () => {
    const owner = model.resources.find((r) => r.name === 'Owner')!;
    expect(model.serving).toMatchObject({ mode: 'spec', base: '' });
    expect(owner.served).toMatchObject({ collection: '/owners', item: '/owners/:ownerId', key: 'ownerId' });
    expect(model.operations[0]!.route).toMatch(/^\/pets/);
    const conv = modelFromOpenApi('petstore-3.0.json', fixtures, { conventions: true });
    expect(conv.prefixAdded).toBe(true);
    expect(conv.model.serving).toEqual({ mode: 'conventions', base: '' });
    expect(conv.model.resources[0]!.served).toBeUndefined();
    expect(conv.model.operations[0]!.route).toMatch(/^\/api\/v1\/pets/);
  });
});

describe('modelFromOpenApi: the corpus, served as written', () => {
  const corpus = requireCorpus('openapi/petstore-expanded.yaml');
  it.skipIf(!corpus.available)(
    `petstore-expanded: /v2 routes, the spec's answers and Error schema ${corpus.reason}`,
    () => {
      const { model } = modelFromOpenApi(corpus.dir, fixtures);
      const pet = model.resources[0]!;
      expect(pet.served?.listQuery?.map((p) => [p.name, p.required, p.schema.type])).toEqual([
        ['tags', false, 'array'],
        ['limit', false, 'integer'],
      ]);
      // tenon's bounds stay where the spec gives none; tags is validated and reported as not applied.
      expect((listQuerySchema(pet).properties as Record<string, unknown>).limit).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
      });
      expect(unappliedListParameters(pet)).toEqual(['tags']);
      expect({ ...pet.served, listQuery: undefined }).toEqual({
        listQuery: undefined,
        collection: '/v2/pets',
        item: '/v2/pets/:id',
        key: 'id',
        answers: {
          list: { status: 200, envelope: false },
          create: { status: 200, envelope: false },
          read: { status: 200, envelope: false },
          delete: { status: 204, envelope: true },
        },
        // The body of POST is NewPet: its own fields and required list, not the read schema's.
        bodies: { create: { properties: ['name', 'tag'], required: ['name'] } },
      });
      // One error schema for every operation: the fallback, no operation needs an entry.
      expect(model.serving?.errors).toMatchObject({
        formats: [
          {
            contentType: 'application/json',
            body: { object: { code: { from: 'status' }, message: { from: 'message' } } },
            source: '/components/schemas/Error',
          },
        ],
        operations: {},
        fallback: 0,
      });
    },
  );
});

describe('modelFromOpenApi: bad input', () => {
  it('names the JSON pointer of an unknown type', () => {
    const error = fail('bad/bad-type.yaml');
    expect(error.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
    expect(error.message).toContain('/components/schemas/Thing/properties/name/type');
  });

  it('names the JSON pointer of an unknown key', () => {
    const error = fail('bad/unknown-key.yaml');
    expect(error.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
    expect(error.message).toMatch(/\/paths\/~1things: unknown property "gett"/);
  });

  it('reports a $ref that points at nothing, with where it is', () => {
    const error = fail('bad/missing-ref.yaml');
    expect(error.message).toMatch(
      /#\/paths\/~1things\/post\/requestBody\/content\/application~1json\/schema: \$ref "#\/components\/schemas\/Nope" points at nothing/,
    );
  });

  it('serves a oneOf resource as a handler of its own, saying why at its pointer', () => {
    const { model, warnings } = modelFromOpenApi('bad/oneof-resource.yaml', fixtures);
    expect(model.resources).toEqual([]);
    expect(model.operations.map((o) => [o.method, o.specPath])).toEqual([['post', '/shapes']]);
    expect(model.operations[0]!.body).toMatchObject({ oneOf: [{ type: 'object' }, { type: 'object' }] });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'operation-not-crud',
        at: 'oneof-resource.yaml#/paths/~1shapes/post',
        message: expect.stringMatching(
          /\/paths\/~1shapes\/post\/requestBody\/content\/application~1json\/schema: the schema of "shapes" is a oneOf/,
        ),
        hint: expect.stringMatching(/one object/),
      }),
    ]);
  });

  it('reports every problem of a spec in one run, each with its code, pointer and hint', () => {
    const error = fail('bad/many-problems.yaml');
    expect(error.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
    const problems = error.details.problems as { code: string; pointer: string; hint?: string }[];
    expect(problems.map((p) => p.pointer)).toEqual([
      '/paths/~1reports~1{year}/get/parameters/0/schema/type',
      '/components/schemas/Thing/properties/name/type',
      '/components/schemas/Gadget/properties/code/pattern',
    ]);
    for (const p of problems) {
      expect(p.code).toBe('TENON_SCAFFOLD_SPEC_INVALID');
      expect(p.hint).toBeTruthy();
      expect(error.message).toContain(p.pointer);
    }
  });

  it('serves resources whose names cannot work (TypeScript built-ins, case collisions) as handlers of their own', () => {
    for (const [file, reason] of [
      ['bad/reserved.yaml', /"Date" is a TypeScript reserved word/],
      ['bad/collision.yaml', /fields "firstName" and "first_name" both become the column "first_name"/],
    ] as const) {
      const { model, warnings } = modelFromOpenApi(file, fixtures);
      expect(model.resources).toEqual([]);
      expect(model.operations.map((o) => `${o.method} ${o.specPath}`)).toEqual([
        file === 'bad/reserved.yaml' ? 'post /dates' : 'post /users',
      ]);
      expect(warnings.find((w) => w.code === 'operation-not-crud')?.message).toMatch(reason);
    }
  });

  it('accepts SQL reserved words as field names (they are quoted)', () => {
    const { model } = modelFromOpenApi('bad/sql-words.yaml', fixtures);
    expect(model.resources[0]!.fields.map((f) => f.column)).toEqual(['order', 'group', 'user']);
  });

  it('refuses Swagger 2.0 and missing files with their own codes', () => {
    expect(fail('bad/swagger2.json')).toMatchObject({
      code: 'TENON_SCAFFOLD_SPEC_INVALID',
      message: expect.stringMatching(/"2.0" is not supported/),
    });
    expect(fail('nope.yaml').code).toBe('TENON_SCAFFOLD_SPEC_NOT_FOUND');
  });

  // gotify's docs/spec.json, as a stranger runs it: the error pointed at /openapi, a field the
  // document does not have, and the hint named no way to convert it.
  it('points a Swagger 2.0 spec at its swagger field and names a converter that runs', () => {
    const error = fail('bad/swagger2.json');
    expect(error.message).toMatch(/swagger2\.json#\/swagger: version "2\.0" is not supported/);
    expect(error.details).toMatchObject({ pointer: '/swagger' });
    expect(error.hint).toMatch(/npx swagger2openapi swagger2\.json -o openapi\.yaml/);
  });

  const museum = requireCorpus('openapi/museum.yaml');
  it.skipIf(!museum.available)(
    `museum: key as id, its own bodies, problem+json errors, its page size ${museum.reason}`,
    () => {
      const { model, warnings } = modelFromOpenApi(museum.dir, fixtures);
      const events = model.resources.find((r) => r.name === 'SpecialEvent')!;
      // {eventId} names a uuid property: it is the id, answered as eventId.
      expect(events).toMatchObject({ idKind: 'uuid', idName: 'eventId' });
      expect(events.fields.map((f) => f.name)).not.toContain('eventId');
      // Its QR code answers image/png: the handler's bytes, sent in that media type, no envelope.
      const qr = model.operations.find((o) => o.operationId === 'getTicketCode')!;
      expect(qr.answer).toEqual({ status: 200, envelope: false, types: ['image/png'], raw: ['image/png'] });
      // The ticket's id is in the answers and no request sets it: the database makes one, so
      // the QR code route gets a real ticket id. (eventId, a reference, is not made up.)
      const ticketId = model.resources
        .find((r) => r.name === 'MuseumTicketsConfirmation')!
        .fields.find((f) => f.name === 'ticketId')!;
      expect(ticketId).toMatchObject({ kind: 'uuid', serverDefault: 'uuid' });
      expect(columnDefinition(ticketId, model.resources)).toBe('ticket_id uuid default gen_random_uuid()');
      expect(events.served).toMatchObject({
        collection: '/_mock/docs/openapi/museum-api/special-events',
        item: '/_mock/docs/openapi/museum-api/special-events/:eventId',
        key: 'eventId',
      });
      // PATCH takes SpecialEventFields (nothing required), POST the whole SpecialEvent.
      expect(events.served?.bodies?.patch?.required).toEqual([]);
      expect(events.served?.bodies?.create?.required).toEqual([
        'name',
        'location',
        'eventDescription',
        'dates',
        'price',
      ]);
      expect(defaultLimit(events)).toBe(10);
      expect(
        (listQuerySchema(events).properties as Record<string, { maximum?: number }>).limit!.maximum,
      ).toBe(30);
      const tickets = model.resources.find((r) => r.operations.create && r.plural === 'tickets')!;
      expect(tickets.fields.find((f) => f.name === 'email')).toMatchObject({ writeOnly: true });
      // Required in the answer, not on create: the spec's example is the server-set value.
      expect(tickets.fields.find((f) => f.name === 'confirmationCode')?.default).toBe(
        'ticket-event-a98c8f-7eb12',
      );
      expect(warnings.map((w) => w.message).join('\n')).toMatch(
        /confirmationCode is required in the answers but not on create/,
      );
      expect(model.serving?.errors?.formats).toMatchObject([
        {
          contentType: 'application/problem+json',
          body: { object: { type: { value: 'about:blank' }, title: { from: 'message' } } },
          source: '/components/schemas/Error',
        },
      ]);
    },
  );

  const petstore3 = requireCorpus('openapi/petstore3.yaml');
  it.skipIf(!petstore3.available)(
    `petstore3: /user/{username} (a string beside the integer id) finds rows by username, a unique column ${petstore3.reason}`,
    () => {
      const { model, warnings } = modelFromOpenApi(petstore3.dir, fixtures);
      const user = model.resources.find((r) => r.name === 'User')!;
      expect(user.operations).toMatchObject({ create: true, read: true, update: true, delete: true });
      expect(user.lookupKey).toBe('username');
      expect(user.idKind).toBe('bigint');
      expect(user.fields.find((f) => f.name === 'username')).toMatchObject({ unique: true });
      expect(model.operations.filter((o) => o.specPath === '/user/{username}')).toEqual([]);
      expect(
        warnings.filter((w) => w.code === 'operation-not-crud' && /\{username\}/.test(w.message)),
      ).toEqual([]);
      expect(warnings.some((w) => /rows are found by User\.username/.test(w.message))).toBe(true);
      // A key that names a uuid or integer property stays the id (museum's eventId); /pet/{petId} names none.
      expect(model.resources.find((r) => r.name === 'Pet')!.operations.read).toBe(true);
      expect(model.resources.find((r) => r.name === 'Pet')!.lookupKey).toBeUndefined();
    },
  );

  const uspto = requireCorpus('openapi/uspto.yaml');
  it.skipIf(!uspto.available)(
    `uspto: server variables at their defaults give the base path ${uspto.reason}`,
    () => {
      const { model } = modelFromOpenApi(uspto.dir, fixtures);
      expect(model.serving?.base).toBe('/ds-api');
      expect(model.operations.map((o) => `${o.method.toUpperCase()} ${o.route}`)).toContain('GET /ds-api/');
      // Its search takes a form body (and no JSON): the form's schema validates it.
      const search = model.operations.find((o) => o.operationId === 'perform-search')!;
      expect(search.bodyMedia).toBe('form');
      expect(search.body).toMatchObject({ properties: { start: { type: 'integer' } } });
      expect(model.operations.find((o) => o.operationId === 'list-data-sets')!.bodyMedia).toBeUndefined();
    },
  );
});

describe('route order for Express', () => {
  it('puts fixed segments before parameters, whatever the spec order', () => {
    const routes = [
      '/user/:username',
      '/pet/:petId',
      '/user/login',
      '/pet/findByStatus',
      '/user',
      '/pet/:petId/uploadImage',
    ];
    expect(
      routes
        .map((route) => ({ route }))
        .sort(byRouteSpecificity)
        .map((r) => r.route),
    ).toEqual([
      '/pet/findByStatus',
      '/pet/:petId',
      '/pet/:petId/uploadImage',
      '/user',
      '/user/login',
      '/user/:username',
    ]);
  });
});

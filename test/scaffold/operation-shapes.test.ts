import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('a create the spec gives no request body (bodiless-create.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('bodiless-create.yaml', fixtures);
  const thread = model.resources.find((r) => r.plural === 'threads')!;

  it('is a handler of its own, so a POST with nothing in it is not refused', () => {
    expect(thread.operations.create).toBe(false);
    expect(model.operations.map((o) => `${o.method} ${o.route}`)).toEqual(['post /threads']);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'operation-not-crud',
        message: expect.stringContaining(
          'POST /threads is a handler of its own (501 until written), not CRUD: the spec declares no request body',
        ),
      }),
    );
  });

  it('keeps the rest CRUD, a patch without a body included (nothing sent changes nothing)', () => {
    expect(thread.operations).toMatchObject({ list: true, read: true, patch: true });
  });
});

describe('a singleton with an item path before the collection of its schema (singleton-item.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('singleton-item.yaml', fixtures);

  it('leaves the schema to the path that lists it: /users is User, /session handlers of their own', () => {
    expect(model.resources.map((r) => `${r.name} ${r.served?.collection}`)).toEqual(['User /users']);
    expect(model.resources[0]!.operations).toMatchObject({
      list: true,
      create: true,
      read: true,
      delete: true,
    });
    expect(model.operations.map((o) => `${o.method} ${o.route}`).sort()).toEqual([
      'get /session',
      'get /session/:id',
    ]);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'operation-not-crud',
        message: expect.stringContaining(
          'GET /session/{id} is a handler of its own (501 until written), not CRUD',
        ),
      }),
    );
  });
});

describe('a GET on a collection path that answers one object (singleton-get.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('singleton-get.yaml', fixtures);

  it('is a handler of its own, not a list of rows, and an entity with one array is no page of it', () => {
    expect(model.resources.map((r) => `${r.name} ${r.served?.collection}`)).toEqual(['Member /members']);
    expect(model.operations.map((o) => `${o.method} ${o.route}`)).toEqual(['get /profile']);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'operation-not-crud',
        message: expect.stringContaining(
          'GET /profile is a handler of its own (501 until written), not CRUD: it answers one object',
        ),
      }),
    );
  });

  it('keeps the list that answers a list', () => {
    expect(model.resources[0]!.operations).toMatchObject({ list: true, read: true });
  });
});

/**
 * kratos declares GET /health/ready, which the generated project serves itself: two routes on one
 * path stopped the generated Fastify app from starting ("Method 'GET' already declared").
 */
describe('an operation on a route the project serves itself (own-routes.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('own-routes.yaml', fixtures);

  it('is not generated, and the report says the project serves it', () => {
    expect(model.operations.map((o) => `${o.method} ${o.route}`)).toEqual(['get /health/alive']);
    const notes = warnings.filter((w) => w.code === 'operation-not-generated').map((w) => w.message);
    expect(notes).toEqual([
      expect.stringMatching(
        /^GET \/health\/ready is not generated: the project serves \/health\/ready itself/,
      ),
      expect.stringMatching(/^GET \/openapi.json is not generated: the project serves \/openapi.json itself/),
    ]);
  });

  it('answers the readiness check in the spec´s shape, a healthy status', () => {
    expect(model.serving!.health).toEqual({ ready: { media: 'application/json', body: { status: 'ok' } } });
    expect(warnings.map((w) => w.message)).toContain(
      'GET /health/ready answers 200 as the spec declares it (application/json: {"status":"ok"}), from the project\'s own check.',
    );
  });

  it('takes the healthy word of a status enum, and answers plain text as declared (own-routes-enum.yaml)', () => {
    const other = modelFromOpenApi('own-routes-enum.yaml', fixtures);
    const live = other.model.serving!.health!.live!;
    expect(live.media).toBe('application/json');
    expect((live.body as Record<string, unknown>).Status).toBe('UP');
    expect(typeof (live.body as Record<string, unknown>).checkedAt).toBe('string');
    expect(other.model.serving!.health!.ready).toEqual({ media: 'text/plain', body: 'OK' });
  });
});

/**
 * kratos's PATCH /admin/identities/{id} takes a JSON Patch document (a list of operations): served
 * as a CRUD patch it refused every spec-valid request with 400, since a patch reads one row's fields.
 */
describe('a patch whose body is a list (list-body.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('list-body.yaml', fixtures);

  it('is a handler of its own, with the reason; the rest stays CRUD', () => {
    expect(model.resources[0]!.operations).toMatchObject({ list: true, read: true, patch: false });
    expect(model.operations.map((o) => `${o.method} ${o.route}`)).toEqual(['patch /identities/:id']);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        code: 'operation-not-crud',
        message: expect.stringContaining(
          'PATCH /identities/{id} is a handler of its own (501 until written), not CRUD: its request body is a list',
        ),
      }),
    );
  });
});

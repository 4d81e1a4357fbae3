import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shapeOf } from '../../src/scaffold/answer-shapes.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { shapeView } from '../../src/scaffold/shape-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const item = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    send_at: { type: ['string', 'null'] },
    lists: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
  },
};

describe('shapeOf: an answer of its own, written from the row as GET answers it', () => {
  it('derives ids from embedded objects and leaves out an optional property of another type', () => {
    const declared = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        send_at: { type: 'object' },
        lists: { type: 'array', items: { type: 'integer' } },
        archive: { type: 'boolean' },
      },
    };
    expect(shapeOf(declared, item)).toEqual({
      shape: {
        schema: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            lists: { type: 'array', items: { type: 'integer' } },
          },
        },
        derive: { lists: 'ids' },
        omitted: ['send_at'],
      },
    });
  });

  it('derives objects naming ids when the row holds ids, unless the objects require more', () => {
    const row = {
      type: 'object',
      properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'integer' } } },
    };
    const objects = (required: string[]) => ({
      type: 'object',
      properties: {
        tags: {
          type: 'array',
          items: {
            type: 'object',
            required,
            properties: { id: { type: 'integer' }, label: { type: 'string' } },
          },
        },
      },
    });
    expect(shapeOf(objects(['id']), row).shape?.derive).toEqual({ tags: 'objects' });
    expect(shapeOf(objects(['id', 'label']), row).shape).toEqual({
      schema: { type: 'object', properties: { id: { type: 'integer' } } },
      omitted: ['tags'],
    });
  });

  it('keeps the item when it is already a valid answer, and only the declared properties of a closed one', () => {
    expect(
      shapeOf({ type: 'object', properties: { id: { type: 'integer' }, extra: { type: 'string' } } }, item),
    ).toEqual({});
    expect(shapeOf({ type: 'object', properties: {} }, item)).toEqual({});
    expect(
      shapeOf({ type: 'object', additionalProperties: false, properties: { id: { type: 'number' } } }, item)
        .shape?.schema,
    ).toEqual({ type: 'object', properties: { id: { type: 'integer' } } });
  });

  it('is unsound when a required property cannot come from the row, or the answer is no object', () => {
    expect(
      shapeOf({ type: 'object', required: ['token'], properties: { token: { type: 'string' } } }, item)
        .unsound,
    ).toBe('token is required in the answer, and the row has no such property');
    expect(
      shapeOf({ type: 'object', required: ['send_at'], properties: { send_at: { type: 'object' } } }, item)
        .unsound,
    ).toBe('send_at is required in the answer, and the row holds it as string');
    expect(shapeOf({ type: 'boolean' }, item).unsound).toBe('it answers boolean, not the row');
  });
});

describe('modelFromOpenApi: create and update answers that differ from GET´s (answer-shapes.yaml)', () => {
  const { model, warnings } = modelFromOpenApi('answer-shapes.yaml', fixtures);
  const campaign = model.resources.find((r) => r.name === 'Campaign')!;
  const board = model.resources.find((r) => r.name === 'Board')!;

  it('gives create and update their own shape, and the view their response schemas', () => {
    expect(campaign.served!.shapes!.create!.derive).toEqual({ lists: 'ids' });
    expect(campaign.served!.shapes!.update!.omitted).toEqual(['send_at']);
    expect(Object.keys(campaign.served!.shapes!)).toEqual(['create', 'update']);
    // An open list item (Campaign itself) is GET's item: nothing to shape.
    expect(campaign.served!.shapes!.list).toBeUndefined();
    const view = shapeView(campaign);
    expect(view.create!.schemaExpr).toBe('s.shapes.create.item');
    expect(view.create!.answered).toEqual(['id', 'name', 'lists']);
    expect(shapeView(board).create!.schemaExpr).toBe('s.shapes.create.one');
    expect(board.served!.shapes!.create!.derive).toEqual({ members: 'objects' });
    // `[{ id: 1 }]` answered for `[1]` sent: the generated test does not compare them.
    expect(shapeView(board).create!.answered).toEqual(['id', 'title']);
  });

  it('makes an operation whose answer no row can give a handler of its own, and says why', () => {
    expect(board.operations.update).toBe(false);
    expect(model.operations.map((o) => o.method)).toEqual(['put']);
    const why = warnings.find((w) => w.code === 'operation-not-crud');
    expect(why?.message).toMatch(
      /^PUT \/boards\/\{id\} is a handler of its own .*receipt is required in the answer/,
    );
    expect(warnings.map((w) => w.message)).toContain(
      "POST /campaigns answers its own schema, not GET's item: written from the row, lists as the ids of the embedded objects; left out (optional, and the row holds them in another type): send_at.",
    );
  });
});

describe('modelFromOpenApi: list items of a closed schema of their own', () => {
  it('serializes the list through the summary: only its properties, the id left out when it omits it', () => {
    const { model, warnings } = modelFromOpenApi('answer-shapes.yaml', fixtures);
    const tag = model.resources.find((r) => r.name === 'Tag')!;
    expect(tag.operations.list).toBe(true);
    // The row's own schemas of the properties the summary keeps (uses: int4, null when unset).
    const schema = tag.served!.shapes!.list!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['name', 'uses']);
    const view = shapeView(tag).list!;
    expect(view.answered).toEqual(['name', 'uses']);
    expect(warnings.map((w) => w.message)).toContain(
      "GET /tags answers items of its own schema, not GET's item: written from the row, without id, note.",
    );
  });

  it('keeps the list CRUD, answered as GET´s item, and says why, when the items need what no row holds', () => {
    const { model, warnings } = modelFromOpenApi('list-summary-unsound.yaml', fixtures);
    const pet = model.resources[0]!;
    expect(pet.operations.list).toBe(true);
    expect(pet.served!.shapes?.list).toBeUndefined();
    const why = warnings.find((w) => w.message.startsWith('GET /pets:'));
    expect(why?.message).toBe(
      "GET /pets: its items are declared in a schema of their own, but kind is required in the answer, and the row has no such property; the items are answered as GET's item.",
    );
    expect(why?.hint).toMatch(/Declare the list items as GET/);
  });
});

describe('modelFromOpenApi: an acknowledgement is not an answer shape (ack-beside-get.yaml)', () => {
  it('keeps a PUT answering a required { success } beside a GET as CRUD, answered as the spec declares it', () => {
    const { model, warnings } = modelFromOpenApi('ack-beside-get.yaml', fixtures);
    const user = model.resources.find((r) => r.name === 'User')!;
    expect(user.operations.update).toBe(true);
    expect(user.served!.answers.update!.ack).toBeDefined();
    expect(user.served!.shapes?.update).toBeUndefined();
    expect(warnings.some((w) => w.code === 'operation-not-crud')).toBe(false);
  });
});

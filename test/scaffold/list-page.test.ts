import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { idGenerator, MIN_ID_BITS } from '../../src/scaffold/id-pattern.js';
import { idSchema, itemSchema } from '../../src/scaffold/json-schemas.js';
import { resourceView } from '../../src/scaffold/project-view.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

// A multi-file spec: a list answered as a page object, a patterned string id, no timestamps.
describe('modelFromOpenApi: what the spec declares is what is served (paged/)', () => {
  const { model, warnings } = modelFromOpenApi('paged/openapi.yaml', fixtures);
  const widget = model.resources.find((r) => r.plural === 'widgets')!;

  it('reads the resource from the page´s items, not the page object', () => {
    expect(widget.name).toBe('Widget');
    expect(widget.fields.map((f) => f.name)).toEqual(['name']);
  });

  it('answers the list in the spec´s page shape, each value from the page or fixed by the spec', () => {
    const page = widget.served!.answers.list!.page!;
    expect(page.items).toBe('items');
    expect(page.values).toEqual([
      { name: 'object', value: 'list' },
      {
        name: 'page',
        of: [
          { name: 'limit', from: 'limit', notNull: true },
          { name: 'total', from: 'total', notNull: true },
          { name: 'hasNextPage', from: 'hasNext', notNull: true },
          { name: 'endCursor', from: 'nextCursor' },
        ],
      },
      { name: 'items', from: 'items' },
    ]);
    expect(Object.keys(page.schemas)).toEqual(['object', 'page']);
  });

  it('leaves timestamps the spec does not declare out of the answers', () => {
    expect(widget.unanswered).toEqual(['createdAt', 'updatedAt']);
    expect(Object.keys(itemSchema(widget, model.resources).properties as object)).toEqual(['id', 'name']);
  });

  it('keeps the id´s pattern, and makes ids that match it', () => {
    expect(widget.idPattern).toBe('^wdg_[0-9a-z]{20}$');
    expect(idSchema(widget).pattern).toBe('^wdg_[0-9a-z]{20}$');
    expect(resourceView(widget, model.resources).idParts).toEqual([
      'wdg_',
      ['0123456789abcdefghijklmnopqrstuvwxyz', 20],
    ]);
    expect(warnings.filter((w) => w.code === 'id-pattern-not-generated')).toEqual([]);
  });

  it('makes no resource of a path whose every operation is a handler of its own', () => {
    expect(model.resources.map((r) => r.plural)).toEqual(['widgets']);
    expect(model.operations.map((o) => o.operationId)).toEqual(['getStyle']);
  });

  it('names the file of an error schema that lives in another file', () => {
    expect(model.serving?.errors?.formats.map((f) => f.source)).toEqual(['schemas/Problem.yaml#']);
  });
});

describe('idGenerator', () => {
  it('reads literals and classes with repeats into parts, and counts the random bits', () => {
    const made = idGenerator('^prd_[0-9abcdefghjkmnpqrstvwxyz]{26}$');
    expect(made).toEqual({
      parts: ['p', 'r', 'd', '_', { alphabet: '0123456789abcdefghjkmnpqrstvwxyz', count: 26 }],
      bits: 130,
    });
    expect(idGenerator('^[A-F\\d]{8,20}$')).toMatchObject({
      parts: [{ alphabet: '0123456789ABCDEF', count: 20 }],
    });
  });

  it('refuses patterns it cannot make unique ids for, with the reason', () => {
    expect(idGenerator('^[a-z]{4}$')).toEqual({
      reason: `its ids carry 18 random bits, fewer than the ${MIN_ID_BITS} a unique key needs`,
    });
    expect(idGenerator('^(foo|bar)[0-9]{30}$')).toHaveProperty('reason');
    expect(idGenerator('[a-z]{30}')).toEqual({ reason: 'it is not anchored at both ends (^…$)' });
  });
});

describe('path keys of spec-served integer ids', () => {
  it('take any integer the spec’s int64 allows (0 names no row: 404, not 400)', () => {
    const { model } = modelFromOpenApi('petstore-3.0.json', fixtures);
    const pet = model.resources.find((r) => r.plural === 'pets')!;
    const params = resourceView(pet, model.resources).schemas.params as {
      properties: Record<string, object>;
    };
    expect(Object.values(params.properties)[0]).toEqual({
      type: 'integer',
      minimum: Number.MIN_SAFE_INTEGER,
      maximum: Number.MAX_SAFE_INTEGER,
    });
  });
});

// `data` is tenon's envelope only when nothing else the spec declares beside it needs filling.
describe('modelFromOpenApi: a list with `data` and more is a page of the spec´s own (data-pages.yaml)', () => {
  const { model } = modelFromOpenApi('data-pages.yaml', fixtures);
  const list = (plural: string) => model.resources.find((r) => r.plural === plural)!.served!.answers.list!;

  it('fills a cursor nested under meta (meta.paginate.next_page)', () => {
    expect(list('chats').envelope).toBe(false);
    expect(list('chats').page!.values).toEqual([
      { name: 'data', from: 'items' },
      {
        name: 'meta',
        of: [{ name: 'paginate', of: [{ name: 'next_page', from: 'nextCursor', notNull: true }] }],
      },
    ]);
  });

  it('fills a list object (object: list, has_more)', () => {
    expect(list('notes').envelope).toBe(false);
    expect(list('notes').page!.values).toEqual([
      { name: 'object', value: 'list' },
      { name: 'has_more', from: 'hasNext', notNull: true },
      { name: 'data', from: 'items' },
    ]);
  });

  it('keeps tenon´s envelope when the spec declares it', () => {
    expect(list('tags').envelope).toBe(true);
    expect(list('tags').page).toBeUndefined();
  });
});

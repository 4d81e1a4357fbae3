import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { isObject, type JsonObject, SpecFiles } from '../../src/scaffold/openapi-loader.js';
import { bodyWrapper } from '../../src/scaffold/openapi-wrapper.js';

const dir = fileURLToPath(new URL('./fixtures/wrapped/', import.meta.url));
const spec = `${dir}notes.yaml`;
const files = new SpecFiles(spec, dir);
const root = files.root as JsonObject;

/** The wrapper of a schema written in the fixture (a component, or an inline schema beside them). */
const wrapperOf = (node: JsonObject) =>
  bodyWrapper(files, { node, file: files.rootFile, pointer: '/components/schemas/X' });
const component = (name: string) => {
  const schemas = (root.components as JsonObject).schemas;
  return isObject(schemas) ? (schemas[name] as JsonObject) : {};
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('single-key wrapper bodies are recognised', () => {
  it('{ note: $ref } is a wrapper of one, its inner schema the component', () => {
    const w = wrapperOf({ type: 'object', required: ['note'], properties: { note: ref('Note') } });
    expect(w && { key: w.key, shape: w.shape, refName: w.inner.refName }).toEqual({
      key: 'note',
      shape: 'one',
      refName: 'Note',
    });
  });

  it('the sole property need not be required, and an inline object is a wrapper too', () => {
    const w = wrapperOf({ type: 'object', properties: { user: { type: 'object', properties: { a: {} } } } });
    expect(w?.key).toBe('user');
    expect(w?.inner.pointer).toBe('/components/schemas/X/properties/user');
  });

  it('a list answer { notes: [...], notesCount } is a list wrapper with its count', () => {
    const w = wrapperOf({
      type: 'object',
      required: ['notes', 'notesCount'],
      properties: { notes: { type: 'array', items: ref('Note') }, notesCount: { type: 'integer' } },
    });
    expect(w && { key: w.key, shape: w.shape, count: w.count, refName: w.inner.refName }).toEqual({
      key: 'notes',
      shape: 'list',
      count: 'notesCount',
      refName: 'Note',
    });
    expect(w?.scalarItems).toBeUndefined();
  });

  it('{ tags: [string] } is a list wrapper of scalars: no rows can hold them', () => {
    const w = wrapperOf({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string' } } },
    });
    expect(w?.scalarItems).toBe(true);
  });

  it('resources, the envelope and two-object bodies are not wrappers', () => {
    for (const name of ['Note', 'Folder', 'Settings', 'Envelope', 'Pair'])
      expect(wrapperOf(component(name))).toBeUndefined();
    // A list with an optional array and a count: the array must be required.
    expect(
      wrapperOf({
        type: 'object',
        properties: { notes: { type: 'array', items: ref('Note') }, total: { type: 'integer' } },
      }),
    ).toBeUndefined();
    // An array beside a non-integer property.
    expect(
      wrapperOf({
        type: 'object',
        required: ['notes'],
        properties: { notes: { type: 'array', items: ref('Note') }, next: { type: 'string' } },
      }),
    ).toBeUndefined();
    expect(wrapperOf({ type: 'object', properties: { count: { type: 'integer' } } })).toBeUndefined();
  });
});

describe('a spec that wraps its bodies is CRUD that unwraps them', () => {
  it('a resource wrapped as one row, a list and its count is CRUD: bodies unwrapped, answers wrapped', () => {
    const { model, warnings } = modelFromOpenApi(spec, dir);
    expect(model.resources.map((r) => r.name).sort()).toEqual(['Folder', 'Note']);
    const note = model.resources.find((r) => r.name === 'Note')!;
    expect(note.operations).toMatchObject({
      list: true,
      create: true,
      read: true,
      update: true,
      delete: true,
    });
    // The row's columns are the inner schema's; the request bodies are read through the key.
    expect(note.fields.map((f) => f.name)).toEqual(['title', 'body', 'pinned']);
    expect(note.served?.wrapBodies).toEqual({ create: 'note', update: 'note' });
    expect(note.served?.bodies?.create).toMatchObject({ properties: ['title', 'body'], required: ['title'] });
    // Single answers are wrapped under the key; the list is a page of `notes` with its count the total.
    const answers = note.served!.answers;
    expect([answers.create?.wrap, answers.read?.wrap, answers.update?.wrap]).toEqual([
      'note',
      'note',
      'note',
    ]);
    expect(answers.create).toMatchObject({ status: 201, envelope: false });
    expect(answers.delete?.wrap).toBeUndefined();
    expect(answers.list?.page).toMatchObject({
      items: 'notes',
      values: [
        { name: 'notes', from: 'items' },
        { name: 'notesCount', from: 'total', notNull: true },
      ],
      required: ['notes', 'notesCount'],
    });
    // The spec's offset is applied (no note says it is handed to the service unapplied).
    expect(warnings.map((w) => w.message)).not.toContainEqual(expect.stringMatching(/parameter offset/));
    // Folder's bodies are the item itself: no wrapper.
    expect(model.resources.find((r) => r.name === 'Folder')!.served?.wrapBodies).toBeUndefined();
  });

  it('wrappers it cannot serve faithfully stay handlers, with the reason in the report', () => {
    const { model, warnings } = modelFromOpenApi(spec, dir);
    expect(model.operations.map((o) => `${o.method.toUpperCase()} ${o.specPath}`).sort()).toEqual([
      'GET /drafts/{id}',
      'GET /labels',
      'POST /drafts',
    ]);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toHaveLength(3);
    expect(notCrud).toContainEqual(
      expect.stringMatching(
        /^POST \/drafts .*its create body does not require "draft", and the row's fields are under it/,
      ),
    );
    expect(notCrud).toContainEqual(
      expect.stringMatching(/^GET \/labels .*its list answers values that are not objects under "labels"/),
    );
    // The handler's types are the spec's wrapped shapes.
    const create = model.operations.find((o) => o.operationId === 'CreateDraft')!;
    expect(create.body).toMatchObject({ properties: { draft: { required: ['title'] } } });
  });

  it("with --conventions the wrapped resource is a table of the inner schema's columns", () => {
    const { model } = modelFromOpenApi(spec, dir, { conventions: true });
    const note = model.resources.find((r) => r.name === 'Note')!;
    expect(note.fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['title', 'string', true],
      ['body', 'string', true],
      ['pinned', 'boolean', true],
    ]);
  });
});

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

describe('a spec that wraps its bodies is served by handlers, never in a wrong shape', () => {
  it('each operation of a wrapped resource is a typed handler, with the reason in the report', () => {
    const { model, warnings } = modelFromOpenApi(spec, dir);
    // Folder's bodies are the item itself: it stays a table.
    expect(model.resources.map((r) => r.name)).toEqual(['Folder']);
    expect(model.operations.map((o) => `${o.method.toUpperCase()} ${o.specPath}`).sort()).toEqual([
      'DELETE /notes/{id}',
      'GET /labels',
      'GET /notes',
      'GET /notes/{id}',
      'POST /notes',
    ]);
    // The handler's types are the spec's wrapped shapes.
    const create = model.operations.find((o) => o.operationId === 'CreateNote')!;
    expect(create.body).toMatchObject({ required: ['note'], properties: { note: { required: ['title'] } } });
    expect(create.response).toMatchObject({ required: ['note'] });
    expect(create.answer?.status).toBe(201);
    const notCrud = warnings.filter((w) => w.code === 'operation-not-crud').map((w) => w.message);
    expect(notCrud).toHaveLength(5);
    const post = notCrud.find((m) => m.startsWith('POST /notes is a handler of its own'));
    expect(post).toContain('"notes" wraps the resource under a key (');
    expect(post).toContain('POST body { "note": {…} }');
    expect(post).toContain('GET answer { "notes": […], "notesCount": n }');
    expect(notCrud).toContainEqual(expect.stringMatching(/^GET \/labels .*GET answer \{ "labels": \[…\] \}/));
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

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envelopeData } from '../../src/scaffold/envelope-data.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { type JsonObject, SpecFiles } from '../../src/scaffold/openapi-loader.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const files = new SpecFiles(`${fixtures}data-column.yaml`, fixtures);
const at = (node: JsonObject) =>
  envelopeData(files, { node, file: files.rootFile, pointer: '/components/schemas/X' })?.pointer;
const data = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * formbricks' management API answers its `Response` rows bare, and a row has a `data` column (the
 * answers to a survey). Every answer with a `data` property was read as the envelope: the rows were
 * wrapped in `{ success, data }` (139 oracle violations) and their item schema taken from the column.
 * One rule now decides, for the schema finder, the item and list readers and the success answer.
 */
describe('envelopeData: when an answer wraps its payload under data', () => {
  it('wraps when only wrapping or paging keys stand beside data', () => {
    const inner = '/components/schemas/X/properties/data';
    expect(at({ properties: { data } })).toBe(inner);
    expect(at({ properties: { success: {}, data, meta: {} } })).toBe(inner);
    expect(at({ properties: { object: {}, data, has_more: {} } })).toBe(inner);
    expect(at({ properties: { data, links: {} } })).toBe(inner);
    expect(at({ properties: { data, included: {}, errors: {} } })).toBe(inner);
    expect(at({ allOf: [{ properties: { success: {} } }, { properties: { data } }] })).toBe(
      '/components/schemas/X/allOf/1/properties/data',
    );
  });

  it('does not when the object has a property of its own: data is then one of its columns', () => {
    expect(at({ properties: { id: {}, surveyId: {}, data, meta: {} } })).toBeUndefined();
    expect(at({ properties: { data, name: {} } })).toBeUndefined();
    expect(at({ properties: { items: {} } })).toBeUndefined();
    expect(at({ type: 'array', items: {} })).toBeUndefined();
  });

  it('a resource whose rows have a data column is answered bare, with its data column', () => {
    const { model } = modelFromOpenApi('data-column.yaml', fixtures);
    const r = model.resources.find((x) => x.name === 'Response')!;
    expect(r.fields.map((f) => f.name)).toEqual(['surveyId', 'data', 'meta']);
    const answers = r.served!.answers;
    expect([answers.create?.envelope, answers.read?.envelope, answers.update?.envelope]).toEqual([
      false,
      false,
      false,
    ]);
    // The list answers `{ data: [Response], meta: { total, limit } }`: tenon's envelope, as before.
    expect(answers.list?.envelope).toBe(true);
  });
});

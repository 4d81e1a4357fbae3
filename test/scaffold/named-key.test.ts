import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * String path keys that name no property of the item schema (Typesense's `{presetId}`,
 * `{setId}`; a `{settingKey}` of a schema without one) are CRUD keyed by what the client names,
 * and a PUT that the spec says creates or replaces creates the row its key names.
 */
describe('modelFromOpenApi: keys the client names', () => {
  const { model, warnings } = modelFromOpenApi('named-key.yaml', fixtures);
  const byName = (name: string) => model.resources.find((r) => r.name === name)!;
  const messages = warnings.map((w) => w.message);

  it('serves every operation as CRUD: no handler of its own', () => {
    expect(model.operations).toEqual([]);
    expect(warnings.filter((w) => w.code === 'operation-not-crud')).toEqual([]);
  });

  it('finds a preset by name, the one property its answers carry and its PUT body leaves out', () => {
    const preset = byName('Preset');
    // {presetId} reads as "the preset's id", but the spec declares no id: the id stays the table's.
    expect(preset.idKind).toBe('bigint');
    expect(preset.lookupKey).toBe('name');
    expect(preset.fields.find((f) => f.name === 'name')!.unique).toBe(true);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /rows are found by Preset\.name \(the path's \{presetId\}, which names no property/,
      ),
    );
    // The uniqueness is the spec's (its path names one row by it); the 409 it brings is tenon's, and said.
    expect(messages).toContainEqual(
      expect.stringMatching(
        /Preset\.name .* a name another row holds answers 409 \(tenon's choice where the spec declares no 409\)/,
      ),
    );
  });

  it('keeps a declared string id as the key ({setId} of StopwordsSet.id)', () => {
    const set = byName('StopwordsSet');
    expect(set.idKind).toBe('text');
    expect(set.lookupKey).toBeUndefined();
  });

  it('makes a key that nothing carries the row’s id, text the client names', () => {
    const setting = byName('Setting');
    expect(setting.idKind).toBe('text');
    expect(setting.lookupKey).toBeUndefined();
    expect(setting.operations).toMatchObject({ read: true, update: true, delete: true });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /\{settingKey\} names no property of Setting, which declares no id: it is the row's id/,
      ),
    );
  });

  it('reads PUT as create-or-replace where the spec says so, with the status it declares', () => {
    // No POST create beside it: the PUT is the only way to make a row (answered 200, its status).
    expect(byName('Preset').served!.putCreates).toBe(200);
    expect(byName('StopwordsSet').served!.putCreates).toBe(200);
    // The PUT declares 201 (and 200 for a replacement).
    expect(byName('Setting').served!.putCreates).toBe(201);
    expect(byName('Setting').served!.answers.update!.status).toBe(200);
    // 201 declared beside a POST create (and a 404): the PUT still creates, under the uuid id noteId.
    expect(byName('Note')).toMatchObject({ idKind: 'uuid', idName: 'noteId' });
    expect(byName('Note').served!.putCreates).toBe(201);
    expect(messages).toContainEqual(
      expect.stringMatching(/PUT \/settings\/\{settingKey\} creates or replaces \(the spec declares 201/),
    );
  });
});

describe('modelFromOpenApi: a PUT beside a POST create', () => {
  const { model, warnings } = modelFromOpenApi('put-creates.yaml', fixtures);
  const byName = (name: string) => model.resources.find((r) => r.name === name)!;

  it('keeps 404 for a missing key when the spec declares 404 for the PUT and a POST creates', () => {
    expect(byName('Model').served!.putCreates).toBeUndefined();
  });

  it('creates when the PUT declares 201, POST or not', () => {
    expect(byName('Document').served!.putCreates).toBe(201);
  });

  it('says so when the spec would create but the key is the server’s integer id', () => {
    expect(byName('Counter').served!.putCreates).toBeUndefined();
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /PUT \/counters\/\{id\}: no POST creates its rows, but the key is the server's \(an integer identity\)/,
      ),
    );
  });
});

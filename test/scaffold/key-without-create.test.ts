import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

/**
 * coolify's applications and destinations: a list, GET/PATCH/DELETE by `{uuid}` (a text column
 * beside the integer id), and no POST or PUT — rows come from actions (`POST /applications/public`).
 * With no create to take the key, the column had no default: every row made by the user's code (or
 * the generated tests' factories) had a null uuid and no route could reach it (the projects' own
 * tests answered 404). Such a key now gets the database's new uuid, as a created row's does.
 */
describe('a text key of a resource without a create', () => {
  const { model, warnings } = modelFromOpenApi('test/scaffold/fixtures/key-without-create.yaml');
  const widget = model.resources.find((r) => r.name === 'Widget')!;

  it('is set by the database unless the row gives one, and the report says so', () => {
    expect(widget.lookupKey).toBe('uuid');
    expect(widget.fields.find((f) => f.name === 'uuid')?.serverDefault).toBe('uuid');
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^Widget\.uuid is the key of \/widgets\/:uuid and no generated route creates Widget rows: the database sets a new uuid/,
      ),
    );
  });
});

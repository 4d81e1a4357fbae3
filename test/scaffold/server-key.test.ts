import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { columnDefinition } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * A text key of the item path that the create does not take would leave every created row
 * unreachable (coolify: `POST /projects {name}`, then `GET /projects/{uuid}` with no uuid to give).
 * The database sets a uuid as its text; a key a uuid may not satisfy stays the service's.
 */
describe('modelFromOpenApi: a path key the create does not take', () => {
  const { model, warnings } = modelFromOpenApi('server-key.yaml', fixtures);
  const field = (resource: string, name: string) =>
    model.resources.find((r) => r.name === resource)!.fields.find((f) => f.name === name)!;

  it('gets a uuid from the database as text, and the report says so', () => {
    const uuid = field('Project', 'uuid');
    expect(uuid.serverDefault).toBe('uuid');
    expect(columnDefinition(uuid, model.resources)).toMatch(/^uuid text default gen_random_uuid\(\)/);
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^Project\.uuid is the key of .* the database sets a new uuid \(as text\)/),
    );
  });

  it('leaves a key whose pattern a uuid would not match to the service', () => {
    expect(field('Tag', 'code').serverDefault).toBeUndefined();
  });
});

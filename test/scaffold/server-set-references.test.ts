import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import { columnDefinition } from '../../src/scaffold/migration-sql.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * karakeep's Bookmark.userId: required in answers, taken by no create, beside a User resource.
 * It was a foreign key to users with the server's default '', so every create answered 400
 * "refers to a User that does not exist". A constant cannot name a row: it stays a plain column.
 */
describe('modelFromOpenApi: a reference the create does not take', () => {
  const { model, warnings } = modelFromOpenApi('server-set-fk.yaml', fixtures);
  const note = model.resources.find((r) => r.name === 'Note')!;
  const userId = note.fields.find((f) => f.name === 'userId')!;

  it('is not a foreign key when the server gives it a constant', () => {
    expect(model.resources.map((r) => r.name)).toContain('User');
    expect(userId.ref).toBeUndefined();
    expect(userId.default).toBe('');
    expect(columnDefinition(userId, model.resources)).not.toMatch(/references/);
  });

  it('says so in the report', () => {
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^Note\.userId names a User, but the create does not take it .* not a foreign key to users/,
      ),
    );
  });
});

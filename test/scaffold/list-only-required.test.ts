import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

/**
 * gotify's plugins: only `GET /plugin` lists them, and its answers require readOnly `name` and
 * `modulePath`. No operation creates rows, so nothing decided their values: NOT NULL columns no
 * insert filled (the project's own tests failed with a not-null violation). Rows made by the
 * user's code now get what a create that sends nothing gets.
 */
describe('a resource no operation creates, whose answers require readOnly properties', () => {
  const { model, warnings } = modelFromOpenApi('test/scaffold/fixtures/list-only-required.yaml');
  const plugin = model.resources.find((r) => r.name === 'Plugin')!;
  const field = (name: string) => plugin.fields.find((f) => f.name === name)!;

  it('gives each a server-set value, and the report says so', () => {
    expect(field('name').default).toBe('RSS poller');
    expect(field('modulePath').default).toBe('');
    expect(field('enabled').default).toBe(false);
    expect(field('capabilities').serverDefault).toBe('emptyArray');
    // Named like who made the row (Discourse's DirectoryItem.user): no create fills it from the caller,
    // which wrote the column twice in the rows the user's code inserts.
    expect(field('user').fromCaller).toBeUndefined();
    expect(warnings.map((w) => w.message)).toContainEqual(
      'Plugin.modulePath is required in the answers but not set by any operation (none creates rows): the server sets "" (the spec\'s example or the zero of its type) unless the request gives it; set your own in src/resources/plugin.service.ts.',
    );
  });
});

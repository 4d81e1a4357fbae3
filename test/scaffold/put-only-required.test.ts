import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * netbird's peers: no POST, and the PUT that makes rows leaves out most of what the answers require.
 * Each such field is decided as for a create (a default, a database value, or nullable), and reported.
 */
describe('modelFromOpenApi: a resource only PUT writes', () => {
  const { model, warnings } = modelFromOpenApi('put-only-required.yaml', fixtures);
  const peer = model.resources.find((r) => r.name === 'Peer')!;
  const field = (name: string) => peer.fields.find((f) => f.name === name)!;
  const messages = warnings.map((w) => w.message);

  it('gives every field the answers require and the PUT body does not a value the insert can use', () => {
    expect(peer.served?.putCreates).toBe(200);
    expect(field('os').default).toBe('Darwin 13.2.1');
    expect(field('connected').default).toBe(true);
    expect(field('user_id').default).toBe('');
    expect(field('last_seen').serverDefault).toBe('now');
    expect(field('groups').serverDefault).toBe('emptyArray');
    // What the PUT body requires is the client's to give.
    expect(field('name').default).toBeUndefined();
    expect(field('ssh_enabled').default).toBeUndefined();
  });

  it('reports each decision', () => {
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^Peer\.os is required in the answers but not in the PUT body, the only write: the server sets "Darwin 13\.2\.1"/,
      ),
    );
    expect(messages.filter((m) => m.includes('not in the PUT body, the only write'))).toHaveLength(8);
  });

  it('leaves the path key of a PUT-only resource to the path (Typesense aliases)', () => {
    const { model: aliases } = modelFromOpenApi('path-key-upsert.yaml', fixtures);
    const name = aliases.resources.find((r) => r.name === 'Alias')!.fields.find((f) => f.name === 'name')!;
    expect(name.default).toBeUndefined();
  });
});

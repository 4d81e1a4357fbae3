import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/**
 * netbird's peers are made by `PUT /api/peers/{peerId}` only (no POST). `Peer.user_id` is required in
 * the answers, not in the PUT body, and names a `User`: the server set the spec's example
 * ('google-oauth2|…') and kept the foreign key to users, so every PUT that created a peer failed it
 * and answered 400 to a spec-valid request. The PUT body is the only write, as a create would be.
 */
describe('modelFromOpenApi: a reference the only write (a PUT) does not take', () => {
  const { model, warnings } = modelFromOpenApi('put-only-reference.yaml', fixtures);
  const userId = model.resources.find((r) => r.name === 'Peer')!.fields.find((f) => f.name === 'user_id')!;

  it('keeps the server-set value in a plain column, not a foreign key no row satisfies', () => {
    expect(userId.default).toBe('google-oauth2|1234');
    expect(userId.ref).toBeUndefined();
    expect(warnings).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('Peer.user_id names a User') }),
    );
  });
});

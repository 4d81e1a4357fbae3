import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requestsOf } from '../../scripts/conformance/requests-of.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const fixture = fileURLToPath(new URL('../scaffold/fixtures/form-oneof.yaml', import.meta.url));

/**
 * ory kratos's login body is a oneOf told apart by its discriminator's mapping alone (each branch's
 * `method` a plain string): openapi-sampler fills `method` with `"string"`, which names no branch,
 * so the oracle's body was not spec-valid and the app's 400 for it counted as a refusal.
 */
describe('the oracle samples a discriminated union as a client of one branch does', () => {
  it('names the sampled branch by its mapping key, in every body it sends', () => {
    const spec = loadSpec(fixture);
    const requests = requestsOf(spec.operations[0]!, spec, new Map(), 'TOKEN');
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) {
      const body = request.body ?? '';
      const method = body.startsWith('{') ? JSON.parse(body).method : new URLSearchParams(body).get('method');
      expect(method, body).toBe('password');
    }
  });
});

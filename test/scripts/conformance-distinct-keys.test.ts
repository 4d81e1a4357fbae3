import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requestsOf } from '../../scripts/conformance/requests-of.js';
import { loadSpec } from '../../scripts/conformance/spec-reader.js';

const fixture = (name: string) => fileURLToPath(new URL(`../scaffold/fixtures/${name}`, import.meta.url));

/**
 * The oracle sends a create twice (the full body, then the minimal one). With the spec's example
 * both times, a key the spec's path names rows by (`GET /taxes/{code}`) was a duplicate, and the
 * app's 409 — which the spec does not declare — counted as a violation (lago ×5).
 */
describe('the oracle: each create of a path-keyed object gets its own key', () => {
  it('sends the example first, then another value of the key, wrapped or not', () => {
    const spec = loadSpec(fixture('path-key-create.yaml'));
    const create = spec.operations.find((o) => o.operationId === 'createTax')!;
    const bodies = requestsOf(create, spec, new Map(), 'token').map((r) => JSON.parse(r.body!));
    expect(bodies.map((b) => b.tax.code)).toEqual(['vat_fr', 'vat_fr-2']);
    expect(bodies[1].tax.name).toBe('French VAT');
  });

  it('leaves creates of objects keyed by id as built', () => {
    const spec = loadSpec(fixture('integer-storage.yaml'));
    const create = spec.operations.find((o) => o.operationId === 'createQuota')!;
    const requests = requestsOf(create, spec, new Map(), 'token');
    expect(new Set(requests.map((r) => JSON.parse(r.body!).storageQuota))).toEqual(new Set([5000000000]));
  });
});

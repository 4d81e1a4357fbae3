import { CHECK_SETUP, checkEachFramework, scaffoldFixture } from '../support/project-check.js';

/**
 * Errors the spec declares only in YAML or text/plain are answered in that type, in both
 * frameworks (`fixtures/error-media.yaml`): gotify's `GET /plugin/{id}/config` declares its
 * errors as `application/x-yaml` alone, and its answers were JSON the spec does not allow. A YAML
 * error is the mapped body as JSON text (a YAML 1.2 document); a text/plain one the message. The
 * project's own tests for these routes run too (they check each error against the spec's schemas).
 */
const { spec, work } = scaffoldFixture('error-media.yaml');

const CHECK = `${CHECK_SETUP}const call = (method: string, url: string, body?: unknown) =>
  app.request(method, url, body, { ...admin.headers, accept: '*/*' });

describe('errors in the media type the spec declares for them', () => {
  it('a YAML-only error answers the spec’s schema in that type, before the handler runs', async () => {
    const res = await call('GET', '/notes/abc/config');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/x-yaml; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({ code: 'VALIDATION_FAILED', message: expect.any(String) });
  });

  it('a text/plain-only 404 answers the message as text', async () => {
    const res = await call('GET', '/notes/999999');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toMatch(/not found/i);
  });

  it('statuses declared in JSON, and those not declared, stay in the spec’s JSON schema', async () => {
    const bad = await call('POST', '/notes', { text: 'x'.repeat(51) });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(bad.body).toEqual({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    const unwritten = await call('GET', '/notes/1/config');
    expect(unwritten.status).toBe(501);
    expect(unwritten.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});
`;

checkEachFramework(
  'error media types in a generated %s project',
  'answers each error in the media type the spec declares for it',
  { spec, work },
  {
    name: 'error-media-check.test.ts',
    source: CHECK,
    tests: [
      'test/generated/note.test.ts',
      'test/generated/operations.test.ts',
      'test/generated/access.test.ts',
      'test/generated/hardening.test.ts',
    ],
  },
);

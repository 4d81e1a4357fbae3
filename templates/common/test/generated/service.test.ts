import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthAnswers } from '../../src/generated/health-answers.js';
import { sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';
import { unknownPath } from './unknown-path.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('health, spec and errors', () => {
  it('/health/live and /health/ready answer 200', async () => {
    expect((await app.request('GET', '/health/live')).status).toBe(200);
    const ready = await app.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    // The spec's own shape where it declares the route (src/generated/openapi.ts), else tenon's.
    if (!healthAnswers.ready) expect(ready.body).toEqual({ success: true, data: { status: 'ok' } });
    else if (/json/.test(healthAnswers.ready.media)) expect(ready.body).toEqual(healthAnswers.ready.body);
    else expect(ready.text).toBe(healthAnswers.ready.body);
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(String(res.body.openapi)).toMatch(/^3\./);
    expect(Object.keys(res.body.paths).length).toBeGreaterThan(0);
  });

  it('answers unknown routes with the 404 envelope and a request id', async () => {
    const { headers } = await sessionFor(app, 'user');
    const res = await app.request('GET', unknownPath('/api/v1'), undefined, headers);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect(res.body.meta.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers unknown paths 404 to anonymous callers too (no route, nothing to authenticate)', async () => {
    expect((await app.request('GET', unknownPath('/api/v1'))).status).toBe(404);
    expect((await app.request('GET', unknownPath())).status).toBe(404);
    // Not even a broken body makes an unknown path anything but 404: it is never read.
    const res = await app.request('POST', unknownPath('/api/v1'), '{"broken":');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('answers a path no route serves 404, and a known path with another method 405, whatever the size of the body', async () => {
    // Over BODY_LIMIT_BYTES: still not read, so not a 413 (Fastify checks the size before it parses).
    const huge = JSON.stringify({ padding: 'x'.repeat(200_000) });
    const unknown = await app.request('POST', unknownPath('/api/v1'), huge);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const otherMethod = await app.request('POST', '/openapi.json', huge);
    expect(otherMethod.status).toBe(405);
    expect(otherMethod.headers.allow).toMatch(/GET/);
  });

  it.each([
    ['invalid JSON', '{"broken":', {}],
    ['a content type that is not JSON', 'a=1', { 'content-type': 'text/plain' }],
    ['a body over the limit', JSON.stringify({ padding: 'x'.repeat(200_000) }), {}],
  ])('checks authentication before reading the body: %s from an anonymous caller is 401', async (_what, body, headers) => {
    const res = await app.request('POST', '/api/v1/auth/password', body, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps a well-formed X-Request-Id from the client', async () => {
    const res = await app.request('GET', '/health/live', undefined, { 'x-request-id': 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
  });
});

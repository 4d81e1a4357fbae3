import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

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
    expect(ready.body).toEqual({ success: true, data: { status: 'ok' } });
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(String(res.body.openapi)).toMatch(/^3\./);
    expect(Object.keys(res.body.paths).length).toBeGreaterThan(0);
  });

  it('answers unknown routes with the 404 envelope and a request id', async () => {
    const { headers } = await sessionFor(app, 'user');
    const res = await app.request('GET', '/api/v1/no-such-thing', undefined, headers);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    expect(res.body.meta.requestId).toBe(res.headers['x-request-id']);
  });

  it('keeps a well-formed X-Request-Id from the client', async () => {
    const res = await app.request('GET', '/health/live', undefined, { 'x-request-id': 'req-123' });
    expect(res.headers['x-request-id']).toBe('req-123');
  });
});

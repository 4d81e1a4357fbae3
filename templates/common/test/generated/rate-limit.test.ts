import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, withSettings } from './database.js';
import { serveApp, type TestApp } from './test-app.js';

// Every app instance of this file runs over one database: the limits live in each app (or in
// Redis), not in the database, and one migrated database is cheaper than one per instance.
let shared: Promise<TestDatabase> | undefined;
const opened: TestApp[] = [];
async function start(env: Record<string, string>): Promise<TestApp> {
  shared ??= createTestDatabase();
  const app = await serveApp(withSettings(await shared, env));
  opened.push(app);
  return app;
}
afterAll(async () => {
  for (const app of opened) await app.close();
  await (await shared)?.drop();
});

const LOW = { RATE_LIMIT_MAX: '3', RATE_LIMIT_AUTH_MAX: '2' };

describe('rate limits (in-process store)', () => {
  it('allows RATE_LIMIT_MAX requests per window, then answers 429 with Retry-After and the envelope', async () => {
    const app = await start(LOW);
    for (let i = 0; i < 3; i++) {
      const res = await app.request('GET', '/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('3');
      expect(res.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await app.request('GET', '/openapi.json');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      success: false,
      error: { code: 'TOO_MANY_REQUESTS', message: expect.any(String) },
      meta: { requestId: limited.headers['x-request-id'] },
    });
  });

  it('a forged X-Forwarded-For does not reset the limit when no proxy is trusted', async () => {
    const app = await start(LOW);
    for (let i = 0; i < 3; i++) await app.request('GET', '/openapi.json', undefined, { 'x-forwarded-for': `10.0.0.${i}` });
    for (const forged of ['10.9.9.9', '127.0.0.2', '::1, 10.0.0.1']) {
      const res = await app.request('GET', '/openapi.json', undefined, { 'x-forwarded-for': forged, 'x-real-ip': forged });
      expect(res.status).toBe(429);
    }
  });

  it('with TRUST_PROXY=true the client is the forwarded address', async () => {
    const app = await start({ ...LOW, TRUST_PROXY: 'true' });
    for (let i = 0; i < 3; i++) {
      expect((await app.request('GET', '/openapi.json', undefined, { 'x-forwarded-for': '10.1.1.1' })).status).toBe(200);
    }
    expect((await app.request('GET', '/openapi.json', undefined, { 'x-forwarded-for': '10.1.1.1' })).status).toBe(429);
    expect((await app.request('GET', '/openapi.json', undefined, { 'x-forwarded-for': '10.1.1.2' })).status).toBe(200);
  });

  it('/api/v1/auth/* has its own, stricter limit', async () => {
    const app = await start(LOW);
    const body = { email: 'nobody@example.com', password: 'not-the-password' };
    for (let i = 0; i < 2; i++) {
      const res = await app.request('POST', '/api/v1/auth/login', body);
      expect(res.status).not.toBe(429);
      expect(res.headers['ratelimit-limit']).toBe('2');
    }
    const limited = await app.request('POST', '/api/v1/auth/login', body);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    // The global budget is separate: other routes still answer.
    expect((await app.request('GET', '/openapi.json')).status).toBe(200);
  });

  it('never limits /health/* (probes must see the truth)', async () => {
    const app = await start({ RATE_LIMIT_MAX: '1' });
    for (let i = 0; i < 5; i++) expect((await app.request('GET', '/health/live')).status).toBe(200);
  });

  it('fails open when the Redis store cannot be reached (a cache outage must not stop the API)', async () => {
    const app = await start({ RATE_LIMIT_MAX: '1', REDIS_URL: 'redis://127.0.0.1:1' });
    for (let i = 0; i < 3; i++) {
      const res = await app.request('GET', '/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
    }
  });
});

const REDIS_URL = process.env.REDIS_URL;
const REQUIRED = process.env.TEST_REQUIRE_SERVICES === '1';

describe('rate limits shared through Redis', () => {
  it.runIf(!REDIS_URL && REQUIRED)('needs REDIS_URL (TEST_REQUIRE_SERVICES=1 says Redis must be there)', () => {
    expect.fail('REDIS_URL is not set');
  });

  it.skipIf(!REDIS_URL)('two app instances share one budget [needs REDIS_URL]', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    const env = { RATE_LIMIT_MAX: '4', REDIS_URL: REDIS_URL!, RATE_LIMIT_PREFIX: prefix };
    const a = await start(env);
    const b = await start(env);
    const statuses: number[] = [];
    for (const app of [a, b, a, b, a, b]) statuses.push((await app.request('GET', '/openapi.json')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const limited = await b.request('GET', '/openapi.json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

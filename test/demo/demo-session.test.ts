import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openDemoSession } from '../../src/demo/demo-session.js';

/** A server that answers the auth routes with `handler`, recording each body. */
async function authServer(handler: (path: string, body: Record<string, string>) => [number, unknown]) {
  const calls: { path: string; body: Record<string, string> }[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += String(c);
    });
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, string>;
      calls.push({ path: req.url ?? '', body });
      const [status, json] = handler(req.url ?? '', body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('openDemoSession', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('registers, logs in with the same credentials and sends the bearer token', async () => {
    const s = await authServer((path, body) =>
      path === '/api/v1/auth/register'
        ? [201, { success: true, data: { id: 12, email: body.email, role: 'user' } }]
        : [
            200,
            {
              success: true,
              data: { accessToken: 'tok', refreshToken: 'r', tokenType: 'Bearer', expiresIn: 900 },
            },
          ],
    );
    close = s.close;
    const session = await openDemoSession(s.url);
    expect(session).toMatchObject({
      authenticated: true,
      userId: 12,
      note: null,
      headers: { authorization: 'Bearer tok' },
    });
    expect(s.calls.map((c) => c.path)).toEqual(['/api/v1/auth/register', '/api/v1/auth/login']);
    expect(s.calls[1]!.body).toEqual(s.calls[0]!.body);
    expect(s.calls[0]!.body.password!.length).toBeGreaterThanOrEqual(12);
  });

  it('goes on unauthenticated, and says so, when the app has no auth routes', async () => {
    const s = await authServer(() => [
      404,
      { success: false, error: { code: 'NOT_FOUND', message: 'no route' } },
    ]);
    close = s.close;
    const session = await openDemoSession(s.url);
    expect(session.authenticated).toBe(false);
    expect(session.headers).toEqual({});
    expect(session.note).toMatch(/answered 404/);
  });

  it('fails with TENON_DEMO_LOGIN_FAILED on any other answer', async () => {
    const s = await authServer((path) =>
      path === '/api/v1/auth/register'
        ? [201, { success: true, data: { id: 1 } }]
        : [401, { success: false, error: { code: 'INVALID_CREDENTIALS', message: 'bad credentials' } }],
    );
    close = s.close;
    await expect(openDemoSession(s.url)).rejects.toMatchObject({
      code: 'TENON_DEMO_LOGIN_FAILED',
      message: expect.stringMatching(/401: bad credentials/),
    });
  });
});

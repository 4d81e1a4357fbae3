import { createHmac, generateKeyPairSync } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccessTokens } from '../../src/auth/tokens.js';
import { type Session, sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

// Attacks on the access token (OWASP JWT cheat sheet, RFC 8725). Every forged token must get 401.
const me = '/api/v1/auth/me';
let app: TestApp;
let user: Session;
let secret: Uint8Array;

beforeAll(async () => {
  app = await startTestApp();
  user = await sessionFor(app, 'user');
  secret = new TextEncoder().encode(app.config.JWT_SECRET!);
});
afterAll(async () => {
  await app?.close();
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    sub: String(user.userId),
    role: 'admin',
    ver: 0,
    iss: app.config.JWT_ISSUER,
    aud: app.config.JWT_AUDIENCE,
    iat: now(),
    exp: now() + 600,
    ...overrides,
  };
}

/** Signs with the app's own key: only the one thing a test changes is wrong. */
function sign(payload: JWTPayload, header: { alg?: string; typ?: string } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', ...header } as { alg: string }).sign(secret);
}

/** HS256 by hand, with any key bytes (jose refuses some keys an attacker would use). */
function hmacToken(header: object, payload: object, key: string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

async function status(authorization: string | undefined): Promise<number> {
  const res = await app.request('GET', me, undefined, authorization === undefined ? {} : { authorization });
  if (res.status === 401) expect(res.body.error.code).toBe('UNAUTHENTICATED');
  return res.status;
}

describe('JWT attacks', () => {
  it('control: a token signed with the right key and claims is accepted', async () => {
    expect(await status(`Bearer ${await sign(claims({ role: 'user' }))}`)).toBe(200);
    expect(await status(`Bearer ${hmacToken({ alg: 'HS256', typ: 'at+jwt' }, claims({ role: 'user' }), Buffer.from(secret))}`)).toBe(200);
  });

  it('refuses alg "none" (unsigned)', async () => {
    const body = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims())}`;
    expect(await status(`Bearer ${body}.`)).toBe(401);
    expect(await status(`Bearer ${body}`)).toBe(401);
    expect(await status(`Bearer ${b64({ alg: 'None', typ: 'at+jwt' })}.${b64(claims())}.x`)).toBe(401);
  });

  it('refuses HS/RS confusion: HS256 signed with an RSA public key as the secret', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await status(`Bearer ${hmacToken({ alg: 'HS256', typ: 'at+jwt' }, claims(), pem)}`)).toBe(401);
    const rs256 = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(privateKey);
    expect(await status(`Bearer ${rs256}`)).toBe(401);
  });

  it('refuses a tampered payload (role raised to admin, signature kept)', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const payload = JSON.parse(Buffer.from(user.accessToken.split('.')[1]!, 'base64url').toString());
    expect(await status(`Bearer ${header}.${b64({ ...payload, role: 'admin' })}.${signature}`)).toBe(401);
    expect(await status(`Bearer ${header}.${b64({ ...payload, sub: String(Number(user.userId) + 1) })}.${signature}`)).toBe(401);
  });

  it('refuses an expired token', async () => {
    expect(await status(`Bearer ${await sign(claims({ iat: now() - 3600, exp: now() - 60 }))}`)).toBe(401);
  });

  it('refuses a token once it expires, even after it was accepted (the verified-token cache honours exp)', async () => {
    const tokens = createAccessTokens(app.config);
    const token = await tokens.sign({ id: 1, role: 'user', tokenVersion: 0 });
    expect(await tokens.verify(token)).toEqual({ id: 1, version: 0 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (app.config.AUTH_ACCESS_TOKEN_TTL_SECONDS + 60) * 1000 });
    try {
      expect(await tokens.verify(token)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a token not valid yet (future nbf)', async () => {
    expect(await status(`Bearer ${await sign(claims({ nbf: now() + 600 }))}`)).toBe(401);
  });

  it('refuses a wrong issuer, audience or type', async () => {
    expect(await status(`Bearer ${await sign(claims({ iss: 'https://evil.example' }))}`)).toBe(401);
    expect(await status(`Bearer ${await sign(claims({ aud: 'another-api' }))}`)).toBe(401);
    expect(await status(`Bearer ${await sign(claims(), { typ: 'JWT' })}`)).toBe(401);
  });

  it('refuses a token without a token version (ver), or with another one than the account has', async () => {
    const { ver: _ver, ...noVersion } = claims({ role: 'user' });
    void _ver;
    expect(await status(`Bearer ${await sign(noVersion)}`)).toBe(401);
    expect(await status(`Bearer ${await sign(claims({ role: 'user', ver: 1 }))}`)).toBe(401);
    expect(await status(`Bearer ${await sign(claims({ role: 'user', ver: '0' }))}`)).toBe(401);
  });

  it('refuses tokens without exp or sub, or with another key', async () => {
    const { exp: _exp, ...noExp } = claims();
    void _exp;
    expect(await status(`Bearer ${await sign(noExp)}`)).toBe(401);
    const { sub: _sub, ...noSub } = claims();
    void _sub;
    expect(await status(`Bearer ${await sign(noSub)}`)).toBe(401);
    const other = new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' });
    expect(await status(`Bearer ${await other.sign(new TextEncoder().encode('another-secret-another-secret-123456'))}`)).toBe(401);
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['scheme only', 'Bearer'],
    ['empty token', 'Bearer '],
    ['Basic', 'Basic dXNlcjpwYXNz'],
    ['not a JWT', 'Bearer not.a.jwt'],
    ['two parts', 'Bearer a.b'],
    ['another scheme', 'Token abc'],
    ['10 kB of garbage', `Bearer ${'a'.repeat(10_000)}`],
  ])('refuses a missing or malformed header: %s', async (_what, header) => {
    expect(await status(header)).toBe(401);
  });
});

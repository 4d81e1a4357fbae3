import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts } from '../../src/auth/accounts.js';
import { authenticate, authenticateNow } from '../../src/auth/access-control.js';
import { grantAccess } from '../../src/auth/grants.js';
import { createAccessTokens } from '../../src/auth/tokens.js';
import { withSettings } from './database.js';
import { newSession, type Session } from './sessions.js';
import { serveApp, startTestApp, type TestApp } from './test-app.js';

// Access tokens can be revoked: every request checks the token's version and reads the role from
// the account (cached for AUTH_ACCOUNT_CACHE_MS, the bound). Changes made through the app revoke
// at once on it; on other replicas and processes they take at most the bound.
const auth = '/api/v1/auth';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const me = (session: Pick<Session, 'accessToken'>, on = app) =>
  on.request('GET', `${auth}/me`, undefined, { authorization: `Bearer ${session.accessToken}` });

describe('on the app that made the change: at once', () => {
  it('logout: the access token of the session is refused', async () => {
    const session = await newSession(app, 'user');
    expect((await me(session)).status).toBe(200);
    expect((await app.request('POST', `${auth}/logout`, { refreshToken: session.refreshToken })).status).toBe(204);
    expect((await me(session)).status).toBe(401);
  });

  it('password change: every access token of the account is refused, the caller’s included', async () => {
    const session = await newSession(app, 'user');
    const second = await app.request('POST', `${auth}/login`, { email: session.email, password: session.password });
    expect((await me(session)).status).toBe(200);
    const next = `Pw-${randomUUID()}`;
    const changed = await app.request('POST', `${auth}/password`, { currentPassword: session.password, newPassword: next }, session.headers);
    expect(changed.status).toBe(204);
    expect((await me(session)).status).toBe(401);
    expect((await me(second.body.data)).status).toBe(401);
    const again = await app.request('POST', `${auth}/login`, { email: session.email, password: next });
    expect((await me(again.body.data)).status).toBe(200);
  });

  it('refresh-token reuse: the family and every access token of the account are revoked', async () => {
    const session = await newSession(app, 'user');
    const rotated = await app.request('POST', `${auth}/refresh`, { refreshToken: session.refreshToken });
    expect((await me(rotated.body.data)).status).toBe(200);
    expect((await app.request('POST', `${auth}/refresh`, { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await me(rotated.body.data)).status).toBe(401);
    expect((await me(session)).status).toBe(401);
  });

  it('after a logout, the account’s other sessions refresh once and go on', async () => {
    const session = await newSession(app, 'user');
    const other = (await app.request('POST', `${auth}/login`, { email: session.email, password: session.password })).body.data;
    expect((await app.request('POST', `${auth}/logout`, { refreshToken: session.refreshToken })).status).toBe(204);
    expect((await me(other)).status).toBe(401);
    const refreshed = await app.request('POST', `${auth}/refresh`, { refreshToken: other.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.data)).status).toBe(200);
  });
});

describe('on another replica: within AUTH_ACCOUNT_CACHE_MS', () => {
  it('is 5 seconds by default', () => {
    expect(app.config.AUTH_ACCOUNT_CACHE_MS).toBe(5_000);
  });

  // The replica's account cache on a clock the test moves: what it accepts just before the bound
  // and refuses at it, with no waiting and no timing in the assertions.
  const ttl = 5_000;
  const tokens = () => createAccessTokens(app.config);
  const changes: [string, (session: Session) => Promise<unknown>, string | undefined][] = [
    ['logout', (s) => app.request('POST', `${auth}/logout`, { refreshToken: s.refreshToken }), undefined],
    [
      'password change',
      (s) => app.request('POST', `${auth}/password`, { currentPassword: s.password, newPassword: `Pw-${randomUUID()}` }, s.headers),
      undefined,
    ],
    ['role change (npm run grant)', (s) => grantAccess(app.db, s.email, 'admin'), 'admin'],
    ['deleted account', (s) => app.db.query('delete from auth_users where id = $1', [s.userId]), undefined],
  ];

  it.each(changes)('%s: the old answer until the bound, the new one from it', async (_what, change, roleAfter) => {
    const session = await newSession(app, 'user');
    let clock = 1_000_000;
    const accounts = createAccounts(app.db, ttl, () => clock);
    const signer = tokens();
    const header = `Bearer ${session.accessToken}`;
    expect(await authenticate(signer, accounts, { authorization: header })).toEqual({ id: session.userId, role: 'user' });
    await change(session);
    clock += ttl - 1;
    expect(await authenticate(signer, accounts, { authorization: header })).toEqual({ id: session.userId, role: 'user' });
    clock += 1;
    const after = await authenticate(signer, accounts, { authorization: header });
    if (roleAfter) expect(after).toEqual({ id: session.userId, role: roleAfter });
    else expect(after).toBeUndefined();
  });

  it('a verified token and a recent account answer without a promise; the bound still holds', async () => {
    const session = await newSession(app, 'user');
    let clock = 1_000_000;
    const accounts = createAccounts(app.db, ttl, () => clock);
    const signer = tokens();
    const headers = { authorization: `Bearer ${session.accessToken}` };
    const first = authenticateNow(signer, accounts, headers);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ id: session.userId, role: 'user' });
    // The hot path of every request: the same answer, at once.
    expect(authenticateNow(signer, accounts, headers)).toEqual({ id: session.userId, role: 'user' });
    await app.db.query('delete from auth_users where id = $1', [session.userId]);
    clock += ttl - 1;
    expect(authenticateNow(signer, accounts, headers)).toEqual({ id: session.userId, role: 'user' });
    clock += 1;
    expect(await authenticateNow(signer, accounts, headers)).toBeUndefined();
  });

  it('with AUTH_ACCOUNT_CACHE_MS=0 a replica reads the account on every request', async () => {
    const replica = await serveApp(withSettings(app, { AUTH_ACCOUNT_CACHE_MS: '0' }));
    try {
      const session = await newSession(app, 'user');
      expect((await me(session, replica)).status).toBe(200);
      await app.db.query('delete from auth_users where id = $1', [session.userId]);
      expect((await me(session, replica)).status).toBe(401);
    } finally {
      await replica.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockoutSeconds } from '../../src/auth/auth-service.js';
import { newSession } from './sessions.js';
import { startTestApp, type TestApp, type TestResponse } from './test-app.js';

const auth = '/api/v1/auth';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const email = () => `someone-${randomUUID()}@example.test`;
const password = () => `Pw-${randomUUID()}`;

async function register(e = email(), p = password()) {
  const res = await app.request('POST', `${auth}/register`, { email: e, password: p });
  return { res, email: e, password: p };
}
const login = (e: string, p: string) => app.request('POST', `${auth}/login`, { email: e, password: p });
const without = (res: TestResponse) => ({ status: res.status, body: { ...res.body, meta: undefined } });

describe('register', () => {
  it('creates a user (201): id, email and role user, never the hash', async () => {
    const { res, email: e } = await register();
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ success: true, data: { id: expect.any(Number), email: e, role: 'user' } });
    const { rows } = await app.db.query<{ password_hash: string }>('select password_hash from auth_users where id = $1', [res.body.data.id]);
    // PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash (argon2 writes p before t).
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$[mtp=\d,]+\$[^$]+\$[^$]+$/);
    const param = (name: string) => Number(new RegExp(`[$,]${name}=(\\d+)`).exec(rows[0]!.password_hash)![1]);
    const [m, t, p] = [param('m'), param('t'), param('p')];
    expect(m).toBeGreaterThanOrEqual(19_456);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(p).toBeGreaterThanOrEqual(1);
  });

  it('never makes an admin: a role in the body is refused (400 naming it)', async () => {
    const res = await app.request('POST', `${auth}/register`, { email: email(), password: password(), role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'role' }));
    expect((await app.db.query('select 1 from auth_users where role = $1', ['admin'])).rows).toEqual([]);
  });

  it('refuses an email that exists, in any case (409)', async () => {
    const { email: e } = await register();
    const res = await app.request('POST', `${auth}/register`, { email: e.toUpperCase(), password: password() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('EMAIL_TAKEN');
  });

  it.each([
    ['7 characters', 'Abc-123', 'WEAK_PASSWORD'],
    ['a common password', 'Password123', 'WEAK_PASSWORD'],
    ['129 characters', 'x'.repeat(129), 'VALIDATION_FAILED'],
  ])('refuses %s (400 naming password)', async (_what, pw, code) => {
    const res = await app.request('POST', `${auth}/register`, { email: email(), password: pw });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'password' }));
  });

  it('refuses a huge password fast, before hashing', async () => {
    const started = performance.now();
    const res = await app.request('POST', `${auth}/register`, { email: email(), password: 'x'.repeat(50_000) });
    expect(res.status).toBe(400);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('accepts 8 and 128 characters', async () => {
    expect((await register(email(), 'kq8#Zt1w')).res.status).toBe(201);
    expect((await register(email(), 'Zq9!'.repeat(32))).res.status).toBe(201);
  });

  it('uses the password exactly as given: no trimming, no Unicode normalisation', async () => {
    const spaced = `  ${password()}  `;
    const { email: a } = await register(email(), spaced);
    expect((await login(a, spaced.trim())).status).toBe(401);
    expect((await login(a, spaced)).status).toBe(200);
    const composed = `Pässwörd-${randomUUID()}`.normalize('NFC');
    const { email: b } = await register(email(), composed);
    expect((await login(b, composed.normalize('NFD'))).status).toBe(401);
    expect((await login(b, composed)).status).toBe(200);
  });
});

describe('login, me', () => {
  it('answers a token pair; the access token is HS256, at+jwt, 15 minutes, sub = user id', async () => {
    const { res: created, email: e, password: p } = await register();
    const res = await login(e, p);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    expect(decodeProtectedHeader(res.body.data.accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    const claims = decodeJwt(res.body.data.accessToken);
    expect(claims).toMatchObject({ sub: String(created.body.data.id), role: 'user', iss: app.config.JWT_ISSUER, aud: app.config.JWT_AUDIENCE });
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it('GET /me answers the caller, and 401 without a token', async () => {
    const session = await newSession(app, 'user');
    const res = await app.request('GET', `${auth}/me`, undefined, session.headers);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: session.userId, email: session.email, role: 'user' });
    const anonymous = await app.request('GET', `${auth}/me`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers unknown email and wrong password with the same status and body', async () => {
    const { email: e } = await register();
    const unknown = await login(`nobody-${randomUUID()}@example.test`, password());
    const wrong = await login(e, password());
    expect(unknown.status).toBe(401);
    expect(without(unknown)).toEqual(without(wrong));
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('costs about as much for an unknown email as for a wrong password (a hash is checked either way)', async () => {
    const { email: e } = await register();
    // CPU time of this process (argon2 runs on libuv's threads, which it counts), not wall time: a
    // busy machine stretches wall time at random, while the work a login does stays the same.
    const cpu = async (who: string) => {
      const started = process.cpuUsage();
      await login(who, password());
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000;
    };
    const median = async (who: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) runs.push(await cpu(who));
      return runs.sort((a, b) => a - b)[1]!;
    };
    await cpu(e); // warm-up
    const wrongMs = await median(e);
    const unknownMs = await median(`nobody-${randomUUID()}@example.test`);
    // Without the dummy hash an unknown email costs several times less (measured: 2.8 against 21 ms).
    expect(unknownMs).toBeGreaterThan(wrongMs / 4);
    expect(unknownMs).toBeLessThan(wrongMs * 4);
  });
});

describe('lockout', () => {
  it('delays an account after repeated failures, even for the right password, then lets it in', async () => {
    const { email: e, password: p } = await register();
    for (let i = 0; i < app.config.AUTH_LOCKOUT_THRESHOLD; i++) expect((await login(e, 'Wrong-password-1')).status).toBe(401);
    const locked = await login(e, p);
    expect(locked.status).toBe(401);
    const { rows } = await app.db.query<{ failed_logins: number; locked_until: Date | null }>(
      'select failed_logins, locked_until from auth_users where lower(email) = lower($1)',
      [e],
    );
    expect(rows[0]!.failed_logins).toBe(app.config.AUTH_LOCKOUT_THRESHOLD);
    expect(rows[0]!.locked_until!.getTime()).toBeGreaterThan(Date.now());
    // Once the delay is over, the right password works and the counter restarts.
    await app.db.query(`update auth_users set locked_until = now() - interval '1 second' where lower(email) = lower($1)`, [e]);
    expect((await login(e, p)).status).toBe(200);
    const after = await app.db.query<{ failed_logins: number }>('select failed_logins from auth_users where lower(email) = lower($1)', [e]);
    expect(after.rows[0]!.failed_logins).toBe(0);
  });

  it('is bounded: however many failures, the delay never exceeds AUTH_LOCKOUT_MAX_SECONDS', async () => {
    const { email: e } = await register();
    await app.db.query('update auth_users set failed_logins = 10000 where lower(email) = lower($1)', [e]);
    expect((await login(e, 'Wrong-password-1')).status).toBe(401);
    const { rows } = await app.db.query<{ seconds: number }>(
      'select extract(epoch from locked_until - now())::float8 as seconds from auth_users where lower(email) = lower($1)',
      [e],
    );
    expect(rows[0]!.seconds).toBeGreaterThan(0);
    expect(rows[0]!.seconds).toBeLessThanOrEqual(app.config.AUTH_LOCKOUT_MAX_SECONDS);
    // Failures during the lock are not counted and do not extend it.
    const before = await app.db.query<{ locked_until: Date }>('select locked_until from auth_users where lower(email) = lower($1)', [e]);
    expect((await login(e, 'Wrong-password-2')).status).toBe(401);
    const again = await app.db.query<{ locked_until: Date }>('select locked_until from auth_users where lower(email) = lower($1)', [e]);
    expect(again.rows[0]!.locked_until).toEqual(before.rows[0]!.locked_until);
    expect(lockoutSeconds(1_000_000, app.config)).toBe(app.config.AUTH_LOCKOUT_MAX_SECONDS);
    expect(lockoutSeconds(app.config.AUTH_LOCKOUT_THRESHOLD - 1, app.config)).toBe(0);
  });
});

describe('lockout under parallel attempts', () => {
  const state = async (e: string) =>
    (
      await app.db.query<{ failed_logins: number; locked_until: Date | null }>(
        'select failed_logins, locked_until from auth_users where lower(email) = lower($1)',
        [e],
      )
    ).rows[0]!;

  it('counts every parallel failure up to the lock (each attempt is claimed before the password is checked)', async () => {
    const { email: e } = await register();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => login(e, 'Wrong-password-1'))).then((all) => all.map((r) => r.status));
    expect(statuses.every((s) => s === 401)).toBe(true);
    // Read-then-write counting left 1 here: 20 guesses for the price of one.
    const after = await state(e);
    expect(after.failed_logins).toBeGreaterThanOrEqual(app.config.AUTH_LOCKOUT_THRESHOLD);
    // The lock was set (the first one lasts 1 s: it may be over by the time 20 hashes are checked).
    expect(after.locked_until).not.toBeNull();
  });

  it('lets one attempt through per lock period: the right password among 15 wrong ones at the threshold', async () => {
    const { email: e, password: p } = await register();
    // At the threshold, the lock over: the next attempt is checked and locks the account again.
    await app.db.query(`update auth_users set failed_logins = $2, locked_until = now() - interval '1 second' where lower(email) = lower($1)`, [
      e,
      app.config.AUTH_LOCKOUT_THRESHOLD,
    ]);
    const attempts = [...Array.from({ length: 15 }, () => 'Wrong-password-1'), p];
    const statuses = (await Promise.all(attempts.map((pw) => login(e, pw)))).map((r) => r.status);
    const after = await state(e);
    if (statuses.includes(200)) {
      // The right password took the one attempt: the others found the account locked.
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(after.failed_logins).toBe(0);
    } else {
      // A wrong one took it: one more failure, counted, and the right password was refused unchecked.
      expect(after.failed_logins).toBe(app.config.AUTH_LOCKOUT_THRESHOLD + 1);
    }
  });
});

describe('refresh tokens', () => {
  const refresh = (token: string) => app.request('POST', `${auth}/refresh`, { refreshToken: token });

  it('are stored only as their SHA-256', async () => {
    const session = await newSession(app, 'user');
    const raw = await app.db.query('select 1 from auth_refresh_tokens where token_hash = $1', [session.refreshToken]);
    expect(raw.rows).toEqual([]);
    const hashed = createHash('sha256').update(session.refreshToken).digest('base64url');
    expect((await app.db.query('select 1 from auth_refresh_tokens where token_hash = $1', [hashed])).rows).toHaveLength(1);
  });

  it('rotate on every refresh, keeping the absolute expiry of the session', async () => {
    const session = await newSession(app, 'user');
    const res = await refresh(session.refreshToken);
    expect(res.status).toBe(200);
    expect(res.body.data.refreshToken).not.toBe(session.refreshToken);
    expect(res.body.data.tokenType).toBe('Bearer');
    const me = await app.request('GET', `${auth}/me`, undefined, { authorization: `Bearer ${res.body.data.accessToken}` });
    expect(me.body.data.id).toBe(session.userId);
    const { rows } = await app.db.query<{ n: number }>(
      'select count(distinct expires_at)::int as n from auth_refresh_tokens where user_id = $1',
      [session.userId],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('reuse of a rotated token revokes the whole family', async () => {
    const session = await newSession(app, 'user');
    const rotated = await refresh(session.refreshToken);
    expect(rotated.status).toBe(200);
    const replay = await refresh(session.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('INVALID_TOKEN');
    // The legitimate newest token dies with the family.
    expect((await refresh(rotated.body.data.refreshToken)).status).toBe(401);
  });

  it('expire absolutely', async () => {
    const session = await newSession(app, 'user');
    await app.db.query(`update auth_refresh_tokens set expires_at = now() - interval '1 second' where user_id = $1`, [session.userId]);
    expect((await refresh(session.refreshToken)).status).toBe(401);
  });

  it.each(['', 'not-a-token', 'x'.repeat(500)])('refuses %j without a 5xx', async (token) => {
    const res = await refresh(token);
    expect([400, 401]).toContain(res.status);
  });

  it('logout revokes the session (204), then its token is refused', async () => {
    const session = await newSession(app, 'user');
    expect((await app.request('POST', `${auth}/logout`, { refreshToken: session.refreshToken })).status).toBe(204);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    expect((await app.request('POST', `${auth}/logout`, { refreshToken: 'unknown-token' })).status).toBe(401);
  });
});

describe('password change', () => {
  const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
    app.request('POST', `${auth}/password`, { currentPassword, newPassword }, headers);

  it('needs the current password, applies the rules, and ends every session', async () => {
    const first = await newSession(app, 'user');
    const second = await login(first.email, first.password);
    expect(second.status).toBe(200);
    expect((await change({}, first.password, password())).status).toBe(401);
    expect((await change(first.headers, 'not-the-password', password())).status).toBe(401);
    const weak = await change(first.headers, first.password, 'password1');
    expect(weak.status).toBe(400);
    expect(weak.body.error.details).toContainEqual(expect.objectContaining({ field: 'newPassword' }));
    const next = password();
    expect((await change(first.headers, first.password, next)).status).toBe(204);
    for (const token of [first.refreshToken, second.body.data.refreshToken]) {
      expect((await app.request('POST', `${auth}/refresh`, { refreshToken: token })).status).toBe(401);
    }
    expect((await login(first.email, first.password)).status).toBe(401);
    expect((await login(first.email, next)).status).toBe(200);
  });
});

describe('npm run create-admin', () => {
  const run = (args: string[], input = '', env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/create-admin.ts', ...args], {
      encoding: 'utf8',
      input,
      env: { ...process.env, PGLITE_DIR: 'memory', DATABASE_URL: '', LOG_LEVEL: 'silent', ADMIN_PASSWORD: '', ...env },
    });

  it('needs --email and a password (no default password)', () => {
    const res = run(['--email', 'root@example.test']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/no password/);
    expect(res.stderr).toMatch(/usage: npm run create-admin/);
  });

  it('refuses a password on the command line, where other users see it, and says how to give it', () => {
    const res = run(['--email', 'root@example.test', '--password', 'a long passphrase here']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--password is refused/);
    expect(res.stderr).toMatch(/ADMIN_PASSWORD/);
  });

  // A password that is accepted creates the admin: grants.test.ts pipes one in.
  it('reads the password from stdin or ADMIN_PASSWORD, and applies the password rules to it', () => {
    const piped = run(['--email', 'root@example.test'], 'password123\n');
    expect(piped.status).toBe(1);
    expect(piped.stderr).toMatch(/too common/);
    const fromEnv = run(['--email', 'root@example.test'], '', { ADMIN_PASSWORD: 'password123' });
    expect(fromEnv.status).toBe(1);
    expect(fromEnv.stderr).toMatch(/too common/);
  });
});

describe('a development start without JWT_SECRET', () => {
  it('makes a random key per process and says so', async () => {
    const { createAccessTokens } = await import('../../src/auth/tokens.js');
    const { loadConfig } = await import('../../src/config.js');
    const warnings: string[] = [];
    const config = loadConfig({ NODE_ENV: 'development' });
    const a = createAccessTokens(config, () => warnings.push('generated'));
    const b = createAccessTokens(config, () => warnings.push('generated'));
    expect(warnings).toEqual(['generated', 'generated']);
    const token = await a.sign({ id: 1, role: 'user', tokenVersion: 0 });
    expect(await a.verify(token)).toEqual({ id: 1, version: 0 });
    // Another process (another random key) does not accept it.
    expect(await b.verify(token)).toBeUndefined();
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { runProjectTool } from '../support/project-tool.js';

/**
 * apiKey schemes in a query string and in a cookie, the path key of an owned
 * resource, and required query parameters of create/read/update/patch/delete,
 * served in both frameworks: a project is generated from
 * `fixtures/auth-keys.yaml` (notes: `?api_key=`, a required query on each
 * operation but the list; owned profiles at `/profiles/{username}`, a
 * letters-only pattern, the token in the `session_token` cookie), and a test written into it calls the app in
 * process (PGlite) — where the token is taken, what a cookie needs to change
 * data, that no log line holds a token, whose rows a key reaches. The
 * project's own lint and generated tests run too: the tests send each
 * credential and the required query parameters themselves.
 */
const spec = fileURLToPath(new URL('./fixtures/auth-keys.yaml', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'tenon-auth-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CHECK = `import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newSession, type Session, sessionFor } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

// A PGlite start and several argon2 hashes: on a loaded machine (two test files beside this one's
// project, other builds) more than the project's own timeouts, which are hang detectors.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 240_000 });

let text = '';
const sink = new Writable({
  write(chunk, _encoding, done) {
    text += String(chunk);
    done();
  },
});
let app: TestApp;
let admin: Session;
beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'info' }, { logStream: sink });
  admin = await sessionFor(app, 'admin');
});
afterAll(async () => {
  await app?.close();
});

/** A request with no credentials but those given (the test app adds required query parameters itself only where the URL lacks them). */
const send = (method: string, url: string, headers: Record<string, string>, body?: unknown) => app.request(method, url, body, headers);

describe('an apiKey in the query string', () => {
  it('authenticates every operation it guards; is not a parameter (no 400 for it, never echoed); lives in no log line', async () => {
    const key = \`api_key=\${admin.accessToken}\`;
    expect((await send('GET', \`/notes?\${key}\`, {})).status).toBe(200);
    expect((await send('GET', '/notes', {})).status).toBe(401);
    const made = await send('POST', \`/notes?source=web&\${key}\`, {}, { title: 'a' });
    expect(made.status).toBe(201);
    // A refused request: the answer names the bad parameter, not the token.
    const bad = await send('POST', \`/notes?source=fax&\${key}\`, {}, { title: 'a' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ in: 'query', field: 'source' }));
    expect(JSON.stringify(bad.body)).not.toContain(admin.accessToken);
    // Declared as a required parameter too (PUT, the list): the token in the query is that parameter.
    const put = await send('PUT', \`/notes/\${made.body.id}?reason=fine&\${key}\`, {}, { title: 'b' });
    expect(put.status).toBe(200);
    expect((await send('PUT', \`/notes/\${made.body.id}?reason=fine\`, {}, { title: 'b' })).status).toBe(401);
    expect((await send('DELETE', \`/notes/\${made.body.id}?reason=done&\${key}\`, {})).status).toBe(204);
    expect(text).toContain('"url":"/notes"');
    expect(text).not.toContain(admin.accessToken);
    expect(text).not.toContain('api_key');
  });

  it('an Idempotency-Key replay does not depend on the token: a renewed one is the same request', async () => {
    const other = await newSession(app, 'admin');
    const first = await send('POST', \`/notes?source=cli&api_key=\${admin.accessToken}\`, { 'idempotency-key': 'k-1' }, { title: 'b' });
    const again = await send('POST', \`/notes?source=cli&api_key=\${admin.accessToken}\`, { 'idempotency-key': 'k-1' }, { title: 'b' });
    expect(first.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    // Keys are kept per caller: another admin's key of the same name is theirs.
    expect((await send('POST', \`/notes?source=cli&api_key=\${other.accessToken}\`, { 'idempotency-key': 'k-1' }, { title: 'b' })).status).toBe(201);
  });
});

describe('an apiKey cookie', () => {
  it('authenticates reads as it is, and writes only with X-Requested-With (CSRF)', async () => {
    const user = await newSession(app, 'user');
    const cookie = \`session_token=\${user.accessToken}\`;
    expect((await send('GET', '/profiles', { cookie })).status).toBe(200);
    const forged = await send('POST', '/profiles', { cookie }, { username: 'forged' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toContain('X-Requested-With');
    const made = await send('POST', '/profiles', { cookie, 'x-requested-with': 'fetch' }, { username: 'cookiemade' });
    expect(made.status).toBe(201);
    expect((await send('DELETE', '/profiles/cookiemade', { cookie })).status).toBe(401);
    expect((await send('DELETE', '/profiles/cookiemade', { cookie, 'x-requested-with': 'fetch' })).status).toBe(204);
    expect(text).not.toContain(user.accessToken);
  });
});

describe('the session cookie login sets (the spec’s apiKey cookie scheme)', () => {
  it('signs a browser in: login’s Set-Cookie, sent back as a browser does, creates a row (with X-Requested-With); logout clears it', async () => {
    const user = await newSession(app, 'user');
    const login = await send('POST', '/api/v1/auth/login', {}, { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    expect(login.body.data.tokenType).toBe('Bearer');
    const set = String(login.headers['set-cookie']);
    expect(set).toBe(\`session_token=\${login.body.data.accessToken}; Max-Age=900; Path=/; HttpOnly; Secure; SameSite=Strict\`);
    const cookie = set.split(';')[0]!;
    expect((await send('POST', '/profiles', { cookie }, { username: 'browser' })).status).toBe(401);
    expect((await send('POST', '/profiles', { cookie, 'x-requested-with': 'fetch' }, { username: 'browser' })).status).toBe(201);
    expect((await send('GET', '/profiles/browser', { cookie })).body).toMatchObject({ username: 'browser' });
    const logout = await send('POST', '/api/v1/auth/logout', { cookie, 'x-requested-with': 'fetch' }, { refreshToken: login.body.data.refreshToken });
    expect(logout.status).toBe(204);
    expect(logout.headers['set-cookie']).toBe('session_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict');
    expect((await send('GET', '/profiles/browser', { cookie })).status).toBe(401);
    expect(text).not.toContain(login.body.data.accessToken);
  });
});

describe('an owned resource keyed by a property (/profiles/{username})', () => {
  it('reaches the caller’s own rows by their key; another user’s row is a 404; the key is one name for everyone (409)', async () => {
    const alice = await newSession(app, 'user');
    const bob = await newSession(app, 'user');
    const as = (s: Session) => ({ ...s.headers, 'x-requested-with': 'fetch' });
    expect((await send('POST', '/profiles', as(alice), { username: 'alice', bio: 'hers' })).status).toBe(201);
    expect((await send('GET', '/profiles/alice', as(alice))).body).toMatchObject({ username: 'alice', bio: 'hers' });
    expect((await send('GET', '/profiles/alice', as(bob))).status).toBe(404);
    expect((await send('PUT', '/profiles/alice', as(bob), { username: 'alice', bio: 'bob was here' })).status).toBe(404);
    expect((await send('DELETE', '/profiles/alice', as(bob))).status).toBe(404);
    expect((await send('POST', '/profiles', as(bob), { username: 'alice' })).status).toBe(409);
    expect((await send('GET', '/profiles', as(bob))).body).toEqual([]);
    // Admin sees every row, by the same key.
    expect((await send('GET', '/profiles/alice', admin.headers)).body).toMatchObject({ bio: 'hers' });
    const renamed = await send('PUT', '/profiles/alice', as(alice), { username: 'alicia', bio: 'hers' });
    expect(renamed.status).toBe(200);
    expect((await send('GET', '/profiles/alicia', as(alice))).status).toBe(200);
    expect((await send('GET', '/profiles/alice', as(alice))).status).toBe(404);
  });
});

describe('required query parameters of CRUD operations', () => {
  it('are refused when missing (400 naming them), and the test app sends them where a test does not', async () => {
    const made = await send('POST', '/notes', admin.headers, { title: 'c' });
    expect(made.status).toBe(201);
    const id = made.body.id;
    // An empty value is the test's own (the test app leaves it): refused as the schema says.
    for (const [method, url, field] of [
      ['POST', '/notes?source=', 'source'],
      ['GET', \`/notes/\${id}?view=\`, 'view'],
      ['PUT', \`/notes/\${id}?reason=\`, 'reason'],
      ['PATCH', \`/notes/\${id}?reason=no\`, 'reason'],
      ['DELETE', \`/notes/\${id}?reason=no\`, 'reason'],
    ] as const) {
      const res = await send(method, url, admin.headers, method === 'POST' || method === 'PUT' || method === 'PATCH' ? { title: 'd' } : undefined);
      expect(res.status, \`\${method} \${url}\`).toBe(400);
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ in: 'query', field }));
    }
    expect((await send('GET', \`/notes/\${id}\`, admin.headers)).status).toBe(200);
  });
});
`;

/** Runs a tool of the project's (`vitest/vitest.mjs run …`); resolves with its exit code and output. */
const tool = runProjectTool;

describe.each(['fastify', 'express'] as const)(
  'apiKeys in a query or cookie, owned keys, required queries: a generated %s project',
  (framework) => {
    it('serves them as the spec says; the project passes its own lint and tests', async () => {
      const dir = join(work, framework);
      const generated = await generateProject({ mode: 'new', dir, from: spec, framework, cwd: work });
      // The apiKey declared again as a required query parameter is served by the credential, and said so.
      expect(generated.warnings.filter((w) => w.code === 'parameter-is-credential')).toEqual([
        expect.objectContaining({
          at: expect.stringContaining('/components/securitySchemes/queryKey'),
          message: expect.stringMatching(
            /query parameter "api_key" of GET \/notes, PUT \/notes\/:id is the access token/,
          ),
        }),
      ]);
      const modules = linkGeneratedDependencies(dir);
      writeFileSync(join(dir, 'test/generated/auth-keys-check.test.ts'), CHECK);
      // The project's own lint (ESLint, then tsc): vitest runs TypeScript without checking its types.
      for (const lint of [
        ['eslint/bin/eslint.js', '.'],
        ['typescript/bin/tsc', '--noEmit'],
      ]) {
        const checked = await tool(dir, modules, lint);
        expect({ lint: lint[0], code: checked.code, output: checked.output }).toEqual({
          lint: lint[0],
          code: 0,
          output: '',
        });
      }
      const result = await tool(dir, modules, [
        'vitest/vitest.mjs',
        'run',
        'test/generated/auth-keys-check.test.ts',
        'test/generated/access.test.ts',
        'test/generated/note.test.ts',
        'test/generated/profile.test.ts',
        'test/generated/idempotency.test.ts',
        'test/generated/security-events.test.ts',
      ]);
      expect({ code: result.code, tail: result.code === 0 ? '' : result.output.slice(-4000) }).toEqual({
        code: 0,
        tail: '',
      });
      expect(result.output).toMatch(/Tests\s+\d+ passed/);
    }, 600_000);
  },
);

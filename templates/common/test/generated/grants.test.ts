import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows } from '../../src/auth/access-control.js';
import { grantAccess } from '../../src/auth/grants.js';
import { policy, ROLES, SCOPES } from '../../src/generated/policy.js';
import { newSession } from './sessions.js';
import { startTestApp, type TestApp } from './test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

/** The role claim the API sees for a user after logging in again. */
async function roleAfterLogin(email: string, password: string): Promise<string> {
  const login = await app.request('POST', '/api/v1/auth/login', { email, password });
  const me = await app.request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${login.body.data.accessToken}` });
  return me.body.data.role;
}

describe('grants: a role replaces, a scope adds', () => {
  it('grants a role, and the next login carries it', async () => {
    const { email, password } = await newSession(app, 'user');
    expect(await grantAccess(app.db, email.toUpperCase(), 'admin')).toMatchObject({ role: 'admin', scopes: [] });
    expect(await roleAfterLogin(email, password)).toBe('admin');
  });

  it.skipIf(SCOPES.length === 0)('adds scopes next to the role, once each, and revokes them', async () => {
    const { email, password } = await newSession(app, 'user');
    const [first, second = first!] = SCOPES;
    await grantAccess(app.db, email, first!);
    await grantAccess(app.db, email, first!);
    expect(await grantAccess(app.db, email, second)).toMatchObject({ role: 'user', scopes: [...new Set([first, second])] });
    expect(await roleAfterLogin(email, password)).toBe(['user', ...new Set([first, second])].join(' '));
    expect(await grantAccess(app.db, email, first!, { revoke: true })).toMatchObject({ role: 'user' });
    expect((await roleAfterLogin(email, password)).split(' ')).not.toContain(first);
  });

  it('refuses an unknown user (404) and a name the policy does not know (400)', async () => {
    await expect(grantAccess(app.db, 'nobody@example.test', 'admin')).rejects.toMatchObject({ status: 404 });
    const { email } = await newSession(app, 'user');
    await expect(grantAccess(app.db, email, 'superuser')).rejects.toMatchObject({ status: 400 });
    await expect(grantAccess(app.db, email, 'admin', { revoke: true })).rejects.toMatchObject({ status: 400 });
  });
});

describe('rules: every scope of a requirement, any of the requirements', () => {
  const rules = Object.entries(policy).filter(([, rule]) => rule.anyOf);

  it('admin holds every scope', () => {
    for (const [, rule] of rules) expect(allows(rule, ['admin'])).toBe(true);
  });

  it.skipIf(rules.length === 0)('a requirement passes with all its scopes and fails without any one of them', () => {
    for (const [operationId, rule] of rules) {
      for (const all of rule.anyOf!) {
        expect(allows(rule, ['user', ...all]), operationId).toBe(true);
        // Without one of them: refused, unless another requirement is met by what is left.
        for (const missing of all) {
          const left = ['user', ...all.filter((g) => g !== missing)];
          const other = rule.anyOf!.some((alt) => alt.every((g) => left.includes(g)));
          expect(allows(rule, left), `${operationId} without ${missing}`).toBe(other);
        }
      }
    }
  });

  it('role rules allow exactly their roles', () => {
    for (const [, rule] of Object.entries(policy).filter(([, r]) => !r.anyOf))
      for (const role of ROLES) expect(allows(rule, [role])).toBe(rule.roles.includes(role));
  });
});

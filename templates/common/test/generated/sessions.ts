import { randomUUID } from 'node:crypto';
import { createUser } from '../../src/auth/users.js';
import type { TestApp } from './test-app.js';

/** A logged-in test user: headers to send, and who it is. */
export interface Session {
  headers: Record<string, string>;
  userId: number | string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

const cache = new WeakMap<TestApp, Map<string, Promise<Session>>>();

/**
 * A new user with `role`, created through the project's own user code (the
 * same as `npm run create-admin`), logged in through the API.
 */
export async function newSession(app: TestApp, role: string): Promise<Session> {
  // A role with scopes granted next to it is space-separated (`user read:pets`): not part of an email.
  const email = `${role.split(' ')[0]!.replace(/[^A-Za-z0-9_.-]/g, '-')}-${randomUUID()}@example.test`;
  const password = `Pw-${randomUUID()}`;
  const user = await createUser(app.db, app.config, { email, password, role });
  const res = await app.request('POST', '/api/v1/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`login of the test ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { accessToken, refreshToken } = res.body.data as { accessToken: string; refreshToken: string };
  return { headers: { authorization: `Bearer ${accessToken}` }, userId: user.id, email, password, accessToken, refreshToken };
}

/**
 * The session of a `role` user for this app, made once per app (test file)
 * so argon2 runs a few times per file, not once per test. `name` gives
 * further users of the same role (`sessionFor(app, 'user', 'other')`).
 */
export function sessionFor(app: TestApp, role: 'admin' | 'user' | (string & {}), name = 'default'): Promise<Session> {
  let sessions = cache.get(app);
  if (!sessions) cache.set(app, (sessions = new Map()));
  const key = `${role}/${name}`;
  let session = sessions.get(key);
  if (!session) sessions.set(key, (session = newSession(app, role)));
  return session;
}

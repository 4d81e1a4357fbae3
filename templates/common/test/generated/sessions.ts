import { randomUUID } from 'node:crypto';
import { type AuthService, createAuthService, type TokenPair } from '../../src/auth/auth-service.js';
import { createAccessTokens } from '../../src/auth/tokens.js';
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
const services = new WeakMap<TestApp, AuthService>();

/**
 * The project's auth service over the app's database and settings (the same
 * JWT_SECRET, so the app accepts its tokens). Sessions sign in through it in
 * process, not through `POST /api/v1/auth/login`: a spec may declare that
 * route itself (then it is the spec's operation, not tenon's sign-in), and the
 * tests of tenon's own routes call them where the project serves them.
 */
function authOf(app: TestApp): AuthService {
  let auth = services.get(app);
  if (!auth) services.set(app, (auth = createAuthService(app.db, app.config, createAccessTokens(app.config))));
  return auth;
}

/** Signs `email` in through the project's auth service (what tenon's `POST /api/v1/auth/login` answers). */
export function signIn(app: TestApp, email: string, password: string): Promise<TokenPair> {
  return authOf(app).login({ email, password });
}

/**
 * A new user with `role`, created through the project's own user code (the
 * same as `npm run create-admin`), signed in through the auth service.
 */
export async function newSession(app: TestApp, role: string): Promise<Session> {
  // A role with scopes granted next to it is space-separated (`user read:pets`): not part of an email.
  const email = `${role.split(' ')[0]!.replace(/[^A-Za-z0-9_.-]/g, '-')}-${randomUUID()}@example.test`;
  const password = `Pw-${randomUUID()}`;
  const user = await createUser(app.db, app.config, { email, password, role });
  const { accessToken, refreshToken } = await signIn(app, email, password);
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

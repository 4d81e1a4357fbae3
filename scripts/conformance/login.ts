import type { ExerciseOptions } from './exercise.js';
import type { Node, Spec } from './spec-reader.js';

/** Registers an account through the app's own endpoint (it gets the role `user`). */
export async function register(app: string, spec: Spec, account: ExerciseOptions['admin']): Promise<void> {
  for (const path of ['/api/v1/auth/register', `${spec.basePath}/auth/register`]) {
    const res = await fetch(`${app}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    if (res.status === 404) continue;
    if (res.status !== 201) throw new Error(`registering a user failed: ${res.status} ${await res.text()}`);
    return;
  }
  throw new Error('no register endpoint answered (tried /api/v1/auth/register and the base path)');
}

/** Logs an account in through the app's own endpoint: its access token. */
export async function login(app: string, spec: Spec, admin: ExerciseOptions['admin']): Promise<string> {
  // tenon's token endpoints are not in the user's spec; they are tried at tenon's path, then under the base path.
  for (const path of ['/api/v1/auth/login', `${spec.basePath}/auth/login`]) {
    const res = await fetch(`${app}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    if (res.status === 404) continue;
    const body = (await res.json().catch(() => undefined)) as Node;
    const token = body?.data?.accessToken ?? body?.accessToken;
    if (res.status !== 200 || typeof token !== 'string')
      throw new Error(`logging in as the admin failed: ${res.status} ${JSON.stringify(body)}`);
    return token;
  }
  throw new Error('no login endpoint answered (tried /api/v1/auth/login and the base path)');
}

import type { Spec } from './spec-reader.js';

/** tenon's sign-in route, as every generated project would serve it. */
export const OWN_LOGIN = '/api/v1/auth/login';

/**
 * Whether the spec declares tenon's sign-in route itself (`POST /api/v1/auth/login`, or a
 * parameter path over it, at the spec's base path): the generated project then serves the spec's
 * operation there and tenon's sign-in is not served, so the oracle signs its accounts in through
 * the project's auth service in process ({@link SIGN_IN_SCRIPT}) instead of over HTTP.
 */
export function specTakesLogin(spec: Pick<Spec, 'basePath' | 'operations'>): boolean {
  const own = OWN_LOGIN.split('/');
  return spec.operations.some((op) => {
    if (op.method !== 'post') return false;
    const segments = `${spec.basePath}${op.path}`.split('/');
    return segments.length === own.length && segments.every((s, i) => s === own[i] || s.includes('{'));
  });
}

/**
 * A module (`node --input-type=module -e`, run in the built project before its server starts: the
 * embedded database has one owner) that signs ORACLE_EMAIL in with ADMIN_PASSWORD through the
 * project's own auth service and prints the access token: what tenon's login route would answer.
 */
export const SIGN_IN_SCRIPT = `
const { loadConfig } = await import('./dist/config.js');
const { createDb } = await import('./dist/db/database.js');
const { createAuthService } = await import('./dist/auth/auth-service.js');
const { createAccessTokens } = await import('./dist/auth/tokens.js');
const config = loadConfig();
const db = await createDb(config);
try {
  const auth = createAuthService(db, config, createAccessTokens(config));
  const { accessToken } = await auth.login({ email: process.env.ORACLE_EMAIL, password: process.env.ADMIN_PASSWORD });
  process.stdout.write('token=' + accessToken + '\\n');
} finally {
  await db.close();
}
`;

/** The token a {@link SIGN_IN_SCRIPT} run printed; throws with its output when there is none. */
export function tokenOf(output: string): string {
  const token = /^token=(\S+)$/m.exec(output)?.[1];
  if (!token) throw new Error(`signing in through the project's auth service printed no token:\n${output}`);
  return token;
}

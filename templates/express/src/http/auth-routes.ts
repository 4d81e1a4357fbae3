import { Router } from 'express';
import { unauthenticated } from '../auth/access-control.js';
import { authSchemas as s } from '../auth/auth-schemas.js';
import type { AuthService, TokenPair } from '../auth/auth-service.js';
import { clearedSessionCookie, sessionCookie } from '../auth/session-cookie.js';
import { SPEC_AUTH_ROUTES } from '../generated/policy.js';
import { addRoute, type RouteSpec } from './route.js';

type Credentials = { email: string; password: string };
type Refresh = { refreshToken: string };
type NoParams = Record<string, string>;
type NoQuery = Record<string, unknown>;

/**
 * /api/v1/auth: register, login, refresh, logout (public), me and password
 * change (any authenticated user). When the spec has an apiKey cookie
 * scheme, login and refresh also set that cookie to the access token and
 * logout clears it (session-cookie.ts); the JSON answer stays.
 */
export function authRoutes(auth: AuthService, secureCookie: boolean): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const base = '/api/v1/auth';
  // A route the spec declares itself (`GET /api/v1/auth/me`) serves the spec's operation: tenon's is left out.
  const add = <P = NoParams, Q = NoQuery, B = unknown>(to: Router, spec: RouteSpec<P, Q, B>) => {
    if (!SPEC_AUTH_ROUTES.has(`${spec.method.toUpperCase()} ${spec.path}`)) addRoute(to, spec);
  };
  const withCookie = (tokens: TokenPair) => {
    const cookie = sessionCookie(tokens.accessToken, tokens.expiresIn, secureCookie);
    return { body: { success: true, data: tokens }, ...(cookie ? { headers: { 'set-cookie': cookie } } : {}) };
  };

  add<NoParams, NoQuery, Credentials>(router, {
    method: 'post',
    path: `${base}/register`,
    schema: { body: s.credentials, response: { 201: s.user } },
    public: true,
    handler: async ({ body }) => ({ status: 201, body: { success: true, data: await auth.register(body) } }),
  });

  add<NoParams, NoQuery, Credentials>(router, {
    method: 'post',
    path: `${base}/login`,
    schema: { body: s.credentials, response: { 200: s.tokens } },
    public: true,
    handler: async ({ body }) => withCookie(await auth.login(body)),
  });

  add<NoParams, NoQuery, Refresh>(router, {
    method: 'post',
    path: `${base}/refresh`,
    schema: { body: s.refresh, response: { 200: s.tokens } },
    public: true,
    handler: async ({ body }) => withCookie(await auth.refresh(body.refreshToken)),
  });

  add<NoParams, NoQuery, Refresh>(router, {
    method: 'post',
    path: `${base}/logout`,
    schema: { body: s.refresh },
    public: true,
    handler: async ({ body, req }) => {
      // Cleared whatever the refresh token (set before it is checked, so a 401 clears it too): a
      // browser cannot drop an HttpOnly cookie itself.
      const cleared = clearedSessionCookie(secureCookie);
      if (cleared) req.res!.setHeader('set-cookie', cleared);
      await auth.logout(body.refreshToken);
      return { status: 204 };
    },
  });

  add(router, {
    method: 'get',
    path: `${base}/me`,
    schema: { response: { 200: s.user } },
    handler: async ({ req }) => {
      if (!req.principal) throw unauthenticated();
      return { body: { success: true, data: await auth.me(req.principal) } };
    },
  });

  add<NoParams, NoQuery, { currentPassword: string; newPassword: string }>(router, {
    method: 'post',
    path: `${base}/password`,
    schema: { body: s.changePassword },
    handler: async ({ req, body }) => {
      if (!req.principal) throw unauthenticated();
      await auth.changePassword(req.principal, body);
      return { status: 204 };
    },
  });
  return router;
}

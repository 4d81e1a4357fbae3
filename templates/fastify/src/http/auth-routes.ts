import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AuthService, TokenPair } from '../auth/auth-service.js';
import { authSchemas as s } from '../auth/auth-schemas.js';
import { unauthenticated } from '../auth/access-control.js';
import { clearedSessionCookie, sessionCookie } from '../auth/session-cookie.js';
import { SPEC_AUTH_ROUTES } from '../generated/policy.js';

type Credentials = { Body: { email: string; password: string } };
type Refresh = { Body: { refreshToken: string } };

/**
 * /api/v1/auth: register, login, refresh, logout (public: `config.public`),
 * me and password change (any authenticated user). When the spec has an
 * apiKey cookie scheme, login and refresh also set that cookie to the access
 * token and logout clears it (session-cookie.ts); the JSON answer stays.
 */
export async function authRoutes(app: FastifyInstance, { auth, secureCookie }: { auth: AuthService; secureCookie: boolean }): Promise<void> {
  const base = '/api/v1/auth';
  const open = { public: true };
  // A route the spec declares itself (`GET /api/v1/auth/me`) serves the spec's operation: tenon's is left out.
  const own = (method: string, path: string) => !SPEC_AUTH_ROUTES.has(`${method} ${base}${path}`);
  const withCookie = (reply: FastifyReply, tokens: TokenPair) => {
    const cookie = sessionCookie(tokens.accessToken, tokens.expiresIn, secureCookie);
    if (cookie) void reply.header('set-cookie', cookie);
    return { success: true, data: tokens };
  };

  if (own('POST', '/register')) {
    app.post<Credentials>(`${base}/register`, { schema: { body: s.credentials, response: { 201: s.user } }, config: open }, async (request, reply) => {
      const user = await auth.register(request.body);
      void reply.status(201);
      return { success: true, data: user };
    });
  }

  if (own('POST', '/login')) {
    app.post<Credentials>(`${base}/login`, { schema: { body: s.credentials, response: { 200: s.tokens } }, config: open }, async (request, reply) =>
      withCookie(reply, await auth.login(request.body)),
    );
  }

  if (own('POST', '/refresh')) {
    app.post<Refresh>(`${base}/refresh`, { schema: { body: s.refresh, response: { 200: s.tokens } }, config: open }, async (request, reply) =>
      withCookie(reply, await auth.refresh(request.body.refreshToken)),
    );
  }

  if (own('POST', '/logout')) {
    app.post<Refresh>(`${base}/logout`, { schema: { body: s.refresh }, config: open }, async (request, reply) => {
      // Cleared whatever the refresh token: a browser cannot drop an HttpOnly cookie itself.
      const cleared = clearedSessionCookie(secureCookie);
      if (cleared) void reply.header('set-cookie', cleared);
      await auth.logout(request.body.refreshToken);
      return reply.status(204).send();
    });
  }

  if (own('GET', '/me')) {
    app.get(`${base}/me`, { schema: { response: { 200: s.user } } }, async (request) => {
      if (!request.principal) throw unauthenticated();
      return { success: true, data: await auth.me(request.principal) };
    });
  }

  if (own('POST', '/password')) {
    app.post<{ Body: { currentPassword: string; newPassword: string } }>(
      `${base}/password`,
      { schema: { body: s.changePassword } },
      async (request, reply) => {
        if (!request.principal) throw unauthenticated();
        await auth.changePassword(request.principal, request.body);
        return reply.status(204).send();
      },
    );
  }
}

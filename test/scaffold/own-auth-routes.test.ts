import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { accessPolicy } from '../../src/scaffold/access-policy.js';
import { modelFromOpenApi } from '../../src/scaffold/from-openapi.js';
import {
  authRouteClaims,
  authRouteWarnings,
  OWN_AUTH_ROUTES,
  ownRouteTest,
  servedAuthRoutes,
  specTakenAuthRoutes,
} from '../../src/scaffold/own-auth-routes.js';

/** `METHOD /api/v1/auth/x` of every route a template's auth-routes.ts registers. */
function registered(file: string): string[] {
  const text = readFileSync(new URL(`../../templates/${file}`, import.meta.url), 'utf8');
  const fastify = [
    ...text.matchAll(/app\.(get|post|put|patch|delete)(?:<[^(]*>)?\(\s*`\$\{base\}(\/[a-z]+)`/g),
  ];
  const express = [
    ...text.matchAll(/method: '(get|post|put|patch|delete)',\s*path: `\$\{base\}(\/[a-z]+)`/g),
  ];
  return [...fastify, ...express].map((m) => `${m[1]!.toUpperCase()} /api/v1/auth${m[2]}`).sort();
}

describe("tenon's own auth routes", () => {
  it('are the routes both frameworks register', () => {
    expect(registered('fastify/src/http/auth-routes.ts')).toEqual([...OWN_AUTH_ROUTES].sort());
    expect(registered('express/src/http/auth-routes.ts')).toEqual([...OWN_AUTH_ROUTES].sort());
  });

  it('a spec route with the same method and path takes one over, with a warning; others do not', () => {
    const claims = authRouteClaims([
      { route: 'GET /api/v1/auth/me' },
      { route: 'POST /api/v1/auth/me' },
      { route: 'GET /api/v1/auth/me/:id' },
      { route: 'GET /api/v1/users/me' },
    ]);
    expect(claims).toEqual([{ own: 'GET /api/v1/auth/me', by: 'GET /api/v1/auth/me' }]);
    expect(authRouteWarnings(claims)).toEqual([
      expect.objectContaining({ code: 'auth-route-taken', at: 'GET /api/v1/auth/me' }),
    ]);
  });

  it('a parameter path that matches one takes it over too, and the warning names both', () => {
    const rules = [{ route: 'GET /api/v1/auth/:section' }, { route: 'POST /api/v1/auth/:action/confirm' }];
    const claims = authRouteClaims(rules);
    expect(claims).toEqual([{ own: 'GET /api/v1/auth/me', by: 'GET /api/v1/auth/:section' }]);
    expect(specTakenAuthRoutes(rules)).toEqual(['GET /api/v1/auth/me']);
    const [warning] = authRouteWarnings(claims);
    expect(warning).toMatchObject({ code: 'auth-route-taken', at: 'GET /api/v1/auth/:section' });
    expect(warning!.message).toContain('also matches GET /api/v1/auth/me');
  });

  it('an exact declaration is named before a parameter path over the same route', () => {
    const claims = authRouteClaims([
      { route: 'POST /api/v1/auth/:action' },
      { route: 'POST /api/v1/auth/login' },
    ]);
    expect(claims.find((c) => c.own === 'POST /api/v1/auth/login')?.by).toBe('POST /api/v1/auth/login');
    expect(claims.map((c) => c.own)).toEqual(OWN_AUTH_ROUTES.filter((r) => r.startsWith('POST ')));
  });

  it('tests of a taken route are skipped and say why; others are written as they are', () => {
    expect(ownRouteTest(['GET /api/v1/auth/me'], 'GET /api/v1/auth/me')).toEqual({
      skip: '.skip',
      reason: ' (skipped: the spec serves GET /api/v1/auth/me itself, so tenon’s own route is not served)',
    });
    expect(ownRouteTest([], 'GET /api/v1/auth/me')).toEqual({ skip: '', reason: '' });
  });

  it('a test of several routes is skipped when the spec takes any one of them, naming that one', () => {
    const taken = ['POST /api/v1/auth/login'];
    expect(ownRouteTest(taken, 'POST /api/v1/auth/refresh', 'POST /api/v1/auth/login').reason).toBe(
      ' (skipped: the spec serves POST /api/v1/auth/login itself, so tenon’s own route is not served)',
    );
    expect(ownRouteTest(taken, 'POST /api/v1/auth/refresh', 'GET /api/v1/auth/me').skip).toBe('');
  });

  it('a spec with its own POST /api/v1/auth/login (fixture auth-login-taken.yaml) takes only that route', () => {
    const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const { model } = modelFromOpenApi('auth-login-taken.yaml', fixtures);
    expect(authRouteClaims(accessPolicy(model).rules)).toEqual([
      { own: 'POST /api/v1/auth/login', by: 'POST /api/v1/auth/login' },
    ]);
  });

  it('a spec path with a parameter under /api/v1/auth (fixture auth-param-route.yaml) takes GET /me', () => {
    const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const { model } = modelFromOpenApi('auth-param-route.yaml', fixtures);
    expect(authRouteClaims(accessPolicy(model).rules)).toEqual([
      { own: 'GET /api/v1/auth/me', by: 'GET /api/v1/auth/:provider' },
    ]);
  });

  it('the served ones are all but those the spec takes; a spec resource under /api/v1/auth is none of them', () => {
    const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const taken = accessPolicy(modelFromOpenApi('auth-login-taken.yaml', fixtures).model).rules;
    expect(servedAuthRoutes(taken)).toEqual(OWN_AUTH_ROUTES.filter((r) => r !== 'POST /api/v1/auth/login'));
    // The generated guards (idempotency) match these exactly, never the /api/v1/auth/ prefix.
    const own = accessPolicy(modelFromOpenApi('auth-prefix-idempotency.yaml', fixtures).model).rules;
    expect(own.map((r) => r.route)).toContain('POST /api/v1/auth/api-keys');
    expect(servedAuthRoutes(own)).toEqual([...OWN_AUTH_ROUTES]);
  });
});

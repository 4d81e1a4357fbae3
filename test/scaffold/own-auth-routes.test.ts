import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  authRouteWarnings,
  OWN_AUTH_ROUTES,
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
    const taken = specTakenAuthRoutes([
      { route: 'GET /api/v1/auth/me' },
      { route: 'POST /api/v1/auth/me' },
      { route: 'GET /api/v1/auth/:id' },
      { route: 'GET /api/v1/users/me' },
    ]);
    expect(taken).toEqual(['GET /api/v1/auth/me']);
    expect(authRouteWarnings(taken)).toEqual([
      expect.objectContaining({ code: 'auth-route-taken', at: 'GET /api/v1/auth/me' }),
    ]);
  });
});

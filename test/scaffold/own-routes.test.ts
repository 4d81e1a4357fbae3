import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OWN_ROUTES } from '../../src/scaffold/own-routes.js';

const template = (file: string) => readFileSync(new URL(`../../templates/${file}`, import.meta.url), 'utf8');

/** The `OWN_ROUTES` map of the template's access-control.ts: path → `probe` or `document`. */
function templateOwnRoutes(): Record<string, string> {
  const text = template('common/src/auth/access-control.ts');
  const literal = /export const OWN_ROUTES[^=]*= new Map\(\[([\s\S]*?)\]\);/.exec(text)?.[1] ?? '';
  return Object.fromEntries(
    [...literal.matchAll(/\['([^']+)', '(probe|document)'\]/g)].map((m) => [m[1], m[2]]),
  );
}

/**
 * The project's own routes were listed four times, two on each side: the generator's (not
 * generated from a spec; the probes' answers shaped by it) and the project's (open to anonymous
 * callers; the probes never rate limited). One list a side now, and these tests keep the two sides
 * equal, and equal to what the projects register.
 */
describe("the project's own routes", () => {
  it('are the same paths on both sides, the probes being the health checks', () => {
    const generator = Object.fromEntries(
      [...OWN_ROUTES].map(([path, route]) => [path, route.health ? 'probe' : 'document']),
    );
    expect(templateOwnRoutes()).toEqual(generator);
    expect(Object.keys(generator)).toEqual(['/health/live', '/health/ready', '/openapi.json']);
  });

  it('are the routes both frameworks´ health.ts register', () => {
    for (const framework of ['fastify', 'express']) {
      const text = template(`${framework}/src/http/health.ts`);
      const registered = [...text.matchAll(/(?:app|router)\.get\('([^']+)'/g)].map((m) => m[1]);
      expect(registered.sort()).toEqual([...OWN_ROUTES.keys()].sort());
    }
  });

  it('are read from that one list by the access control, the rate limits and the overload guard', () => {
    expect(template('common/src/http/rate-limit.ts')).not.toMatch(/'\/health\//);
    for (const framework of ['fastify', 'express'])
      expect(template(`${framework}/src/app.ts`)).not.toMatch(/startsWith\('\/health\/'\)/);
  });
});

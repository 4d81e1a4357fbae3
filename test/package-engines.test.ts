import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { installedEngines } from './support/installed-engines.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  overrides?: Record<string, unknown>;
};

/**
 * The Node versions tenon supports, by their lowest release: 20.19 and 22.12
 * are where `require()` of ES modules works unflagged, which vite (under
 * vitest), rolldown and yargs need; 24 is the current LTS line.
 */
const SUPPORTED = ['20.19.0', '22.12.0', '24.0.0'];

describe('supported Node versions', () => {
  it("tenon's engines field is the supported range", () => {
    for (const version of [...SUPPORTED, '20.20.2', '22.20.0', '24.11.0']) {
      expect(semver.satisfies(version, pkg.engines.node), version).toBe(true);
    }
    // Below the floors, `require()` of ES modules needs a flag.
    for (const version of ['20.18.3', '21.7.3', '22.11.0']) {
      expect(semver.satisfies(version, pkg.engines.node), version).toBe(false);
    }
  });

  it.each([...SUPPORTED, process.versions.node])(
    'every installed package accepts Node %s, so npm install prints no EBADENGINE',
    (version) => {
      const refused = installedEngines(join(ROOT, 'node_modules')).filter(
        ({ range }) => !semver.satisfies(version, range),
      );
      expect(refused).toEqual([]);
    },
  );
});

describe('the cookie override (light-my-request wants cookie 2, which wants Node 22)', () => {
  it('light-my-request loads cookie 1.1, whose engines accept Node 20', () => {
    const fromFastify = createRequire(createRequire(join(ROOT, 'package.json')).resolve('fastify'));
    const lightMyRequest = dirname(fromFastify.resolve('light-my-request/package.json'));
    const cookie = JSON.parse(
      readFileSync(createRequire(join(lightMyRequest, 'index.js')).resolve('cookie/package.json'), 'utf8'),
    ) as { version: string; engines: { node: string } };
    expect(pkg.overrides?.['light-my-request']).toEqual({ cookie: '^1.1.1' });
    expect(semver.satisfies(cookie.version, '^1.1.1')).toBe(true);
    expect(semver.satisfies('20.19.0', cookie.engines.node)).toBe(true);
  });

  it("fastify's inject still sends request cookies (the code path that uses cookie)", async () => {
    const app = Fastify();
    app.get('/echo', async (request) => ({ cookie: request.headers.cookie ?? null }));
    try {
      const response = await app.inject({ url: '/echo', cookies: { session: 'abc123', theme: 'dark mode' } });
      expect(response.json()).toEqual({ cookie: 'session=abc123; theme=dark%20mode' });
      const none = await app.inject({ url: '/echo' });
      expect(none.json()).toEqual({ cookie: null });
    } finally {
      await app.close();
    }
  });
});

describe('the watskeburt override (dependency-cruiser 17 wants watskeburt 5, which wants Node 22.13)', () => {
  it('dependency-cruiser loads watskeburt 4, whose engines accept every supported Node', () => {
    // Where Node would find it from dependency-cruiser: its own node_modules, else the top level.
    // (Read from disk: neither package lists package.json in its exports map.)
    const file = [
      join(ROOT, 'node_modules', 'dependency-cruiser', 'node_modules', 'watskeburt', 'package.json'),
      join(ROOT, 'node_modules', 'watskeburt', 'package.json'),
    ].find((f) => existsSync(f))!;
    const watskeburt = JSON.parse(readFileSync(file, 'utf8')) as {
      version: string;
      engines: { node: string };
    };
    expect(pkg.overrides?.['dependency-cruiser']).toEqual({ watskeburt: '^4.2.3' });
    expect(semver.satisfies(watskeburt.version, '^4.2.3')).toBe(true);
    for (const version of SUPPORTED)
      expect(semver.satisfies(version, watskeburt.engines.node), version).toBe(true);
    // dependency-cruiser itself still works with it: test/architecture.test.ts runs it (watskeburt only serves --affected and caching).
  });
});

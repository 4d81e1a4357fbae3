import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/scaffold/generate.js';
import { linkGeneratedDependencies } from '../support/generated-deps.js';
import { installedEngines } from '../support/installed-engines.js';

/**
 * A generated project's `engines.node` promises the Node versions it runs on; npm prints
 * EBADENGINE when one of the packages it installs refuses the Node running it. So every package a
 * generated project installs (its linked shared install, nested ones too) must accept the lowest
 * release of every Node line the project's engines field admits: ESLint 10 refuses 22.12 and 21,
 * which `>=20.19` let in.
 */
const work = mkdtempSync(join(tmpdir(), 'tenon-generated-engines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The lowest release of each Node line from 18 to 26 that `range` admits. */
function lowestAdmitted(range: string): string[] {
  const lowest: string[] = [];
  for (let major = 18; major <= 26; major++) {
    const candidates = Array.from({ length: 40 }, (_, minor) => `${major}.${minor}.0`);
    const first = semver.minSatisfying(candidates, range);
    if (first) lowest.push(first);
  }
  return lowest;
}

describe('the Node versions a generated project admits', () => {
  it.each(['fastify', 'express'] as const)(
    '%s: every package it installs accepts them, so npm install prints no EBADENGINE',
    { timeout: 600_000 },
    async (framework) => {
      const dir = join(work, framework);
      await generateProject({ mode: 'new', dir, resources: 'Post(title:string)', framework, cwd: work });
      const { engines } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        engines: { node: string };
      };
      const admitted = lowestAdmitted(engines.node);
      // The LTS lines at their floors: 20.19 and 22.13 (ESLint's), 24.
      expect(admitted).toEqual(expect.arrayContaining(['20.19.0', '24.0.0']));
      const modules = linkGeneratedDependencies(dir);
      const packages = installedEngines(modules);
      expect(packages.map((p) => p.name)).toContainEqual(expect.stringMatching(/^eslint@/));
      const refused = admitted.flatMap((version) =>
        packages
          .filter(({ range }) => !semver.satisfies(version, range))
          .map(({ name, range }) => `${name} (${range}) refuses ${version}`),
      );
      expect(refused).toEqual([]);
    },
  );
});

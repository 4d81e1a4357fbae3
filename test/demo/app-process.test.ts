import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { missingDependencies } from '../../src/demo/app-process.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A node_modules with these installed versions, and a project asking for `ranges`. */
function setup(installed: Record<string, string>, ranges: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'tenon-deps-'));
  roots.push(root);
  for (const [name, version] of Object.entries(installed)) {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
  }
  const project = join(root, 'p');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: ranges }));
  return { root, project };
}

describe('missingDependencies follows npm semver ranges', () => {
  it.each([
    ['0.0.3', '^0.0.3', true],
    ['0.0.5', '^0.0.3', false], // ^0.0.x allows exactly that patch
    ['0.2.9', '^0.2.1', true],
    ['0.3.0', '^0.2.1', false],
    ['0.2.0', '^0.2.1', false],
    ['5.9.1', '^5.1.0', true],
    ['6.0.0', '^5.1.0', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['2.24.0', '2.24.0', true],
    ['2.24.1', '2.24.0', false],
    ['3.1.0', '>=2 <4', true],
    ['4.0.0', '^2.0.0 || ^3.0.0', false],
    ['1.4.0', '1.x', true],
    ['5.0.0-rc.1', '^5.0.0', false], // a prerelease satisfies no plain range
    ['1.0.0', 'github:owner/repo', false], // not a version range: cannot tell, so install
    ['1.0.0', 'latest', false],
  ])('installed %s, wanted %s → satisfied: %s', (version, range, satisfied) => {
    const { root, project } = setup({ dep: version }, { dep: range });
    expect(missingDependencies(project, root)).toEqual(satisfied ? [] : [`dep@${range}`]);
  });

  it('names packages that are not installed at all, scoped ones included', () => {
    const { root, project } = setup(
      { '@s/c': '0.5.16' },
      { '@s/c': '^0.5.14', '@s/d': '^1.0.0', e: '1.0.0' },
    );
    expect(missingDependencies(project, root)).toEqual(['@s/d@^1.0.0', 'e@1.0.0']);
  });
});

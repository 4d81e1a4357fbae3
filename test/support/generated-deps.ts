import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where installs of generated projects' dependency sets are kept between test files and runs. */
export const GENERATED_DEPS_CACHE = resolve('node_modules/.cache/tenon-generated-deps');

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  allowScripts?: Record<string, unknown>;
}

/**
 * Links `projectDir/node_modules` to an install of exactly the dependency set
 * of its package.json, made once per set (keyed by a hash of the
 * dependencies, devDependencies and overrides) and reused by every project
 * with the same set — so a matrix of generated projects costs one
 * `npm install` per framework, not one per project.
 *
 * @returns the shared node_modules folder.
 */
export function linkGeneratedDependencies(projectDir: string): string {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as PackageJson;
  const manifest = {
    name: 'tenon-generated-deps',
    private: true,
    type: 'module',
    dependencies: pkg.dependencies ?? {},
    devDependencies: pkg.devDependencies ?? {},
    ...(pkg.overrides ? { overrides: pkg.overrides } : {}),
    ...(pkg.allowScripts ? { allowScripts: pkg.allowScripts } : {}),
  };
  const key = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  const home = join(GENERATED_DEPS_CACHE, key);
  const modules = join(home, 'node_modules');
  if (!existsSync(join(home, '.complete'))) {
    // Install beside the final folder and rename, so a concurrent or killed run never sees half an install.
    const staging = `${home}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: staging,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (result.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(
        `npm install of the generated dependency set failed:\n${result.stdout}${result.stderr}`,
      );
    }
    writeFileSync(join(staging, '.complete'), '');
    try {
      renameSync(staging, home);
    } catch {
      // Another worker finished the same set first: use theirs.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const link = join(projectDir, 'node_modules');
  if (!existsSync(link)) symlinkSync(modules, link, 'dir');
  return modules;
}

import { existsSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedInstallSync } from '../../scripts/conformance/shared-install.js';

/**
 * The cache of the conformance oracle (`scripts/spec-conformance.ts`): its
 * `deps/` folder keeps one install per dependency set of generated projects,
 * between test files, layers and runs.
 */
export const GENERATED_DEPS_CACHE = resolve(
  fileURLToPath(new URL('../../', import.meta.url)),
  'node_modules/.cache/tenon-conformance',
);

/**
 * Links `projectDir/node_modules` to an install of exactly the dependency set
 * of its package.json, made once per set (and Node version) and reused by
 * every project with the same set — so a matrix of generated projects costs
 * one `npm install` per framework, not one per project. The installs are the
 * oracle's ({@link sharedInstallSync}): the corpus matrix of the e2e layer
 * reuses the ones the integration layer made, warnings included.
 *
 * @returns the shared node_modules folder.
 */
export function linkGeneratedDependencies(projectDir: string): string {
  const install = sharedInstallSync(projectDir, GENERATED_DEPS_CACHE);
  if (install.status !== 'passed')
    throw new Error(`npm install of the generated dependency set failed:\n${install.tail}`);
  const modules = join(install.dir, 'node_modules');
  const link = join(projectDir, 'node_modules');
  if (!existsSync(link)) symlinkSync(modules, link, 'dir');
  return modules;
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The version of package `name` as installed where `from` (a module URL or
 * path) resolves it: the copy that module really loads, which a dependency
 * range in a package.json does not say.
 *
 * @returns undefined when the package cannot be resolved.
 */
export function installedVersion(name: string, from: string | URL = import.meta.url): string | undefined {
  let entry: string;
  try {
    entry = createRequire(from).resolve(name);
  } catch {
    return undefined;
  }
  // The entry file sits somewhere below the package root (dist/index.cjs): walk up to its package.json.
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

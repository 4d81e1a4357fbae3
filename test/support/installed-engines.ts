import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An installed package and the Node versions its `engines.node` admits. */
export interface InstalledEngine {
  /** `name@version`. */
  name: string;
  range: string;
}

/**
 * Every package installed under a `node_modules` folder (scoped and nested ones too) that
 * declares `engines.node`: npm prints EBADENGINE for each one whose range refuses the running
 * Node, so the engine tests check these ranges against the versions a project promises.
 */
export function installedEngines(modules: string): InstalledEngine[] {
  const found: InstalledEngine[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (entry.startsWith('@')) {
        walk(path);
        continue;
      }
      const file = join(path, 'package.json');
      if (existsSync(file)) {
        const { name, version, engines } = JSON.parse(readFileSync(file, 'utf8')) as {
          name?: string;
          version?: string;
          engines?: { node?: string };
        };
        if (engines?.node) found.push({ name: `${name ?? entry}@${version}`, range: engines.node });
      }
      walk(join(path, 'node_modules'));
    }
  };
  walk(modules);
  return found;
}

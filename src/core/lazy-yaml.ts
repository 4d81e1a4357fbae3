import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The YAML library, loaded on first use: importing it costs every command
 * ~30 ms of CPU at start, for files (YAML config, scenarios, manifests) most
 * runs never read or write.
 */
export function yaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
}

import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * tenon's own version, read from package.json at run time so it never
 * drifts from what npm installed. The path is the same from `src/core`
 * (tsx, tests) and `dist/core` (the published build).
 */
export function tenonVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}

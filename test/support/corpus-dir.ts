import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the real-world corpus is read in place (see its README):
 * `TENON_CORPUS_DIR` when set — for a worktree whose `../shared/corpus` is not the corpus —
 * else `../shared/corpus` next to the checkout. Read by the tests, the benches and the scripts alike
 * (this module imports nothing of vitest, so scripts can use it).
 */
export function corpusDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.TENON_CORPUS_DIR;
  return fromEnv ? resolve(fromEnv) : fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
}

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built CLI that CLI-process tests run when it is fresh. */
export const DIST_BIN = join(ROOT, 'dist', 'cli', 'bin.js');

/** Newest modification time (ms) under `path`; directories count too, so a deleted file shows. */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Whether `dist/` was built after the last change to `src/` and the
 * TypeScript configs. tsc rewrites every output on each build, so the
 * built bin's time is the build's time; `git checkout` stamps the files it
 * changes with the current time, so switching branches makes dist stale.
 */
export function distIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(DIST_BIN).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    newestMtime(join(ROOT, 'src')),
    newestMtime(join(ROOT, 'tsconfig.json')),
    newestMtime(join(ROOT, 'tsconfig.build.json')),
    newestMtime(join(ROOT, 'scripts', 'bundle-cli.ts')),
  );
  return sources < built;
}

/** Runs `node ARGS` in the repository; resolves with its exit code and output. */
async function runNode(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  });
  return { code, output };
}

/**
 * Builds `dist/` as `npm run build` does (tsc, then the CLI bundle of
 * scripts/bundle-cli.ts, so CLI processes run the bundled bin a user gets)
 * unless it is fresh, and returns the path of the built bin, or '' when the
 * build failed (then the tests run the CLI from source through tsx, and the
 * reason is printed).
 */
export async function ensureFreshDist(): Promise<string> {
  if (distIsFresh()) return DIST_BIN;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  let step = await runNode([tsc, '-p', 'tsconfig.build.json']);
  let what = 'tsc';
  if (step.code === 0) {
    step = await runNode(['--import', 'tsx', join(ROOT, 'scripts', 'bundle-cli.ts')]);
    what = 'scripts/bundle-cli.ts';
  }
  if (step.code === 0 && distIsFresh()) return DIST_BIN;
  process.stderr.write(
    `dist/ could not be built (${what} exit ${step.code}); CLI processes run from source.\n${step.output}`,
  );
  return '';
}

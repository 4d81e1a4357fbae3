import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import semver from 'semver';
import { TenonError } from '../core/errors.js';

/** tenon's own package root (the folder with its package.json and node_modules). */
export const TENON_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Dependencies of the generated project that `root`'s node_modules lacks,
 * or has in a version outside the project's range (npm's semver rules:
 * `^0.0.3` allows only 0.0.3, `^0.2.1` only 0.2.x). A range that is not a
 * version range (a git URL, a tag) counts as missing.
 */
export function missingDependencies(projectDir: string, root = TENON_ROOT): string[] {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.entries(pkg.dependencies ?? {})
    .filter(([name, range]) => {
      const file = join(root, 'node_modules', name, 'package.json');
      if (!existsSync(file)) return true;
      const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
      return !version || !semver.validRange(range) || !semver.satisfies(version, range);
    })
    .map(([name, range]) => `${name}@${range}`);
}

/**
 * The node_modules folder that has every runtime dependency of the project:
 * tenon's own, or, when tenon is itself installed as a dependency (its
 * packages hoisted), the first one above it that has them all.
 */
export function dependencyFolder(projectDir: string, root = TENON_ROOT): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = basename(dir) === 'node_modules' ? undefined : join(dir, 'node_modules');
    if (candidate && existsSync(candidate) && missingDependencies(projectDir, dir).length === 0)
      return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Lets the generated project use tenon's node_modules (a symlink), so the
 * demo starts in seconds instead of running npm install each time. tenon
 * depends on the generated projects' runtime packages for this reason.
 *
 * @returns false when no folder has them all (the caller installs instead).
 */
export function linkDependencies(projectDir: string, root = TENON_ROOT): boolean {
  const folder = dependencyFolder(projectDir, root);
  if (!folder) return false;
  const target = join(projectDir, 'node_modules');
  if (!existsSync(target)) symlinkSync(folder, target, 'dir');
  return true;
}

/** A free loopback port (the OS picks one; it is released before the app binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A started generated app. */
export interface AppProcess {
  url: string;
  port: number;
  pid: number;
  /** The last lines it printed (for error messages). */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`; resolves when it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Options of {@link startApp}. */
export interface StartAppOptions {
  dir: string;
  env: Record<string, string>;
  /** How long to wait for `/health/ready`. Default 60 s. */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Starts the generated project's `src/server.ts` with tsx (tenon's own
 * copy, so nothing is built first) on a free loopback port, and resolves
 * once `GET /health/ready` answers 200.
 *
 * @throws TenonError `TENON_DEMO_APP_FAILED` when it exits or is not ready in time.
 */
export async function startApp(options: StartAppOptions): Promise<AppProcess> {
  const port = await freePort();
  const tsx = pathToFileURL(createRequire(join(TENON_ROOT, 'package.json')).resolve('tsx/esm')).href;
  const child: ChildProcess = spawn(process.execPath, ['--import', tsx, 'src/server.ts'], {
    cwd: options.dir,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  // If this process leaves without stopping the app (a second Ctrl-C exits at once), take the app along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    url,
    port,
    pid: child.pid ?? 0,
    output: () => lines.join('\n'),
    stop: async (graceMs = 5000) => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (exited) throw appFailed(`The generated app exited before it was ready.`, app);
      if (Date.now() > deadline) throw appFailed('The generated app was not ready in time.', app);
      const ready = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ready) return app;
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (error) {
    await app.stop(1000);
    throw error;
  }
}

function appFailed(message: string, app: AppProcess): TenonError {
  return new TenonError('TENON_DEMO_APP_FAILED', `${message} Its last output:\n${app.output()}`, {
    hint: 'Run it by hand to see why: cd into the demo folder and run npm run dev.',
  });
}

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectEnv, runCommand, tail } from './processes.js';
import type { StepResult } from './run-conformance.js';

/** How an install of a dependency set went, and where it is (`dir/node_modules`). */
export type SharedInstall = StepResult & { warnings: string[]; dir: string };

/** The dependency set of a generated project, hashed: projects with equal sets share one install. */
function dependencyKey(projectDir: string): { key: string; manifest: Record<string, unknown> } {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
  const manifest = {
    name: 'tenon-oracle-deps',
    private: true,
    type: 'module',
    dependencies: pkg.dependencies,
    devDependencies: pkg.devDependencies,
    ...(pkg.overrides ? { overrides: pkg.overrides } : {}),
    ...(pkg.allowScripts ? { allowScripts: pkg.allowScripts } : {}),
  };
  const key = createHash('sha256')
    .update(JSON.stringify(manifest))
    .update(process.version)
    .digest('hex')
    .slice(0, 12);
  return { key, manifest };
}

const INSTALL = ['install', '--no-audit', '--no-fund'];

/** The marker of a finished install keeps what it printed, so a reused install still reports its warnings. */
function finished(dir: string): SharedInstall | undefined {
  const marker = join(dir, '.installed.json');
  if (!existsSync(marker)) return undefined;
  const { warnings } = JSON.parse(readFileSync(marker, 'utf8')) as { warnings: string[] };
  return { status: 'passed', ms: 0, warnings, dir };
}

/** A fresh staging folder beside the final one, holding only the set's package.json. */
function stage(dir: string, manifest: Record<string, unknown>): string {
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return staging;
}

/**
 * Moves a finished install into place, so that no process (a test worker, the
 * oracle script) ever sees half an install; when another one finished the same
 * set first, theirs is used.
 */
function settle(staging: string, dir: string, ok: boolean, ms: number, output: string): SharedInstall {
  const warnings = output.split('\n').filter((l) => /^npm (warn|WARN)/.test(l));
  if (!ok) {
    rmSync(staging, { recursive: true, force: true });
    return { status: 'failed', ms, warnings, dir, tail: tail(output) };
  }
  writeFileSync(join(staging, '.installed.json'), JSON.stringify({ warnings }));
  // A folder without a marker is what a killed in-place install (before staging) left behind.
  if (existsSync(dir) && !finished(dir)) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
    const theirs = finished(dir);
    if (!theirs) throw new Error(`could not move the install of ${staging} to ${dir}`);
    return { ...theirs, ms };
  }
  return { status: 'passed', ms, warnings, dir };
}

const installs = new Map<string, Promise<SharedInstall>>();

/**
 * One `npm install` per dependency set (and Node version), shared by every
 * project that has that set through a `node_modules` symlink — never one
 * install per project. The set's folder is `cacheDir/deps/<key>`, shared with
 * {@link sharedInstallSync} (the integration tests' generated projects), so a
 * test run installs each set once across its layers.
 */
export function sharedInstall(projectDir: string, cacheDir: string): Promise<SharedInstall> {
  const { key, manifest } = dependencyKey(projectDir);
  const dir = join(cacheDir, 'deps', key);
  const existing = installs.get(dir);
  // A later project of the same set reuses the install: it costs (and reports) no time.
  if (existing) return existing.then((done) => ({ ...done, ms: 0 }));
  const pending = (async () => {
    const done = finished(dir);
    if (done) return done;
    const staging = stage(dir, manifest);
    const result = await runCommand(staging, 'npm', INSTALL);
    return settle(staging, dir, result.ok, result.ms, result.output);
  })();
  installs.set(dir, pending);
  return pending;
}

/** {@link sharedInstall}, blocking: for tests that link a project's dependencies before they go on. */
export function sharedInstallSync(projectDir: string, cacheDir: string): SharedInstall {
  const { key, manifest } = dependencyKey(projectDir);
  const dir = join(cacheDir, 'deps', key);
  const done = finished(dir);
  if (done) return done;
  const staging = stage(dir, manifest);
  const started = performance.now();
  const result = spawnSync('npm', INSTALL, {
    cwd: staging,
    env: projectEnv(),
    encoding: 'utf8',
    timeout: 600_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return settle(staging, dir, result.status === 0, Math.round(performance.now() - started), output);
}

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
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

/** The package.json of a dependency set's install. */
export type Manifest = Record<string, unknown> & {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/**
 * Whether `set` keeps every package of `base`: each one asked for in the same range, with the same
 * overrides and install scripts allowed, so `base`'s install can seed `set`'s.
 */
export function keeps(set: Manifest, base: Manifest): boolean {
  const within = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
    Object.entries(a).every(([name, range]) => b[name] === range);
  return (
    within(base.dependencies, set.dependencies) &&
    within(base.devDependencies, set.devDependencies) &&
    JSON.stringify(base.overrides) === JSON.stringify(set.overrides) &&
    JSON.stringify(base.allowScripts) === JSON.stringify(set.allowScripts)
  );
}

/**
 * Starts a new set from a finished install of this Node version whose packages it keeps (the
 * corpus's XML specs add fast-xml-parser to a framework's set): its node_modules hard-linked in,
 * its lockfiles copied (npm rewrites those in place), so npm adds only what differs instead of
 * installing everything and compiling argon2 again (its prebuilt binary crashes on CI's machine).
 * @returns the warnings the base printed when it was installed, which this set inherits.
 */
function seed(dir: string, manifest: Manifest, staging: string): string[] {
  const deps = dirname(dir);
  let best: { dir: string; size: number; warnings: string[] } | undefined;
  for (const name of existsSync(deps) ? readdirSync(deps) : []) {
    const other = join(deps, name);
    const marker = join(other, '.installed.json');
    if (other === dir || !existsSync(marker)) continue;
    const done = JSON.parse(readFileSync(marker, 'utf8')) as { warnings: string[]; node?: string };
    if (done.node !== process.version) continue;
    const base = JSON.parse(readFileSync(join(other, 'package.json'), 'utf8')) as Manifest;
    const size = Object.keys({ ...base.dependencies, ...base.devDependencies }).length;
    if (keeps(manifest, base) && size > (best?.size ?? -1))
      best = { dir: other, size, warnings: done.warnings };
  }
  if (!best) return [];
  const linked = spawnSync('cp', ['-al', join(best.dir, 'node_modules'), join(staging, 'node_modules')]);
  if (linked.status !== 0) {
    rmSync(join(staging, 'node_modules'), { recursive: true, force: true });
    return [];
  }
  for (const lock of ['node_modules/.package-lock.json', 'package-lock.json']) {
    rmSync(join(staging, lock), { force: true });
    if (existsSync(join(best.dir, lock))) copyFileSync(join(best.dir, lock), join(staging, lock));
  }
  return best.warnings;
}

/**
 * A fresh staging folder beside the final one, holding the set's package.json (and, seeded, the
 * install of a set it extends).
 */
function stage(dir: string, manifest: Manifest): { staging: string; inherited: string[] } {
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { staging, inherited: seed(dir, manifest, staging) };
}

/**
 * Moves a finished install into place, so that no process (a test worker, the
 * oracle script) ever sees half an install; when another one finished the same
 * set first, theirs is used.
 */
function settle(
  { staging, inherited }: { staging: string; inherited: string[] },
  dir: string,
  ok: boolean,
  ms: number,
  output: string,
): SharedInstall {
  const printed = output.split('\n').filter((l) => /^npm (warn|WARN)/.test(l));
  const warnings = [...new Set([...inherited, ...printed])];
  if (!ok) {
    rmSync(staging, { recursive: true, force: true });
    return { status: 'failed', ms, warnings, dir, tail: tail(output) };
  }
  // The Node version: a later set seeds only from an install made by the same one.
  writeFileSync(join(staging, '.installed.json'), JSON.stringify({ warnings, node: process.version }));
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
    const staged = stage(dir, manifest);
    const result = await runCommand(staged.staging, 'npm', INSTALL);
    return settle(staged, dir, result.ok, result.ms, result.output);
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
  const staged = stage(dir, manifest);
  const started = performance.now();
  const result = spawnSync('npm', INSTALL, {
    cwd: staged.staging,
    env: projectEnv(),
    encoding: 'utf8',
    timeout: 600_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return settle(staged, dir, result.status === 0, Math.round(performance.now() - started), output);
}

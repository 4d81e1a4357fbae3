import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, tail } from './processes.js';
import type { StepResult } from './run-conformance.js';

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

const installs = new Map<string, Promise<StepResult & { warnings: string[]; dir: string }>>();

/**
 * One `npm install` per dependency set (and Node version), shared by every
 * project that has that set through a `node_modules` symlink — never one
 * install per project.
 */
export function sharedInstall(
  projectDir: string,
  cacheDir: string,
): Promise<StepResult & { warnings: string[]; dir: string }> {
  const { key, manifest } = dependencyKey(projectDir);
  const dir = join(cacheDir, 'deps', key);
  const existing = installs.get(dir);
  // A later project of the same set reuses the install: it costs (and reports) no time.
  if (existing) return existing.then((done) => ({ ...done, ms: 0 }));
  const pending = (async () => {
    // The marker keeps what the install printed, so a reused install still reports its warnings.
    const marker = join(dir, '.installed.json');
    if (existsSync(marker)) {
      const { warnings } = JSON.parse(readFileSync(marker, 'utf8')) as { warnings: string[] };
      return { status: 'passed' as const, ms: 0, warnings, dir };
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const result = await runCommand(dir, 'npm', ['install', '--no-audit', '--no-fund']);
    const warnings = result.output.split('\n').filter((l) => /^npm (warn|WARN)/.test(l));
    if (result.ok) writeFileSync(marker, JSON.stringify({ warnings }));
    return {
      status: result.ok ? ('passed' as const) : ('failed' as const),
      ms: result.ms,
      warnings,
      dir,
      ...(result.ok ? {} : { tail: tail(result.output) }),
    };
  })();
  installs.set(dir, pending);
  return pending;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { ensureFreshDist } from './fresh-dist.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the throwaway cluster (pg_stat_statements preloaded, hypopg, role tenon_pw), or '' when it could not start. */
    extDatabaseUrl: string;
    /** Why the throwaway cluster is missing, when it is. */
    extDatabaseError: string;
    /** The built CLI (`dist/cli/bin.js`, rebuilt here when `src/` is newer), or '' to run it from source. */
    tenonDistBin: string;
  }
}

let cluster: ChildProcess | undefined;

/**
 * Builds `dist/` when it is older than `src/` (test/support/fresh-dist.ts),
 * so CLI processes start from the built JavaScript (tsx costs ~0.4 s of CPU
 * per process), and starts one throwaway PostgreSQL cluster (scripts/test-postgres.sh) for the
 * whole run, unless TENON_TEST_EXT_DATABASE_URL points at one already.
 * Tests that need it call `requireExtPostgres()`, which fails in CI when the
 * cluster could not start.
 */
export async function setup(project: TestProject): Promise<void> {
  const dist = ensureFreshDist();
  await startCluster(project);
  project.provide('tenonDistBin', await dist);
}

async function startCluster(project: TestProject): Promise<void> {
  const preset = process.env.TENON_TEST_EXT_DATABASE_URL;
  if (preset) {
    project.provide('extDatabaseUrl', preset);
    project.provide('extDatabaseError', '');
    return;
  }
  const child = spawn('scripts/test-postgres.sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  cluster = child;
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const lines = createInterface({ input: child.stdout! });
  const first = new Promise<string>((resolve) => {
    lines.once('line', resolve);
    child.once('exit', (code) => resolve(`exit:${code}`));
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 60_000);
  });
  const line = await Promise.race([first, timeout]);
  clearTimeout(timer);
  if (line.startsWith('postgres://')) {
    project.provide('extDatabaseUrl', line);
    project.provide('extDatabaseError', '');
  } else {
    project.provide('extDatabaseUrl', '');
    project.provide('extDatabaseError', `scripts/test-postgres.sh did not start (${line}): ${stderr.trim()}`);
  }
}

export async function teardown(): Promise<void> {
  if (!cluster || cluster.exitCode !== null) return;
  cluster.stdin?.end();
  cluster.kill('SIGTERM');
  await once(cluster, 'exit');
}

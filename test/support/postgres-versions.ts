import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ServiceStatus, serviceStatus } from './services.js';

/** The majors `scripts/postgres-versions.sh` installs (15 is the system's, tested everywhere else). */
export const OTHER_MAJORS = [13, 14, 16, 17, 18] as const;

/** Where `scripts/postgres-versions.sh` put them. */
export const PG_VERSIONS_DIR = process.env.TENON_PG_VERSIONS_DIR ?? '/tmp/tenon-pg-versions';

/** The bin folder of a major version, and whether it is installed (a failure in CI when not). */
export function requirePostgresVersion(major: number): ServiceStatus & { bin: string } {
  const bin = join(PG_VERSIONS_DIR, String(major), 'bin');
  const problem = existsSync(join(bin, 'postgres'))
    ? undefined
    : `not installed in ${PG_VERSIONS_DIR} (run scripts/postgres-versions.sh)`;
  return { ...serviceStatus(`PostgreSQL ${major}`, problem), bin };
}

/** A throwaway cluster of scripts/test-postgres.sh, stopped (and deleted) by `stop()`. */
export interface VersionCluster {
  url: string;
  stop(): Promise<void>;
}

/** Starts a throwaway cluster (pg_stat_statements preloaded) from the server binaries in `bin`. */
export async function startCluster(bin: string): Promise<VersionCluster> {
  const child: ChildProcess = spawn('scripts/test-postgres.sh', ['--pgbin', bin], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const first = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => resolve(`exit ${code}`));
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.stdin!.end();
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  if (!first.startsWith('postgres://')) {
    await stop();
    throw new Error(`scripts/test-postgres.sh --pgbin ${bin} did not start (${first}): ${stderr.trim()}`);
  }
  return { url: first, stop };
}

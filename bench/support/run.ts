import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command to completion; returns its stdout (stderr is passed through). */
export function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || code === 1 || code === 4 ? resolve(out) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** An integer from the environment, or a default. */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The built tenon CLI (see {@link buildTenon}): no compile step inside the measured process. */
export const TENON = [process.execPath, 'dist/cli/bin.js'];

/** Builds dist/ so the measured runs start from plain JavaScript, like an installed tenon. */
export async function buildTenon(): Promise<void> {
  await run('npm', ['run', '--silent', 'build']);
}

/**
 * Runs a command under bash and also returns the CPU time (user + system,
 * seconds) it and its children used, from bash's `times`. Requests per CPU
 * second compares generators fairly even when other processes steal the core.
 */
export async function runTimed(
  command: string,
  args: readonly string[],
): Promise<{ out: string; cpuSeconds: number }> {
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const out = await run('bash', ['-c', `${quoted}; status=$?; echo; echo "@@times"; times; exit $status`]);
  const at = out.lastIndexOf('@@times');
  const lines = out.slice(at).trim().split('\n');
  const children = lines[2] ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + Number(m[1]) * 60 + Number(m[2]),
    0,
  );
  return { out: out.slice(0, at), cpuSeconds: seconds };
}

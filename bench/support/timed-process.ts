import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Wall time of a command and CPU time (user + system) of it and its children, in ms. */
export interface ProcessTime {
  wallMs: number;
  cpuMs: number;
}

const STDERR = join(tmpdir(), `tenon-bench-timed-${process.pid}.err`);

/**
 * Runs a command to completion under bash (with `env` added to this
 * process's environment) and returns its wall time (taken
 * inside bash, around the command only) and the CPU time it and its children
 * used (bash's `times`). On a loaded machine CPU time says what a tool costs
 * when wall time mostly says what else was running. Throws, with the
 * command's stderr, when it exits non-zero.
 */
export function timedProcess(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): ProcessTime {
  const quoted = [command, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `s=$(date +%s%N); ${quoted} >/dev/null 2>${STDERR}; c=$?; e=$(date +%s%N); echo "@@ $c $(( (e - s) / 1000 ))"; times`;
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  const match = /@@ (\d+) (\d+)\n[^\n]*\n([^\n]*)/.exec(result.stdout);
  if (!match)
    throw new Error(`could not time ${command} ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  if (match[1] !== '0') {
    const stderr = readFileSync(STDERR, 'utf8').slice(0, 4000);
    rmSync(STDERR, { force: true });
    throw new Error(`${command} ${args.join(' ')} exited ${match[1]}:\n${stderr}`);
  }
  rmSync(STDERR, { force: true });
  const cpuMs = [...match[3]!.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
    (sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000,
    0,
  );
  return { wallMs: Number(match[2]) / 1000, cpuMs };
}

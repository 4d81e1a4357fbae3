import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runTenon} and {@link spawnTenon}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Pretend stdout/stderr are terminals. */
  tty?: boolean;
}

/**
 * Runs the CLI in this process with captured output. The environment is
 * only what `options.env` gives (plus PATH), so the developer's own
 * DATABASE_URL or TENON_* variables never leak into a test.
 */
export async function runTenon(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdoutIsTTY: options.tty ?? false,
    stderrIsTTY: options.tty ?? false,
    columns: 120,
    env: { PATH: process.env.PATH, ...options.env },
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));
/** tsx's loader by absolute path, so the CLI runs from any working directory. */
export const TSX_LOADER = createRequire(import.meta.url).resolve('tsx');

const DIST_BIN = injectedDistBin();

/**
 * The command line that runs the CLI: `[node, dist/cli/bin.js]` when the global setup found or made
 * `dist/` fresh (test/support/fresh-dist.ts), else from source, `[node, --import, tsx, bin.ts]`.
 */
export const TENON_COMMAND: readonly string[] = DIST_BIN
  ? [process.execPath, DIST_BIN]
  : [process.execPath, '--import', TSX_LOADER, BIN];

/** The built CLI the global setup provided; none outside vitest (benches import these helpers too). */
function injectedDistBin(): string | undefined {
  try {
    return inject('tenonDistBin') || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI as a real process ({@link TENON_COMMAND}) from any working directory, for
 * tests about processes: concurrency, signals, kill -9, exit codes.
 */
export function spawnTenon(args: readonly string[], options: RunOptions = {}) {
  return spawn(process.execPath, [...TENON_COMMAND.slice(1), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs {@link spawnTenon} to completion and collects its output. */
export function spawnTenonAndWait(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const child = spawnTenon(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

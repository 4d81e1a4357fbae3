import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './processes.js';

/**
 * Prism (`@stoplight/prism-cli`) in proxy mode is the oracle's validator:
 * it checks every request and response against the spec and reports
 * violations in the `sl-violations` header. 5.14.2 is the last release that
 * accepts Node 20 (5.15 and later need Node >= 24.14). It lives in a tool
 * folder of its own, outside tenon's dependency tree, so its dependencies
 * never reach tenon's install or its users.
 */
export const PRISM_VERSION = '5.14.2';

/** The tool folder prism is installed in (under `cacheDir`). */
export function prismDir(cacheDir: string): string {
  return join(cacheDir, `prism-${PRISM_VERSION}`);
}

/**
 * Installs prism into the tool folder unless it is there; returns the path
 * of its binary and what npm printed (the install must print no warning).
 */
export function ensurePrism(cacheDir: string): { bin: string; installed: boolean; output: string } {
  const dir = prismDir(cacheDir);
  const bin = join(dir, 'node_modules', '.bin', 'prism');
  // What the install printed is kept beside it, so a reused install still shows its warnings.
  const log = join(dir, 'install.log');
  if (existsSync(bin) && existsSync(log)) return { bin, installed: false, output: readFileSync(log, 'utf8') };
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'tenon-oracle-prism', private: true, dependencies: { '@stoplight/prism-cli': PRISM_VERSION } }, null, 2)}\n`,
  );
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !existsSync(bin))
    throw new Error(`installing prism failed:\n${output.slice(-3000)}`);
  writeFileSync(log, output);
  return { bin, installed: true, output };
}

/** A running prism proxy. */
export interface PrismProxy {
  base: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * How long prism may take to listen. It parses and indexes the whole spec first: a 10,000-line spec
 * took 63 s on a starved 2-core machine, so the default is generous and `TENON_PRISM_START_TIMEOUT_MS`
 * sets another.
 */
export function prismStartTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.TENON_PRISM_START_TIMEOUT_MS);
  return Number.isFinite(given) && given > 0 ? given : 180_000;
}

/** Starts `prism proxy <spec> <upstream>` on a free loopback port and waits until it listens. */
export async function startPrism(bin: string, specFile: string, upstream: string): Promise<PrismProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['proxy', specFile, upstream, '--host', '127.0.0.1', '--port', String(port), '--errors', 'false'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
    },
  );
  let output = '';
  // Ready when prism says so: resolved by its output (no polling), rejected on exit, fatal or timeout.
  await new Promise<void>((resolve, reject) => {
    const limit = prismStartTimeoutMs();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `prism did not listen within ${limit / 1000} s (TENON_PRISM_START_TIMEOUT_MS sets the limit):\n${output.slice(-3000)}`,
        ),
      );
    }, limit);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('Prism is listening')) settle();
      else if (/fatal/.test(output)) settle(new Error(`prism did not start:\n${output.slice(-3000)}`));
    };
    const onExit = (code: number | null) =>
      settle(new Error(`prism did not start (exit ${code}):\n${output.slice(-3000)}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

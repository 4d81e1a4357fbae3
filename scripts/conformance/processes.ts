import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A free TCP port on the loopback interface: within `TENON_PORT_RANGE` (`19100-19199`) when it is
 * set, since a shared machine may give each user of it a range of ports; else any the system picks.
 */
export async function freePort(range = process.env.TENON_PORT_RANGE): Promise<number> {
  const bounds = /^(\d+)-(\d+)$/.exec(range ?? '');
  if (!bounds) return listenOn(0);
  const [low, high] = [Number(bounds[1]), Number(bounds[2])];
  // Start at a random offset: two oracles of one user probing from the bottom would race for the same port.
  const start = Math.floor(Math.random() * (high - low + 1));
  for (let i = 0; i <= high - low; i++) {
    const port = low + ((start + i) % (high - low + 1));
    try {
      return await listenOn(port);
    } catch {
      // taken: try the next one
    }
  }
  throw new Error(`no free port in TENON_PORT_RANGE ${range}`);
}

async function listenOn(wanted: number): Promise<number> {
  const server = createServer();
  const failed = once(server, 'error').then(([e]) => Promise.reject(e));
  server.listen(wanted, '127.0.0.1');
  await Promise.race([once(server, 'listening'), failed]);
  failed.catch(() => {});
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** How a command ended. */
export interface CommandResult {
  ok: boolean;
  code: number | null;
  ms: number;
  output: string;
}

/** The environment of a generated project's commands: the caller's, less what would leak into them. */
export function projectEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base))
    if (
      /^(VITEST|TENON_|npm_)/.test(name) ||
      ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'PGLITE_DIR'].includes(name)
    )
      delete base[name];
  return { ...base, NO_COLOR: '1', ...env };
}

/** Runs a command to its end without blocking the event loop; never throws for a non-zero exit. */
export function runCommand(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 600_000,
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: projectEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += String(c)));
    child.stderr.on('data', (c) => (output += String(c)));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, code, ms: Math.round(performance.now() - started), output });
    });
  });
}

/** The end of a command's output, as a failed step reports it. */
export function tail(output: string): string {
  return output.slice(-3000);
}

/** A server process started by the oracle. */
export interface RunningServer {
  base: string;
  child: ChildProcess;
  log(): string;
  /** SIGTERM, then the exit code (graceful shutdown exits 0). */
  stop(): Promise<number | null>;
}

/**
 * How long a generated server may take to answer /health/ready: migrations of a large spec on
 * PGlite, on a starved 2-core machine, took more than the 30 s this once was.
 * `TENON_SERVER_START_TIMEOUT_MS` sets another.
 */
export function serverStartTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.TENON_SERVER_START_TIMEOUT_MS);
  return Number.isFinite(given) && given > 0 ? given : 120_000;
}

/** Starts `node dist/server.js` on a free port and waits until /health/ready answers 200. */
export async function bootServer(cwd: string, env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd,
    env: projectEnv({ HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += String(c)));
  child.stderr!.on('data', (c) => (output += String(c)));
  const base = `http://127.0.0.1:${port}`;
  const limit = serverStartTimeoutMs();
  const deadline = Date.now() + limit;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with ${child.exitCode}:\n${output.slice(-3000)}`);
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `the server did not become ready within ${limit / 1000} s (TENON_SERVER_START_TIMEOUT_MS sets the limit):\n${output.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    base,
    child,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      clearTimeout(timer);
      return code as number | null;
    },
  };
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { expect } from 'vitest';

/** Runs a command in a generated project; fails the test with the output's tail when it fails. */
export function run(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeout = 300_000,
): string {
  // coreutils `timeout` runs the command in a process group of its own and signals the whole group
  // when time is up: a timed-out `npm test` takes its vitest worker and the servers it started with
  // it, instead of leaving them running (on the two cores CI shares) for the rest of the run.
  const seconds = Math.ceil(timeout / 1000);
  const result = spawnSync('timeout', ['--kill-after=10', String(seconds), command, ...args], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: undefined,
      DATABASE_URL: undefined,
      VITEST: undefined,
      VITEST_WORKER_ID: undefined,
      VITEST_POOL_ID: undefined,
      NO_COLOR: '1',
      ...env,
    },
    encoding: 'utf8',
    // A backstop only: `timeout` ends the group first.
    timeout: timeout + 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.status === 124 ? `\n(timed out after ${seconds} s)` : ''}`;
  expect({
    command: `${command} ${args.join(' ')}`,
    status: result.status,
    tail: result.status === 0 ? '' : output.slice(-4000),
  }).toEqual({
    command: `${command} ${args.join(' ')}`,
    status: 0,
    tail: '',
  });
  return output;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the built server and waits until /health/ready answers 200. */
export async function boot(
  cwd: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string; log: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += String(c)));
  child.stderr!.on('data', (c) => (output += String(c)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, base, log: () => output };
}

/** Sends SIGTERM and returns the exit code (graceful shutdown exits 0). */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return code as number | null;
}

/** A PostgreSQL cluster of scripts/test-postgres.sh that a test may stop. */
export interface ThrowawayCluster {
  url: string;
  /** Stops the cluster (and deletes it) and waits until the script has exited. */
  stop(): Promise<void>;
}

/** Starts scripts/test-postgres.sh on `port` and waits for its URL line. */
export async function startThrowawayCluster(port: number): Promise<ThrowawayCluster> {
  const child = spawn('scripts/test-postgres.sh', ['--port', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += String(c)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += String(c);
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) resolve(line.trim());
    });
    child.on('exit', (code) => reject(new Error(`scripts/test-postgres.sh exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      // The script waits on stdin; EOF (and SIGTERM) make it stop and delete the cluster.
      child.stdin!.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The parent pid of a process, from /proc/<pid>/stat (Linux). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * Freezes the cluster `url` points at like a hung host: SIGSTOP to its
 * postmaster and every process the postmaster started (backends, checkpointer,
 * …). The kernel still accepts connections and acknowledges packets; nothing
 * answers. Returns the function that thaws it (SIGCONT), which the caller must
 * call (in a finally).
 */
export async function freezeCluster(url: string): Promise<() => void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let postmaster: number | undefined;
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    postmaster = parentOf(rows[0]!.pid);
  } finally {
    await client.end();
  }
  if (!postmaster) throw new Error('could not find the postmaster of the cluster (no /proc?)');
  process.kill(postmaster, 'SIGSTOP');
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);
  for (const pid of children) process.kill(pid, 'SIGSTOP');
  const frozen = [postmaster, ...children];
  return () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Already gone.
      }
    }
  };
}

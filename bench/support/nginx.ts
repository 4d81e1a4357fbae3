import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A JSON document of the size of a typical small API response. */
export const STATIC_JSON = `${JSON.stringify({ id: 1, name: 'tenon', price: 12.5, tags: ['a', 'b'], ok: true })}\n`;

/** A running nginx serving `/data.json` from a temporary prefix. */
export interface Nginx {
  url: string;
  stop(): Promise<void>;
}

function waitForPort(port: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts Debian's nginx (nginx-light) from a temporary config on a
 * loopback port: one worker pinned to `cpu`, no access log, keep-alive
 * connections that never run out of requests.
 */
export async function startNginx(port: number, cpu: number): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-bench-nginx-'));
  // nginx's worker runs as an unprivileged user: it must be able to read the files.
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'www'));
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(dir, 'www', 'data.json'), STATIC_JSON);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  keepalive_requests 1000000000;
  keepalive_timeout 600s;
  types { application/json json; }
  server {
    listen 127.0.0.1:${port};
    root ${dir}/www;
  }
}
`,
  );
  const child = spawn('taskset', ['-c', String(cpu), 'nginx', '-c', join(dir, 'nginx.conf'), '-p', dir], {
    stdio: 'ignore',
  });
  await waitForPort(port, Date.now() + 5000);
  const status = await new Promise<number>((resolve, reject) =>
    http
      .get(`http://127.0.0.1:${port}/data.json`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject),
  );
  if (status !== 200) throw new Error(`nginx answered ${status} for /data.json`);
  return {
    url: `http://127.0.0.1:${port}/data.json`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

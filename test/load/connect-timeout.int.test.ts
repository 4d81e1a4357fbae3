import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/index.js';

/**
 * A listener that never accepts: a child process listens with a backlog of
 * one and is then stopped (SIGSTOP). The kernel completes a handshake or two
 * into the backlog and drops every later SYN, so connection attempts hang
 * exactly as against an overloaded host.
 */
async function startBlackhole(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:net').createServer(() => {});
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => console.log(s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  child.kill('SIGSTOP');
  return { port: Number(String(line).trim()), child };
}

describe.sequential('connect timeouts', () => {
  let hole: { port: number; child: ChildProcess };
  beforeAll(async () => {
    hole = await startBlackhole();
  });
  afterAll(() => {
    hole.child.kill('SIGCONT');
    hole.child.kill('SIGKILL');
  });

  it('counts connection attempts that never complete as connect timeouts, not as request timeouts', async () => {
    const r = await runLoad({
      urls: [`http://127.0.0.1:${hole.port}/`],
      requests: 6,
      connections: 3,
      timeout: '300ms',
      workers: 1,
    });
    expect(r.requests.total).toBe(6);
    expect(r.errors.total).toBe(6);
    // The backlog lets the first connection in (its request then times out); the rest never connect.
    expect(r.errors.byCategory.connectTimeout).toBeGreaterThanOrEqual(4);
    expect(r.errors.byCategory.connectTimeout + r.errors.byCategory.timeout).toBe(6);
  });
});

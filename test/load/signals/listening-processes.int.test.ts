import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalTargetSampler } from '../../../src/load/signals/local-target-sampler.js';

describe.runIf(process.platform === 'linux')('the processes of a local target on this machine', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill();
  });

  it('samples the CPU of the server listening on the port and of the child it started', async () => {
    // A server that starts a child which keeps a core busy: the child's CPU is the target's too.
    const code = `
      const child = require('node:child_process').spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
      process.on('SIGTERM', () => { child.kill(); process.exit(0); });
      const srv = require('node:net').createServer(() => {}).listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: srv.address().port, child: child.pid })));`;
    server = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const { port, child } = await new Promise<{ port: number; child: number }>((resolve, reject) => {
      server!.stdout!.once('data', (d) => resolve(JSON.parse(String(d))));
      server!.once('error', reject);
    });
    const sampler = createLocalTargetSampler([port]);
    await sampler.start();
    await sampler.sample(0);
    // Wait for CPU ticks rather than time: the busy child accumulates them whatever the machine's load.
    const ticks = () =>
      readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).map(Number);
    const start = ticks().reduce((a, b) => a + b, 0);
    while (ticks().reduce((a, b) => a + b, 0) - start < 20) await new Promise((r) => setTimeout(r, 50));
    await sampler.sample(1);
    const signals = await sampler.finish();
    expect(signals.ports).toEqual([port]);
    expect(signals.processes.map((p) => p.pid).sort((a, b) => a - b)).toEqual(
      [server.pid!, child].sort((a, b) => a - b),
    );
    expect(signals.series).toHaveLength(1);
    expect(signals.series[0]!.cores).toBeGreaterThan(0);
    expect(signals.notes).toEqual([]);
  }, 60_000);

  it('notes a port nobody listens on instead of failing', async () => {
    const sampler = createLocalTargetSampler([1]);
    await sampler.start();
    await sampler.sample(1);
    const signals = await sampler.finish();
    expect(signals.series).toEqual([]);
    expect(signals.notes[0]).toMatch(/no process of this user listens on port 1/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  listeningInodes,
  socketOwners,
  withDescendants,
} from '../../../src/load/signals/listening-processes.js';

/** A fake /proc: TCP tables, and processes with their parent and open sockets. */
function fakeProc(processes: { pid: number; ppid: number; sockets: string[] }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'tenon-fake-proc-'));
  mkdirSync(join(root, 'net'));
  const header =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  writeFileSync(
    join(root, 'net', 'tcp'),
    `${header}   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5001 1 0 100 0 0 10 0
   1: 0100007F:0BB8 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 5002 1 0 20 4 30 10 -1
   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5003 1 0 100 0 0 10 0
`,
  );
  writeFileSync(
    join(root, 'net', 'tcp6'),
    `${header}   0: 00000000000000000000000001000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6001 1 0 100 0 0 10 0\n`,
  );
  for (const p of processes) {
    mkdirSync(join(root, String(p.pid), 'fd'), { recursive: true });
    writeFileSync(
      join(root, String(p.pid), 'stat'),
      `${p.pid} (some (app)) S ${p.ppid} 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 100 0 10\n`,
    );
    for (const [fd, inode] of p.sockets.entries())
      symlinkSync(`socket:[${inode}]`, join(root, String(p.pid), 'fd', String(fd + 3)));
    symlinkSync('/dev/null', join(root, String(p.pid), 'fd', '0'));
  }
  return root;
}

describe('the processes of a local target', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', 'example.com', '::2', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it('finds the sockets listening on a port (v4 and v6, not its connections), their owners and descendants', () => {
    const proc = fakeProc([
      { pid: 10, ppid: 1, sockets: ['5001'] }, // the server (port 3000 = 0x0BB8)
      { pid: 11, ppid: 10, sockets: ['5002'] }, // its cluster worker, holding a connection only
      { pid: 12, ppid: 11, sockets: [] }, // the worker's child
      { pid: 20, ppid: 1, sockets: ['6001'] }, // another process listening on [::]:3000
      { pid: 30, ppid: 1, sockets: ['5003'] }, // port 8080: not the target
    ]);
    try {
      expect([...listeningInodes([3000], proc)].sort()).toEqual(['5001', '6001']);
      expect(socketOwners(listeningInodes([3000], proc), proc)).toEqual([10, 20]);
      expect(withDescendants([10], proc)).toEqual([10, 11, 12]);
      expect(socketOwners(listeningInodes([4000], proc), proc)).toEqual([]);
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });
});

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseProcessStat } from '../../core/signals/proc-stat.js';

/** True for a host on this machine's loopback: 127.0.0.0/8, ::1, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\./.test(h);
}

/**
 * The socket inodes listening on `ports`, from the kernel's TCP tables
 * (`/proc/net/tcp`, `/proc/net/tcp6`: state 0A is LISTEN; the local
 * address ends in the port in hex, the inode is the tenth column).
 */
export function listeningInodes(ports: readonly number[], proc = '/proc'): Set<string> {
  const wanted = new Set(ports);
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(join(proc, 'net', table), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue;
      const port = Number.parseInt(f[1]!.slice(f[1]!.lastIndexOf(':') + 1), 16);
      if (wanted.has(port) && f[9] !== '0') inodes.add(f[9]!);
    }
  }
  return inodes;
}

const pidDirs = (proc: string) => readdirSync(proc).filter((d) => /^\d+$/.test(d));

/**
 * The processes holding one of the socket `inodes` open: every process's
 * `fd/` links read (`socket:[inode]`). Processes this user may not read
 * (another user's, without privileges) are skipped: they are not found.
 */
export function socketOwners(inodes: ReadonlySet<string>, proc = '/proc'): number[] {
  if (inodes.size === 0) return [];
  const owners: number[] = [];
  for (const pid of pidDirs(proc)) {
    let fds: string[];
    try {
      fds = readdirSync(join(proc, pid, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(join(proc, pid, 'fd', fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1]!)) {
        owners.push(Number(pid));
        break;
      }
    }
  }
  return owners.sort((a, b) => a - b);
}

/** Every process's `/proc/PID/stat`, parsed (one read each: parents and CPU ticks come from it). */
export function processStats(proc = '/proc'): Map<number, ReturnType<typeof parseProcessStat>> {
  const stats = new Map<number, ReturnType<typeof parseProcessStat>>();
  for (const pid of pidDirs(proc)) {
    try {
      stats.set(Number(pid), parseProcessStat(readFileSync(join(proc, pid, 'stat'), 'utf8')));
    } catch {
      // Exited since the directory was listed.
    }
  }
  return stats;
}

/** `roots` and all their live descendants (children, grandchildren, …), ascending. */
export function withDescendants(
  roots: readonly number[],
  proc = '/proc',
  stats: ReadonlyMap<number, { ppid: number }> = processStats(proc),
): number[] {
  const all = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, { ppid: parent }] of stats)
      if (!all.has(pid) && all.has(parent)) {
        all.add(pid);
        grew = true;
      }
  }
  return [...all].sort((a, b) => a - b);
}

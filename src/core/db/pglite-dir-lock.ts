import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TenonError } from '../errors.js';

const LOCK_FILE = 'tenon.lock';
/** Directories this process has open, since a pid check cannot tell two opens in one process apart. */
const openInThisProcess = new Set<string>();

interface LockInfo {
  pid: number;
  hostname: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on a PGlite data directory. PGlite has no
 * postmaster to refuse a second opener, and two processes writing one data
 * directory corrupt it; this lock turns that into a clear error. A lock left
 * by a process that no longer exists is taken over.
 *
 * @returns a function that releases the lock.
 * @throws TenonError `TENON_DB_PGLITE_LOCKED`
 */
export function lockPgliteDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  if (openInThisProcess.has(dir))
    throw lockedError(dir, { pid: process.pid, hostname: hostname(), since: '' });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const info: LockInfo = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      openInThisProcess.add(dir);
      return () => {
        openInThisProcess.delete(dir);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockInfo | undefined;
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
      } catch {
        holder = undefined; // half-written by a process that died; treat as stale
      }
      if (holder && holder.hostname === hostname() && isAlive(holder.pid)) throw lockedError(dir, holder);
      if (holder && holder.hostname !== hostname()) throw lockedError(dir, holder);
      rmSync(path, { force: true });
    }
  }
  throw lockedError(dir, undefined);
}

function lockedError(dir: string, holder: LockInfo | undefined): TenonError {
  const who = holder
    ? holder.pid === process.pid
      ? 'this process'
      : `process ${holder.pid} on ${holder.hostname}${holder.since ? ` since ${holder.since}` : ''}`
    : 'another process';
  return new TenonError('TENON_DB_PGLITE_LOCKED', `The embedded database ${dir} is in use by ${who}.`, {
    hint: 'PGlite allows one process at a time. Stop the other process (e.g. a running app or tenon command), or use a server PostgreSQL with --database-url.',
    details: { dir, ...(holder ? { pid: holder.pid } : {}) },
  });
}

import { randomUUID } from 'node:crypto';
import {
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TenonError } from '../errors.js';

const LOCK_FILE = 'tenon.lock';
/** Held for the instant it takes to remove a stale lock, so two processes never remove each other's fresh one. */
const BREAK_FILE = 'tenon.lock.break';
/**
 * How long a lock file without a complete record may be on its way to
 * having one. tenon writes the record before the file appears (link(2)),
 * so only an older tenon, a filesystem without hard links, or a crash
 * leaves such a file; a writer that is alive finishes in microseconds.
 */
const INCOMPLETE_GRACE_MS = 1000;
/** A break file this old was left by a process that died inside that instant. */
const BREAK_STALE_MS = 5000;
const POLL_MS = 25;
/** Errors of link(2) on filesystems without hard links (some network and FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

interface LockInfo {
  pid: number;
  hostname: string;
  since: string;
  /** Tells this holding apart from an earlier one of the same pid. */
  token?: string;
}

/** What is at the lock path right now. */
type Holder =
  | { kind: 'none' }
  | { kind: 'held'; info: LockInfo; raw: string }
  | { kind: 'incomplete'; raw: string; ageMs: number };

/**
 * Directories this process has open, since a pid check cannot tell two opens
 * in one process apart. Kept on globalThis so that two copies of this module
 * in one process (a bundled and an installed tenon) share it.
 */
const REGISTRY = Symbol.for('tenon.pgliteDirLocks');
const shared = globalThis as { [REGISTRY]?: Set<string> };
shared[REGISTRY] ??= new Set<string>();
const openInThisProcess: Set<string> = shared[REGISTRY];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function readHolder(path: string): Holder {
  let raw: string;
  let ageMs: number;
  try {
    raw = readFileSync(path, 'utf8');
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  try {
    const info = JSON.parse(raw) as Partial<LockInfo>;
    if (Number.isInteger(info.pid) && typeof info.hostname === 'string') {
      return { kind: 'held', info: { since: '', ...info } as LockInfo, raw };
    }
  } catch {
    // Not JSON (yet): judged by its age below.
  }
  return { kind: 'incomplete', raw, ageMs };
}

/** Is the process that wrote this record gone, so its lock may be taken over? */
function isStale(info: LockInfo): boolean {
  if (info.hostname !== hostname()) return false; // Cannot check another machine's processes.
  // Our pid, but not our lock (this process reserved the directory before trying): an earlier
  // process had this pid, as happens when a container restarts.
  if (info.pid === process.pid) return true;
  return !isAlive(info.pid);
}

/**
 * Removes the lock file if it still holds exactly `raw` (the stale record
 * judged by the caller). The break file makes read-compare-remove one step
 * between processes: without it, a second process that judged the same
 * stale record could remove the fresh lock the first one just took.
 *
 * @returns false when another process is breaking the lock right now.
 */
function breakStaleLock(dir: string, raw: string): boolean {
  const breakPath = join(dir, BREAK_FILE);
  try {
    writeFileSync(breakPath, JSON.stringify({ pid: process.pid, hostname: hostname() }), { flag: 'wx' });
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
    try {
      // Left by a process that died between taking and removing it.
      if (Date.now() - statSync(breakPath).mtimeMs > BREAK_STALE_MS) rmSync(breakPath, { force: true });
    } catch {
      // Gone meanwhile: the next attempt takes it.
    }
    return false;
  }
  try {
    const now = readHolder(join(dir, LOCK_FILE));
    if (now.kind !== 'none' && now.raw === raw) unlinkSync(join(dir, LOCK_FILE));
    return true;
  } finally {
    rmSync(breakPath, { force: true });
  }
}

/**
 * Creates the lock file with the record already in it: the record goes to
 * a temporary file first, which is then hard-linked to the lock path — the
 * link fails if the path exists, and nobody ever sees the file half
 * written. Falls back to an exclusive create (and relies on the grace for
 * files without a record) where the filesystem has no hard links.
 *
 * @returns false when the lock file exists.
 */
function createLockFile(dir: string, info: LockInfo): boolean {
  const path = join(dir, LOCK_FILE);
  const record = JSON.stringify(info);
  const tmp = join(dir, `${LOCK_FILE}.${process.pid}.${info.token}.tmp`);
  writeFileSync(tmp, record, { flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') return false;
    if (!code || !NO_HARD_LINKS.has(code)) throw error;
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    const fd = openSync(path, 'wx');
    writeFileSync(fd, record);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes an exclusive lock on a PGlite data directory. PGlite has no
 * postmaster to refuse a second opener, and two processes writing one data
 * directory corrupt it; this lock turns that into a clear error. A lock left
 * by a process that no longer exists is taken over, as is a lock file
 * without a complete record once it is older than a short grace (a live
 * writer is still writing it before that).
 *
 * @returns a function that releases the lock.
 * @throws TenonError `TENON_DB_PGLITE_LOCKED`
 */
export async function lockPgliteDir(directory: string): Promise<() => void> {
  const dir = resolve(directory);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  if (openInThisProcess.has(dir))
    throw lockedError(dir, { pid: process.pid, hostname: hostname(), since: '' });
  // Reserved before the first await, so a second open in this process fails above instead of racing.
  openInThisProcess.add(dir);
  const info: LockInfo = {
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
    token: randomUUID(),
  };
  try {
    // Each pass takes the lock, throws, or waits for something that ends: a grace, another's break.
    for (;;) {
      if (createLockFile(dir, info)) break;
      const holder = readHolder(path);
      if (holder.kind === 'none') continue; // Released meanwhile.
      if (holder.kind === 'held') {
        if (!isStale(holder.info)) throw lockedError(dir, holder.info);
        if (!breakStaleLock(dir, holder.raw)) await sleep(POLL_MS);
        continue;
      }
      if (holder.ageMs < INCOMPLETE_GRACE_MS) {
        await sleep(POLL_MS);
        continue;
      }
      if (!breakStaleLock(dir, holder.raw)) await sleep(POLL_MS);
    }
  } catch (error) {
    openInThisProcess.delete(dir);
    throw error;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    openInThisProcess.delete(dir);
    // Remove only our own record: never a lock someone else holds now.
    const now = readHolder(path);
    if (now.kind === 'held' && now.info.token === info.token) rmSync(path, { force: true });
  };
}

function lockedError(dir: string, holder: LockInfo): TenonError {
  const who =
    holder.pid === process.pid && holder.hostname === hostname()
      ? 'this process'
      : `process ${holder.pid} on ${holder.hostname}${holder.since ? ` since ${holder.since}` : ''}`;
  return new TenonError('TENON_DB_PGLITE_LOCKED', `The embedded database ${dir} is in use by ${who}.`, {
    hint: `PGlite allows one process at a time. Stop the other process (e.g. a running app or tenon command), or use a server PostgreSQL with --database-url. If that process is gone (another machine or container), delete ${join(dir, LOCK_FILE)}.`,
    details: { dir, pid: holder.pid, hostname: holder.hostname },
  });
}

import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * PGlite is PostgreSQL in this process, without a postmaster to turn away a
 * second process: two processes writing one data directory (the server in one
 * terminal, `npm run migrate` in another) corrupt it. So every process that
 * opens the directory holds this lock first; a second one gets
 * {@link DatabaseLockedError} naming the holder. The file and its content are
 * the ones `tenon migrate` / `tenon db` use, so they and this project keep
 * out of each other's way too.
 */
export const LOCK_FILE = 'tenon.lock';

interface Holder {
  pid: number;
  hostname: string;
  since: string;
}

/** The directory is held by another process. */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: Holder | undefined,
  ) {
    const who = holder ? `process ${holder.pid} on ${holder.hostname} (since ${holder.since})` : 'another process';
    super(
      `The embedded database in ${dir} is in use by ${who}. PGlite allows one process at a time: ` +
        'stop the other one (npm run dev, npm start, npm run migrate, npm run create-admin, npm run grant), run this, then start it again; ' +
        'or set DATABASE_URL to use a PostgreSQL server, which any number of processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function read(path: string): { text: string; holder: Holder | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return { text, holder: typeof holder.pid === 'number' ? holder : undefined };
  } catch {
    return { text, holder: undefined };
  }
}

const held = new Map<string, string>();
process.once('exit', () => {
  // A process that exits without closing its database (process.exit, an uncaught error) still lets go.
  for (const path of held.keys()) rmSync(path, { force: true });
});

/**
 * Takes the lock of a PGlite data directory, or throws
 * {@link DatabaseLockedError}. Atomic: the lock file is written in full under
 * another name and then hard-linked into place, which fails if a lock is
 * there, so no process ever sees a half-written lock or two processes both
 * win. A lock whose process no longer exists on this host is taken over
 * (renamed away first, and checked to be the stale one, so a fresh lock is
 * never deleted). `waitMs` waits for a live holder to let go (a server
 * restarting under `tsx watch`).
 *
 * @returns a function that releases the lock.
 */
export async function lockPgliteDir(dir: string, waitMs = 0): Promise<() => void> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const mine: Holder = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
    const text = JSON.stringify(mine);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, text);
    try {
      linkSync(temp, path);
      held.set(path, text);
      return () => {
        if (held.get(path) !== text) return;
        held.delete(path);
        // Only our own lock is removed, never one another process took over meanwhile.
        if (read(path)?.text === text) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    const current = read(path);
    if (!current) continue;
    const { holder } = current;
    const stale =
      holder === undefined
        ? // Unreadable: a writer that does not write atomically may be half-way; give it a few seconds.
          Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 5_000
        : holder.hostname === hostname() && holder.pid !== process.pid && !alive(holder.pid);
    if (stale) {
      takeOver(path, current.text);
      continue;
    }
    if (Date.now() >= deadline || held.has(path)) throw new DatabaseLockedError(dir, holder);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Moves a stale lock away; if what was moved is not the stale lock (another process replaced it), puts it back. */
function takeOver(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = read(aside);
  if (moved && moved.text !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process holds it now; the one we moved is lost, and its owner's release is a no-op.
    }
  }
  rmSync(aside, { force: true });
}

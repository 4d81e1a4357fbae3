import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteDb, DatabaseLockedError } from '../../src/db/database.js';
import { LOCK_FILE, lockPgliteDir } from '../../src/db/pglite-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-lock-'));
  dirs.push(dir);
  return dir;
}

/** Another live process, standing in for `npm run dev` holding the directory. */
async function otherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

function holdAs(dir: string, pid: number): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: hostname(), since: new Date().toISOString() }));
}

describe('one process owns the embedded database', () => {
  it('refuses a directory another live process holds, naming it, before touching the data', async () => {
    const dir = tempDir();
    const other = await otherProcess();
    holdAs(dir, other.pid!);
    const refused = await createPgliteDb(dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DatabaseLockedError);
    expect((refused as Error).message).toContain(`process ${other.pid}`);
    expect((refused as Error).message).toMatch(/stop the other one/);
    // Nothing was created in the directory: PGlite was never opened.
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('waits for a live holder to let go when asked to (a server restarting)', async () => {
    const dir = tempDir();
    const other = await otherProcess();
    holdAs(dir, other.pid!);
    setTimeout(() => rmSync(join(dir, LOCK_FILE)), 300);
    const release = await lockPgliteDir(dir, 5_000);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock whose process is gone, refuses a second opener meanwhile, and lets go', async () => {
    const dir = tempDir();
    const other = await otherProcess();
    const pid = other.pid!;
    other.kill('SIGKILL');
    await once(other, 'exit');
    holdAs(dir, pid);
    const release = await lockPgliteDir(dir);
    // A second open of the same directory, even in this process, is refused while it is held.
    await expect(createPgliteDb(dir)).rejects.toBeInstanceOf(DatabaseLockedError);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // No temporary or stale lock files are left behind.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never removes a lock it does not own', async () => {
    const dir = tempDir();
    const release = await lockPgliteDir(dir);
    // Another process took the directory over meanwhile (say the lock was removed by hand).
    const other = await otherProcess();
    holdAs(dir, other.pid!);
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});

/**
 * A separate process for the PGlite directory lock tests
 * (`node --import tsx test/support/pglite-lock-child.ts ROLE DIR [LOG]`):
 *
 * - `contend DIR LOG HOLD_MS`: prints `ready`, waits for the file `LOG.go` (so that all contenders
 *   start in the same millisecond), retries the lock until it gets it, then, inside the lock, appends
 *   `enter PID` to LOG, increments `DIR/counter` by a slow read-modify-write, appends `leave PID`,
 *   and releases. Overlapping holders show up as interleaved lines and a lost increment.
 * - `hold DIR`: takes the lock, prints `locked`, and waits to be killed.
 * - `half-write DIR MS`: creates `DIR/tenon.lock` the way older tenon versions did (an empty file
 *   first), prints `created`, writes its record MS later, prints `written`, and waits to be killed.
 */
import {
  appendFileSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lockPgliteDir } from '../../src/core/db/pglite-dir-lock.js';
import { isTenonError } from '../../src/core/errors.js';

const [role, dir, arg, holdMs] = process.argv.slice(2) as [
  string,
  string,
  string | undefined,
  string | undefined,
];
const forever = () => new Promise(() => setInterval(() => undefined, 60_000));

if (role === 'contend') {
  const log = arg!;
  process.stdout.write('ready\n');
  while (!existsSync(`${log}.go`)) await sleep(1);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const unlock = await lockPgliteDir(dir);
      appendFileSync(log, `enter ${process.pid}\n`);
      const counter = join(dir, 'counter');
      const n = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
      await sleep(Number(holdMs ?? 30));
      writeFileSync(counter, String(n + 1));
      appendFileSync(log, `leave ${process.pid}\n`);
      unlock();
      break;
    } catch (error) {
      if (!isTenonError(error) || error.code !== 'TENON_DB_PGLITE_LOCKED' || Date.now() > deadline)
        throw error;
      await sleep(5 + Math.random() * 20);
    }
  }
} else if (role === 'hold') {
  await lockPgliteDir(dir);
  process.stdout.write('locked\n');
  await forever();
} else if (role === 'half-write') {
  const fd = openSync(join(dir, 'tenon.lock'), 'wx');
  process.stdout.write('created\n');
  await sleep(Number(arg ?? 300));
  writeSync(fd, JSON.stringify({ pid: process.pid, hostname: hostname(), since: new Date().toISOString() }));
  closeSync(fd);
  process.stdout.write('written\n');
  await forever();
} else {
  throw new Error(`unknown role ${role}`);
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/core/db/connect.js';
import type { Database } from '../../src/core/db/database.js';
import {
  acquireMigrationLock,
  describeLockHolder,
  findLockHolder,
  migrationLockKey,
  releaseMigrationLock,
} from '../../src/migrate/advisory-lock.js';
import { Migrator } from '../../src/migrate/index.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';
import { migrationDir, writeSteps } from './support.js';

const pg = await requirePostgres();

describe('migrationLockKey', () => {
  it('is a stable signed 64-bit integer that depends on database, schema and table', () => {
    const key = migrationLockKey('app', 'public', 'tenon_migrations');
    expect(key).toBe(migrationLockKey('app', 'public', 'tenon_migrations'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
    const others = [
      migrationLockKey('app2', 'public', 'tenon_migrations'),
      migrationLockKey('app', 'ops', 'tenon_migrations'),
      migrationLockKey('app', 'public', 'other'),
      migrationLockKey('apppublic', '', 'tenon_migrations'),
    ];
    expect(new Set([key, ...others]).size).toBe(5);
  });
});

describe.skipIf(!pg.available)(`the migration lock on a server ${pg.reason}`, () => {
  let temp: TempDatabase;
  let db: Database;
  beforeAll(async () => {
    temp = await createTempDatabase();
    db = await connect({ databaseUrl: temp.url, applicationName: 'lock holder test' });
  });
  afterAll(async () => {
    await db.close();
    await temp.drop();
  });

  it('polls while another session holds it, names the holder, and fails after the wait', async () => {
    const key = migrationLockKey(temp.name, 'public', 'tenon_migrations');
    await db.withSession(async (holder) => {
      expect(await acquireMigrationLock(holder, key, { waitMs: 1000, label: 'x' })).toBeLessThan(1000);
      const { rows } = await holder.query<{ pid: number }>('select pg_backend_pid() as pid');
      await db.withSession(async (waiter) => {
        const seen = await findLockHolder(waiter, key);
        expect(seen).toMatchObject({ pid: rows[0]!.pid, applicationName: 'lock holder test', state: 'idle' });
        expect(describeLockHolder(seen!)).toMatch(
          /^pid \d+, "lock holder test", user \w+, from 127\.0\.0\.1, connected since /,
        );
        let waited: unknown;
        const error = await acquireMigrationLock(waiter, key, {
          waitMs: 300,
          label: 'public.tenon_migrations',
          onWait: (h) => {
            waited = h;
          },
        }).catch((e: unknown) => e);
        expect(waited).toMatchObject({ pid: rows[0]!.pid });
        expect(error).toMatchObject({ code: 'TENON_MIGRATE_LOCK_TIMEOUT' });
        expect((error as Error).message).toMatch(
          /held the migration lock on public\.tenon_migrations for more than 300ms: pid \d+, "lock holder test"/,
        );
        expect((error as { hint: string }).hint).toContain(`select pg_terminate_backend(${rows[0]!.pid});`);
        // Polling, not blocking: the waiter never showed up as waiting on the lock.
        const { rows: waiting } = await holder.query(
          `select 1 from pg_locks where locktype = 'advisory' and not granted`,
        );
        expect(waiting).toEqual([]);
      });
      await releaseMigrationLock(holder, key);
    });
    expect(await findLockHolder(db, key)).toBeUndefined();
  });

  it('status shows the runner holding the lock; a second runner waits for it', async () => {
    const files = migrationDir();
    writeSteps(files, 2);
    files.write('20260101000003_slow', { up: 'select pg_sleep(0.6);', down: 'select 1;' });
    const first = new Migrator({ databaseUrl: temp.url, dir: files.dir });
    const second = new Migrator({ databaseUrl: temp.url, dir: files.dir, lockWait: '10s' });
    const observer = new Migrator({ databaseUrl: temp.url, dir: files.dir });
    let seen: Promise<unknown> | undefined;
    first.on('statement-start', (s) => {
      if (s.version === '20260101000003') seen = observer.status().then((status) => status.lock.holder);
    });
    const waits: unknown[] = [];
    second.on('lock-wait', (w) => waits.push(w.holder));
    const running = first.up();
    await new Promise((r) => setTimeout(r, 200));
    const [a, b] = await Promise.all([running, second.up()]);
    expect(a.migrations.length + b.migrations.length).toBe(3);
    expect(await seen).toMatchObject({ applicationName: `tenon migrate (pid ${process.pid})` });
    expect(waits.length).toBeLessThanOrEqual(1);
    await Promise.all([first.close(), second.close(), observer.close()]);
    files.remove();
  });
});

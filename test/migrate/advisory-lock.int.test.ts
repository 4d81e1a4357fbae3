import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
          `select 1 from pg_locks l join pg_database d on d.oid = l.database
            where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`,
        );
        expect(waiting).toEqual([]);
      });
      await releaseMigrationLock(holder, key);
    });
    expect(await findLockHolder(db, key)).toBeUndefined();
  });

  it('status shows the runner holding the lock; a second runner waits for it, then finds nothing to do', async () => {
    const files = migrationDir();
    writeSteps(files, 2);
    // The third migration blocks on a table the test holds locked, so the first runner keeps
    // the migration lock for exactly as long as the test wants: no sleeps, no timing guesses.
    files.write('20260101000003_gated', { up: 'select count(*) from gate;', down: 'select 1;' });
    await db.exec('create table gate (id int)');
    const order: string[] = [];
    await db.withSession(async (gatekeeper) => {
      await gatekeeper.exec('begin; lock table gate in access exclusive mode');
      const waits: { pid: number | undefined }[] = [];
      const first = new Migrator({
        databaseUrl: temp.url,
        dir: files.dir,
        lockTimeout: '60s',
        onEvent: (e) => {
          if (e.type === 'migration-done') order.push(`first applied ${e.migration.version}`);
        },
      });
      const second = new Migrator({
        databaseUrl: temp.url,
        dir: files.dir,
        lockWait: '60s',
        onEvent: (e) => {
          if (e.type === 'lock-wait') {
            if (waits.length === 0) order.push('second waits');
            waits.push({ pid: e.holder?.pid });
          } else if (e.type === 'lock-acquired') order.push('second holds the lock');
        },
      });
      const observer = new Migrator({ databaseUrl: temp.url, dir: files.dir });
      try {
        const running = first.up();
        // The first runner is blocked inside migration 3, holding the migration lock.
        await vi.waitFor(
          async () => {
            const { rows } = await gatekeeper.query(
              `select 1 from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'gate' and not l.granted`,
            );
            expect(rows).toHaveLength(1);
          },
          { timeout: 20_000, interval: 50 },
        );
        const holder = (await observer.status()).lock.holder;
        expect(holder).toMatchObject({ applicationName: `tenon migrate (pid ${process.pid})` });
        const waiting = second.up();
        await vi.waitFor(() => expect(waits.length).toBeGreaterThan(0), { timeout: 20_000, interval: 20 });
        expect(waits[0]!.pid).toBe(holder!.pid);
        await gatekeeper.exec('commit');
        const [a, b] = await Promise.all([running, waiting]);
        expect(a.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
        expect(b.migrations).toEqual([]);
      } finally {
        await Promise.all([first.close(), second.close(), observer.close()]);
        files.remove();
      }
    });
    expect(order).toEqual([
      'first applied 20260101000001',
      'first applied 20260101000002',
      'second waits',
      'first applied 20260101000003',
      'second holds the lock',
    ]);
  });
});

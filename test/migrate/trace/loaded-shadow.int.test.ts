import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/core/db/database.js';
import { PgliteDatabase } from '../../../src/core/db/pglite-database.js';
import { migrationChecksum } from '../../../src/core/migration/migration-file.js';
import { planMigrations } from '../../../src/migrate/plan.js';
import { traceFindings } from '../../../src/migrate/trace/trace-findings.js';
import { traceMigrations } from '../../../src/migrate/trace/trace-migrations.js';

const LOAD_MS = 1200;

/**
 * The traced session of a machine so loaded that every statement sent with
 * `exec` (the migration's, the reference's) takes 1.2 s more; transaction
 * control is left alone to keep the test short. The delay is injected, so
 * the test does not depend on the real load.
 */
function loaded(db: Database): Database {
  const wrap = (inner: Database): Database =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'exec')
          return async (sql: string) => {
            if (!/^(begin|commit|rollback|savepoint|release|reset)\b/i.test(sql)) await sleep(LOAD_MS);
            return target.exec(sql);
          };
        if (prop === 'withSession')
          return <T>(fn: (s: Database) => Promise<T>) => target.withSession((s) => fn(wrap(s)));
        return Reflect.get(target, prop, receiver);
      },
    });
  return wrap(db);
}

describe('trace on a loaded machine', () => {
  it('an ALTER TABLE on an empty existing table that takes 1.2 s more there is no warning; its time and reference are reported', async () => {
    const db = await PgliteDatabase.open({ dataDir: undefined, displayUrl: 'pglite://test' });
    try {
      await db.exec('create table acct (id bigint primary key, name text)');
      const text = '-- migrate:up\nalter table acct add column note text;\n-- migrate:down\n';
      const file = '20260101000002_note.sql';
      const plans = await planMigrations(
        [
          {
            version: '20260101000002',
            name: 'note',
            file,
            path: `/m/${file}`,
            text,
            checksum: migrationChecksum(text),
          },
        ],
        'up',
        { kind: 'pglite' },
      );
      const traced = await traceMigrations({
        shadow: loaded(db),
        plans,
        sizes: () => undefined,
        slowMs: 1000,
      });
      const statement = traced[0]!.statements[0]!;
      expect(statement.durationMs).toBeGreaterThanOrEqual(LOAD_MS);
      // The reference ran after it, under the same load.
      expect(statement.probeMs).toBeGreaterThanOrEqual(LOAD_MS);
      const lock = statement.locks.find((l) => l.target === 'public.acct')!;
      expect(lock).toMatchObject({ mode: 'AccessExclusiveLock', heldUntil: 'commit', newObject: false });
      // Shadow time, as information.
      expect(lock.holdMs).toBeGreaterThanOrEqual(LOAD_MS);
      // Before: "ACCESS EXCLUSIVE on public.acct was held 1200 ms in the shadow (until COMMIT)".
      expect(traceFindings(traced, () => undefined, { largeRows: 1_000_000, slowMs: 1000 })).toEqual([]);
      // The reference left nothing behind.
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from pg_class where relname = 'tenon_trace_probe'",
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await db.close();
    }
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { requirePostgres } from '../support/services.js';
import { tenonFailure } from '../support/tenon-failure.js';
import { publicTables, useMigrateTarget } from './support.js';

const pg = await requirePostgres();

/**
 * A file wrapped whole in its own BEGIN … COMMIT (golang-migrate's and goose's files carry one:
 * those runners add none) runs as one migration in tenon's transaction, up and down, on both
 * databases; its failure rolls all of it back, as the wrapper meant.
 */
describe.each([
  { kind: 'pglite' as const, skip: false },
  { kind: 'postgres' as const, skip: !pg.available },
])('a migration wrapped in its own transaction on $kind', ({ kind, skip }) => {
  const t = useMigrateTarget({
    kind,
    skip,
    perTest: true,
    migratorDefaults: (target) => ({ ...(target.url ? { databaseUrl: target.url } : {}), lockWait: '2s' }),
  });

  it.skipIf(skip)('applies, reverts and dry-runs as one transaction of tenon', async () => {
    t.files.write('20260101000001_wrapped', {
      up: 'BEGIN;\ncreate table a (id int);\ncreate table b (id int);\nCOMMIT;',
      down: 'begin;\ndrop table b;\ndrop table a;\ncommit;',
    });
    const m = t.migrator();
    expect((await m.up({ dryRun: true })).migrations.map((r) => r.status)).toEqual(['checked']);
    const applied = await m.up();
    expect(applied.migrations.map((r) => [r.status, r.transactional])).toEqual([['applied', true]]);
    expect(await publicTables(t.db)).toEqual(['a', 'b', 'tenon_migrations']);
    expect((await m.down()).migrations.map((r) => r.status)).toEqual(['reverted']);
    expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
  });

  it.skipIf(skip)('rolls the whole file back when a statement in it fails', async () => {
    t.files.write('20260101000001_wrapped', {
      up: 'begin;\ncreate table a (id int);\ninsert into a values (1), (1);\ncreate unique index on a (id);\ncommit;',
      down: '',
    });
    const error = await tenonFailure(t.migrator().up());
    expect(error.code).toBe('TENON_MIGRATE_STATEMENT_FAILED');
    expect(error.message).toContain('5:1: statement 3 of 3 (up) failed');
    expect(await publicTables(t.db)).toEqual(['tenon_migrations']);
  });
});

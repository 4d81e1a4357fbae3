import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/core/db/database.js';
import { isTenonError } from '../../src/core/errors.js';
import { Migrator } from '../../src/migrate/index.js';
import { createTempDatabase, requirePostgres, type TempDatabase } from '../support/services.js';
import { migrationDir, openTarget, publicTables } from './support.js';

const pg = await requirePostgres();

/**
 * `select * from (select 1)` is valid from PostgreSQL 16. On an older server
 * (the test server is 15) `up` reports it, with file:line, before the first
 * migration runs; on 16+ it applies.
 */
describe.skipIf(!pg.available)("up checks SQL with the server's grammar before anything runs", () => {
  let temp: TempDatabase;
  let db: Database;
  beforeAll(async () => {
    temp = await createTempDatabase(undefined, 'migrate_real_gr');
    db = await openTarget('postgres', temp.url);
  });
  afterAll(async () => {
    await db?.close();
    await temp?.drop();
  });

  it('refuses syntax newer than the server, naming file and line, and applies nothing', async () => {
    const files = migrationDir();
    for (let i = 1; i <= 3; i++) {
      files.write(`2026010100000${i}_t${i}`, {
        up: `create table t${i} (id int);`,
        down: `drop table t${i};`,
      });
    }
    files.write('20260101000004_newer', {
      up: 'create table t4 (id int);\n\ninsert into t4 select * from (select 1);',
      down: '',
    });
    const m = new Migrator({ db, dir: files.dir, lintOnUp: 'off' });
    try {
      if (db.serverVersion >= 160000) {
        expect((await m.up()).migrations).toHaveLength(4);
        return;
      }
      const error = await m.up().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTenonError(error, 'TENON_SQL_UNSUPPORTED_BY_SERVER')).toBe(true);
      expect((error as Error).message).toMatch(
        /^20260101000004_newer\.sql:4:30: PostgreSQL 1[345] cannot parse this SQL: subquery in FROM must have an alias/,
      );
      expect(await publicTables(db)).toEqual([]);
      const verify = await m.verify();
      expect(verify.problems.map((p) => [p.version, p.kind])).toEqual([['20260101000004', 'invalid']]);
    } finally {
      await m.close();
      files.remove();
    }
  });

  it('checks a long history on a worker thread: the same refusal, file and line, nothing applied', async () => {
    // 40 files of ~8 KB (a comment block and a table each): over GRAMMAR_WORKER_MIN_BYTES, so the
    // server's grammar parses them on a worker while tenon's grammar plans them.
    const files = migrationDir();
    const padding = `-- ${'x'.repeat(76)}\n`.repeat(100);
    for (let i = 1; i <= 40; i++) {
      const version = `202601010${String(i).padStart(5, '0')}`;
      const newer = i === 31 ? '\ninsert into big_31 select * from (select 1);' : '';
      files.write(`${version}_big_${i}`, {
        up: `${padding}create table big_${i} (id int);${newer}`,
        down: `drop table big_${i};`,
      });
    }
    const m = new Migrator({ db, dir: files.dir, lintOnUp: 'off' });
    try {
      if (db.serverVersion >= 160000) {
        expect((await m.up()).migrations).toHaveLength(40);
        return;
      }
      const error = await m.up().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTenonError(error, 'TENON_SQL_UNSUPPORTED_BY_SERVER')).toBe(true);
      expect((error as Error).message).toMatch(
        /^20260101000031_big_31\.sql:\d+:\d+: PostgreSQL 1[345] cannot parse this SQL: subquery in FROM must have an alias/,
      );
      expect(await publicTables(db)).toEqual([]);
    } finally {
      await m.close();
      files.remove();
    }
  });
});

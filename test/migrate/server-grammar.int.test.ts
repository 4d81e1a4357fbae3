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

  /** A history to write, and where the refusal must point. */
  interface Case {
    name: string;
    write(files: ReturnType<typeof migrationDir>): void;
    count: number;
    /** The version of the file the server cannot parse. */
    invalid: string;
    refusal: RegExp;
  }
  // 40 files of ~28 KB (a comment block and a table each) are over GRAMMAR_WORKER_MIN_BYTES (1 MB),
  // so the server's grammar parses them on a worker thread while tenon's grammar plans them.
  const padding = `-- ${'x'.repeat(76)}\n`.repeat(340);
  const cases: Case[] = [
    {
      name: 'a short history, checked on the main thread',
      write(files) {
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
      },
      count: 4,
      invalid: '20260101000004',
      refusal:
        /^20260101000004_newer\.sql:4:30: PostgreSQL 1[345] cannot parse this SQL: subquery in FROM must have an alias/,
    },
    {
      name: 'a long history, checked on a worker thread',
      write(files) {
        for (let i = 1; i <= 40; i++) {
          const version = `202601010${String(i).padStart(5, '0')}`;
          const newer = i === 31 ? '\ninsert into big_31 select * from (select 1);' : '';
          files.write(`${version}_big_${i}`, {
            up: `${padding}create table big_${i} (id int);${newer}`,
            down: `drop table big_${i};`,
          });
        }
      },
      count: 40,
      invalid: '20260101000031',
      refusal:
        /^20260101000031_big_31\.sql:\d+:\d+: PostgreSQL 1[345] cannot parse this SQL: subquery in FROM must have an alias/,
    },
  ];

  it.each(cases)(
    '$name: refuses syntax newer than the server, naming file and line, and applies nothing',
    async (c) => {
      const files = migrationDir();
      c.write(files);
      const m = new Migrator({ db, dir: files.dir, lintOnUp: 'off' });
      try {
        if (db.serverVersion >= 160000) {
          expect((await m.up()).migrations).toHaveLength(c.count);
          return;
        }
        const error = await m.up().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isTenonError(error, 'TENON_SQL_UNSUPPORTED_BY_SERVER')).toBe(true);
        expect((error as Error).message).toMatch(c.refusal);
        expect(await publicTables(db)).toEqual([]);
        // verify() reads the same refusal: the file that the server cannot parse is invalid.
        const verify = await m.verify();
        expect(verify.problems.map((p) => [p.version, p.kind])).toEqual([[c.invalid, 'invalid']]);
      } finally {
        await m.close();
        files.remove();
      }
    },
  );
});

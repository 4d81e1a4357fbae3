import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrationDir } from '../../src/migrate/migration-files.js';
import { sectionsOf } from '../../src/migrate/plan.js';
// The reader inside generated projects, imported from its template (copied verbatim into projects).
import { readMigrations } from '../../templates/common/src/db/migration-files.js';

const OWN = '-- migrate:up\ncreate table t (id int);\n\n-- migrate:down\ndrop table t;\n';

/** What each reader makes of a folder: the migrations it would run, or that it refuses the folder. */
async function bothRead(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'tenon-runner-names-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const tenon = await readMigrationDir(dir).then(
      (sources) =>
        sources.map((s) => {
          const { up, down } = sectionsOf(s);
          return { version: s.version, name: s.name, file: s.file, checksum: s.checksum, up, down };
        }),
      () => 'refused',
    );
    let generated: unknown;
    try {
      generated = readMigrations(dir).map(({ version, name, file, checksum, up, down }) => ({
        version,
        name,
        file,
        checksum,
        up,
        down,
      }));
    } catch {
      generated = 'refused';
    }
    return { tenon, generated };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the generated project’s runner reads the file names `tenon migrate` reads, and refuses the others', () => {
  it.each<[string, Record<string, string>]>([
    ['snake_case', { '20260101000000_create_users.sql': OWN }],
    // Before: the runner skipped these two without a word, so `tenon migrate up` and `npm run migrate` differed.
    ['dbmate’s hyphens', { '20211115181400_update-auth-permissions.sql': OWN }],
    ['capitals', { '20260101000001_AddUsers.sql': OWN }],
    [
      'golang-migrate pairs',
      {
        '1_init.up.sql': 'create table t (id int);\n',
        '1_init.down.sql': 'drop table t;\n',
        '2_more.up.sql': 'create table u (id int);\n',
        '20260101000000_own.sql': OWN,
      },
    ],
    ['a dot in the name', { '20260101000000_create.users.sql': OWN }],
    ['Flyway’s names', { 'V1__init.sql': OWN }],
    ['a short version', { '0001_init.sql': OWN }],
    ['one version twice', { '20260101000000_a.sql': OWN, '20260101000000_b.sql': OWN }],
    ['a down file alone', { '1_init.down.sql': 'drop table t;\n' }],
  ])('%s', async (_, files) => {
    const { tenon, generated } = await bothRead(files);
    expect(generated).toEqual(tenon);
  });

  it('the cases above include folders both read and folders both refuse', async () => {
    expect((await bothRead({ '20211115181400_update-auth-permissions.sql': OWN })).tenon).toHaveLength(1);
    expect((await bothRead({ 'V1__init.sql': OWN })).tenon).toBe('refused');
  });
});

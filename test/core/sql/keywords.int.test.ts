import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import type { Database } from '../../../src/core/db/database.js';
import { KEYWORDS_VERSION, SQL_KEYWORDS } from '../../../src/core/sql/keywords.js';
import { quoteIdent } from '../../../src/core/sql/quote.js';
import { requirePostgres, SERVER_DATABASE_URL } from '../../support/services.js';
import { NEWER_THAN_15, QUOTE_IDENT_CASES } from './quote-cases.js';

/**
 * The static key word list (scripts/generate-sql-keywords.ts) and
 * `quoteIdent` against PostgreSQL itself: PGlite, where the list comes
 * from, and the server PostgreSQL (15 here), which is older.
 */

async function keywords(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.query<{ word: string; catcode: string }>(
    'select word, catcode::text as catcode from pg_get_keywords()',
  );
  return new Map(rows.map((r) => [r.word, r.catcode]));
}

async function quoteIdentOf(db: Database, names: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ q: string }>(
    'select quote_ident(n) as q from unnest($1::text[]) with ordinality as t(n, i) order by i',
    [names],
  );
  return rows.map((r) => r.q);
}

const ALL_NAMES = [...QUOTE_IDENT_CASES.map(([name]) => name), ...SQL_KEYWORDS.keys(), ...NEWER_THAN_15];

describe('key words and quote_ident on PGlite', () => {
  let db: Database;
  beforeAll(async () => {
    db = await connect({ databaseUrl: 'pglite://memory' });
  }, 60_000);
  afterAll(() => db?.close());

  it('the static list is pg_get_keywords() of this PGlite, word for word and category for category', async () => {
    const { rows } = await db.query<{ v: string }>("select current_setting('server_version') as v");
    expect(rows[0]!.v).toBe(KEYWORDS_VERSION);
    expect(Object.fromEntries([...(await keywords(db))].sort())).toEqual(
      Object.fromEntries([...SQL_KEYWORDS].sort()),
    );
  });

  it('quoteIdent writes what quote_ident() writes, for every key word and the tricky names', async () => {
    expect(ALL_NAMES.map(quoteIdent)).toEqual(await quoteIdentOf(db, ALL_NAMES));
  });
});

const server = await requirePostgres();

describe.skipIf(!server.available)(
  `key words and quote_ident on the server PostgreSQL ${server.reason}`,
  () => {
    let db: Database;
    beforeAll(async () => {
      db = await connect({ databaseUrl: SERVER_DATABASE_URL });
    });
    afterAll(() => db?.close());

    it('every word the server reserves is reserved alike in the static list', async () => {
      const theirs = await keywords(db);
      const reserved = [...theirs].filter(([, category]) => category !== 'U');
      expect(reserved.length).toBeGreaterThan(100);
      for (const [word, category] of reserved)
        expect([word, SQL_KEYWORDS.get(word)]).toEqual([word, category]);
    });

    it('quoteIdent agrees with quote_ident(), except for words only newer servers reserve', async () => {
      const theirs = await keywords(db);
      const server = await quoteIdentOf(db, ALL_NAMES);
      const differences = ALL_NAMES.filter((name, i) => quoteIdent(name) !== server[i]);
      // An older server leaves newer key words bare; quoting them is harmless there.
      for (const word of differences) {
        expect({ word, server: theirs.get(word) ?? 'none' }).toEqual({
          word,
          server: expect.stringMatching(/^(U|none)$/),
        });
        expect({ word, ours: SQL_KEYWORDS.get(word) }).toEqual({
          word,
          ours: expect.stringMatching(/^[CTR]$/),
        });
      }
      const version = Number(
        (await db.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v,
      );
      expect(version).toBeGreaterThan(130000);
      if (version < 160000) expect(differences).toEqual(expect.arrayContaining([...NEWER_THAN_15]));
      expect(QUOTE_IDENT_CASES.map(([, quoted]) => quoted)).toEqual(
        server.slice(0, QUOTE_IDENT_CASES.length),
      );
    });
  },
);

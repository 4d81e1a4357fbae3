import { createHmac, randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
// The least-privilege step inside generated projects, imported from its template (copied verbatim into projects).
import { loadConfig } from '../../templates/common/src/config.js';
import { grantAppRole, scramVerifier } from '../../templates/common/src/db/app-role.js';
import { createPostgresDb } from '../../templates/common/src/db/database.js';
import { createTempDatabase, requireExtPostgres } from '../support/services.js';

// The throwaway cluster asks members of tenon_scram for their password over TCP (scram-sha-256),
// and tracks every statement in pg_stat_statements: the server itself checks the verifier.
const ext = await requireExtPostgres();

async function connectAs(base: string, role: string, password: string): Promise<string> {
  const url = new URL(base);
  url.username = role;
  url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<{ who: string }>('select current_user as who')).rows[0]!.who;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe.skipIf(!ext.available)(`the generated project's app role ${ext.reason}`, () => {
  it('creates the role with a SCRAM verifier: the password logs in over scram-sha-256 and is in no statement the server saw', async () => {
    const database = await createTempDatabase(ext.url, 'tenon_approle');
    const admin = new pg.Client({ connectionString: ext.url });
    await admin.connect();
    const roles: string[] = [];
    try {
      // An ASCII secret (what the docs generate) and one SASLprep normalises (ä, the ﬁ ligature).
      for (const password of [
        randomBytes(18).toString('base64url'),
        `pässwörd-ﬁ-${randomBytes(4).toString('hex')}`,
      ]) {
        const role = `app_rw_${randomBytes(4).toString('hex')}`;
        roles.push(role);
        const db = createPostgresDb(loadConfig({ DATABASE_URL: database.url }, { signsTokens: false }));
        try {
          expect(await grantAppRole(db, { role, password })).toEqual({ created: true });
        } finally {
          await db.close();
        }
        await admin.query(`grant tenon_scram to ${role}`);
        expect(await connectAs(database.url, role, password)).toBe(role);
        expect(await connectAs(database.url, role, `${password}x`)).toBe('28P01');
        const seen = await admin.query('select query from pg_stat_statements where strpos(query, $1) > 0', [
          password,
        ]);
        expect(seen.rows).toEqual([]);
        const stored = await admin.query<{ rolpassword: string }>(
          'select rolpassword from pg_authid where rolname = $1',
          [role],
        );
        expect(stored.rows[0]?.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
      }
    } finally {
      await database.drop();
      for (const role of roles) await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });

  it('writes the verifier of RFC 7677’s example: its ServerKey signs the RFC’s exchange as the RFC says', () => {
    // RFC 7677 §3: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations, and the exchange's AuthMessage.
    const verifier = scramVerifier('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
    expect(verifier.startsWith('SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$')).toBe(true);
    const serverKey = Buffer.from(verifier.split('$')[2]!.split(':')[1]!, 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });
});

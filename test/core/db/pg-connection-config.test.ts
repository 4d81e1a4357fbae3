import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type PgTarget,
  PgUrlProblem,
  pgConnectionConfig,
  type SslMode,
} from '../../../src/core/db/pg-connection-config.js';

const dir = mkdtempSync(join(tmpdir(), 'tenon-pgconfig-'));
const ca = join(dir, 'ca.pem');
writeFileSync(ca, 'CA CERTIFICATE');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function target(query: string, sslmode?: SslMode): PgTarget {
  return {
    url: `postgres://u:pw@db.example:6543/app?${query}`,
    host: 'db.example',
    port: 6543,
    user: 'u',
    database: 'app',
    sslmode,
  };
}

/** The TLS attempts as plain data: false, true, or which checks the options keep. */
function attempts(query: string, sslmode?: SslMode) {
  return pgConnectionConfig(target(query, sslmode)).ssl.map((ssl) =>
    typeof ssl === 'object' && ssl
      ? {
          verifiesChain: ssl.rejectUnauthorized !== false,
          verifiesHost: ssl.rejectUnauthorized !== false && !ssl.checkServerIdentity,
          ca: ssl.ca ?? null,
        }
      : ssl,
  );
}

describe('pgConnectionConfig: sslmode with libpq meaning', () => {
  const plain = false;
  const encryptOnly = { verifiesChain: false, verifiesHost: false, ca: null };
  it.each([
    ['disable', [plain]],
    ['allow', [plain, encryptOnly]],
    ['prefer', [encryptOnly, plain]],
    ['require', [encryptOnly]],
    ['no-verify', [encryptOnly]],
    ['verify-full', [{ verifiesChain: true, verifiesHost: true, ca: null }]],
  ] as const)('sslmode=%s', (mode, expected) => {
    expect(attempts(`sslmode=${mode}`, mode)).toEqual(expected);
  });

  it('with sslrootcert, require and verify-ca check the chain against it; verify-full also the host', () => {
    const root = `sslrootcert=${encodeURIComponent(ca)}`;
    const chainOnly = { verifiesChain: true, verifiesHost: false, ca: 'CA CERTIFICATE' };
    expect(attempts(`sslmode=require&${root}`, 'require')).toEqual([chainOnly]);
    expect(attempts(`sslmode=verify-ca&${root}`, 'verify-ca')).toEqual([chainOnly]);
    expect(attempts(`sslmode=verify-full&${root}`, 'verify-full')).toEqual([
      { verifiesChain: true, verifiesHost: true, ca: 'CA CERTIFICATE' },
    ]);
  });

  it('without sslmode the URL keeps pg’s own reading (ssl=true verifies fully)', () => {
    expect(attempts('')).toEqual([undefined]);
    expect(attempts('ssl=true')).toEqual([true]);
  });

  it('the driver never sees sslmode or uselibpqcompat, and gets the target tenon read', () => {
    const { base } = pgConnectionConfig(
      target('sslmode=require&uselibpqcompat=true&application_name=x', 'require'),
    );
    expect(base).toMatchObject({
      host: 'db.example',
      port: 6543,
      user: 'u',
      database: 'app',
      password: 'pw',
      application_name: 'x',
    });
    expect(base).not.toHaveProperty('sslmode');
    expect(base).not.toHaveProperty('uselibpqcompat');
  });

  it('verify-ca without a root certificate, or an unreadable certificate file, is a URL problem', () => {
    expect(() => pgConnectionConfig(target('sslmode=verify-ca', 'verify-ca'))).toThrow(PgUrlProblem);
    expect(() => pgConnectionConfig(target('sslmode=verify-ca', 'verify-ca'))).toThrow(/sslrootcert/);
    expect(() => pgConnectionConfig(target(`sslrootcert=${join(dir, 'missing.pem')}`))).toThrow(
      /missing\.pem cannot be read \(ENOENT\)/,
    );
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDatabaseUrl } from '../../../src/core/db/connect.js';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';

function rejected(url: string): TenonError {
  try {
    parseDatabaseUrl(url);
  } catch (error) {
    if (isTenonError(error)) return error;
    throw new Error(`expected a TenonError for ${url}, got ${String(error)}`);
  }
  throw new Error(`expected ${url} to be rejected`);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('parseDatabaseUrl', () => {
  it('defaults to PGlite in .tenon/pglite', () => {
    expect(parseDatabaseUrl(undefined, '/proj')).toEqual({
      kind: 'pglite',
      dataDir: '/proj/.tenon/pglite',
      displayUrl: 'pglite://.tenon/pglite',
    });
  });

  it('understands pglite://memory, relative and absolute directories', () => {
    expect(parseDatabaseUrl('pglite://memory').kind).toBe('pglite');
    expect(parseDatabaseUrl('pglite://data/db', '/proj')).toMatchObject({ dataDir: '/proj/data/db' });
    expect(parseDatabaseUrl('pglite:///var/db', '/proj')).toMatchObject({ dataDir: '/var/db' });
  });

  it('hides the password in the display URL, in the user part and in a password parameter', () => {
    const parsed = parseDatabaseUrl('postgres://me:s3cret@db.example:6543/app');
    expect(parsed).toMatchObject({
      kind: 'postgres',
      host: 'db.example',
      port: 6543,
      database: 'app',
      user: 'me',
      hasPassword: true,
    });
    expect(parsed.displayUrl).not.toContain('s3cret');
    const param = parseDatabaseUrl('postgres://me@db.example/app?password=s3cret');
    expect(param).toMatchObject({ hasPassword: true });
    expect(param.displayUrl).not.toContain('s3cret');
    expect(parseDatabaseUrl('postgres://me@db.example/app')).toMatchObject({ hasPassword: false });
  });

  it('rejects other schemes with a hint and without echoing the password', () => {
    const error = rejected('mysql://root:hunter2@localhost/db');
    expect(error.code).toBe('TENON_DB_URL_INVALID');
    expect(error.message).not.toContain('hunter2');
    expect(error.hint).toMatch(/postgres:\/\//);
  });

  it('accepts postgresql:// and any case of the scheme', () => {
    expect(parseDatabaseUrl('postgresql://u@h/d')).toMatchObject({ host: 'h', database: 'd' });
    expect(parseDatabaseUrl('POSTGRES://u@h/d')).toMatchObject({ host: 'h', database: 'd' });
  });

  it('takes user, database, host and port from the environment as libpq does, the URL first', () => {
    vi.stubEnv('PGUSER', 'envuser');
    vi.stubEnv('PGDATABASE', 'envdb');
    vi.stubEnv('PGHOST', 'envhost');
    vi.stubEnv('PGPORT', '6000');
    expect(parseDatabaseUrl('postgres://')).toMatchObject({
      user: 'envuser',
      database: 'envdb',
      host: 'envhost',
      port: 6000,
    });
    expect(parseDatabaseUrl('postgres://u@h:7000/d')).toMatchObject({
      user: 'u',
      database: 'd',
      host: 'h',
      port: 7000,
    });
    expect(parseDatabaseUrl('postgres://h/?user=qu&dbname=qd&port=7001')).toMatchObject({
      user: 'qu',
      database: 'qd',
      port: 7001,
    });
  });

  it('the database defaults to the user name', () => {
    vi.stubEnv('PGDATABASE', '');
    expect(parseDatabaseUrl('postgres://alice@h')).toMatchObject({ user: 'alice', database: 'alice' });
  });

  it('reads Unix-domain socket directories in both spellings, and IPv6 hosts', () => {
    expect(parseDatabaseUrl('postgres:///db?host=/var/run/postgresql')).toMatchObject({
      host: '/var/run/postgresql',
      database: 'db',
    });
    const emptyHost = parseDatabaseUrl('postgres://u@/db?host=/tmp/pg');
    expect(emptyHost).toMatchObject({ host: '/tmp/pg', user: 'u', database: 'db' });
    expect(emptyHost.displayUrl).toBe('postgres://u@/db?host=/tmp/pg');
    expect(parseDatabaseUrl('postgres://%2Fvar%2Frun%2Fpostgresql:5433/db')).toMatchObject({
      host: '/var/run/postgresql',
      port: 5433,
    });
    expect(parseDatabaseUrl('postgres://u@[::1]:5432/db')).toMatchObject({ host: '::1', port: 5432 });
  });

  it('decodes percent-encoded user, password and database names', () => {
    expect(parseDatabaseUrl('postgres://us%40er:p%2Fw@h/my%20db')).toMatchObject({
      user: 'us@er',
      database: 'my db',
    });
  });

  it.each([
    ['postgres://po%zzuser@h/db', 'the user name has a % that does not start a percent-encoded byte'],
    ['postgres://u:pa%zzword@h/db', 'the password has a % that does not start a percent-encoded byte'],
    ['postgres://u@h/te%2', 'the database name has a % that does not start a percent-encoded byte'],
    ['postgres://u@h/db?application_name=a%g', 'a query parameter has a %'],
    ['postgres://u@h/te%ff', 'the database name is not valid UTF-8 once percent-decoded'],
    ['postgres://u@h:99999/db', 'the port must be a number from 1 to 65535'],
    ['postgres://u@h:abc/db', 'the port must be a number from 1 to 65535'],
    ['postgres://u@h:0/db', 'the port must be a number from 1 to 65535'],
    ['postgres://u@h/db?port=x', 'the port must be a number from 1 to 65535'],
    [
      'postgres://u@h/db?sslmode=on',
      'sslmode=on is not one of disable, allow, prefer, require, verify-ca, verify-full',
    ],
    ['postgres://u@h1,h2/db', 'it names several hosts (h1,h2)'],
    ['postgres://u@h db/x', 'it is not a valid URL'],
  ])('%s → TENON_DB_URL_INVALID: %s', (url, why) => {
    const error = rejected(url);
    expect(error.code).toBe('TENON_DB_URL_INVALID');
    expect(error.message).toContain(why);
    expect(error.hint).toBeTruthy();
  });

  it('never quotes a password, not even a badly encoded one', () => {
    for (const url of [
      'postgres://u:se%zzcret@h/db',
      'postgres://u@h/db?password=se%zzcret',
      'postgres://u:secret@h:0/db',
    ]) {
      const error = rejected(url);
      expect(error.message).not.toMatch(/se%zzcret|secret/);
    }
  });
});

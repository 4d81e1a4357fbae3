import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from '../../../src/core/db/connect.js';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';
import { requireExtPostgres, requirePostgres, SERVER_DATABASE_URL } from '../../support/services.js';

const server = await requirePostgres();
const ext = await requireExtPostgres();

async function failure(promise: Promise<unknown>): Promise<TenonError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTenonError(error)) throw new Error(`expected a TenonError, got ${String(error)}`);
  return error;
}

/** Accepted sockets, so a test server can be closed even if a client misbehaves. */
const sockets = new Set<Socket>();

function listen(handler: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const srv = createServer((socket) => {
      sockets.add(socket);
      // Read and discard, so the socket notices when the client closes it.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
      handler(socket);
    });
    srv.listen(0, '127.0.0.1', () =>
      resolve({ server: srv, port: (srv.address() as { port: number }).port }),
    );
  });
}

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
  it('hides the password in the display URL', () => {
    const parsed = parseDatabaseUrl('postgres://me:s3cret@db.example:6543/app');
    expect(parsed).toMatchObject({
      kind: 'postgres',
      host: 'db.example',
      port: 6543,
      database: 'app',
      user: 'me',
    });
    expect(parsed.displayUrl).not.toContain('s3cret');
  });
  it('rejects other schemes with a hint and without echoing the password', () => {
    const error = (() => {
      try {
        parseDatabaseUrl('mysql://root:hunter2@localhost/db');
      } catch (e) {
        return e as TenonError;
      }
    })();
    expect(error?.code).toBe('TENON_DB_URL_INVALID');
    expect(error?.message).not.toContain('hunter2');
    expect(error?.hint).toMatch(/postgres:\/\//);
  });
});

describe('connection failures are fast and clear', () => {
  it('refused port → TENON_DB_UNREACHABLE naming host and port', async () => {
    const { server: srv, port } = await listen(() => undefined);
    await new Promise((r) => srv.close(r)); // now nothing listens on that port
    const started = Date.now();
    const error = await failure(
      connect({ databaseUrl: `postgres://u@127.0.0.1:${port}/db`, connectTimeoutMs: 2000 }),
    );
    expect(error.code).toBe('TENON_DB_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.hint).toMatch(/running/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  let silent: Server;
  let silentPort: number;
  beforeAll(async () => {
    ({ server: silent, port: silentPort } = await listen(() => undefined)); // accepts, never answers
  });
  afterAll(() => new Promise((r) => silent.close(r)));

  it('closes its socket when it gives up', async () => {
    await connect({ databaseUrl: `postgres://u@127.0.0.1:${silentPort}/db`, connectTimeoutMs: 300 }).catch(
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(sockets.size).toBe(0);
  });

  it('a server that never answers → TENON_DB_UNREACHABLE within the connect timeout', async () => {
    const started = Date.now();
    const error = await failure(
      connect({ databaseUrl: `postgres://u@127.0.0.1:${silentPort}/db`, connectTimeoutMs: 500 }),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe('TENON_DB_UNREACHABLE');
    expect(error.message).toMatch(/within 500 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a server that answers garbage → TENON_DB_UNREACHABLE, not a crash', async () => {
    const { server: srv, port } = await listen((socket) => {
      socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    });
    try {
      const error = await failure(
        connect({ databaseUrl: `postgres://u@127.0.0.1:${port}/db`, connectTimeoutMs: 2000 }),
      );
      expect(error.code).toBe('TENON_DB_UNREACHABLE');
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it.skipIf(!server.available)(
    `a database that does not exist → TENON_DB_NOT_FOUND (${server.reason})`,
    async () => {
      const url = new URL(SERVER_DATABASE_URL);
      url.pathname = '/tenon_no_such_db';
      const error = await failure(connect({ databaseUrl: url.toString() }));
      expect(error.code).toBe('TENON_DB_NOT_FOUND');
      expect(error.hint).toContain('createdb');
    },
  );

  it.skipIf(!ext.available)(`a wrong password → TENON_DB_AUTH_FAILED (${ext.reason})`, async () => {
    const url = new URL(ext.url);
    url.username = 'tenon_pw';
    url.password = 'wrong-password';
    const error = await failure(connect({ databaseUrl: url.toString() }));
    expect(error.code).toBe('TENON_DB_AUTH_FAILED');
    expect(error.message).not.toContain('wrong-password');
    url.password = 'tenon-secret';
    const db = await connect({ databaseUrl: url.toString() });
    await db.close();
  });
});

describe('PGlite directory lock', () => {
  it('refuses a second opener of the same directory and names the holder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-pglite-'));
    const first = await connect({ databaseUrl: `pglite://${dir}` });
    try {
      const error = await failure(connect({ databaseUrl: `pglite://${dir}` }));
      expect(error.code).toBe('TENON_DB_PGLITE_LOCKED');
      expect(error.hint).toMatch(/one process at a time/);
    } finally {
      await first.close();
    }
    // Released on close: it opens again, and keeps its data.
    const again = await connect({ databaseUrl: `pglite://${dir}` });
    await again.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-pglite-'));
    const db = await connect({ databaseUrl: `pglite://${dir}` });
    await db.exec('create table kept (x int); insert into kept values (42);');
    await db.close();
    // A pid far above pid_max cannot be alive.
    writeFileSync(
      join(dir, 'tenon.lock'),
      JSON.stringify({ pid: 2 ** 30, hostname: (await import('node:os')).hostname(), since: '' }),
    );
    const reopened = await connect({ databaseUrl: `pglite://${dir}` });
    try {
      const { rows } = await reopened.query<{ x: number }>('select x from kept');
      expect(rows).toEqual([{ x: 42 }]);
      expect(JSON.parse(readFileSync(join(dir, 'tenon.lock'), 'utf8')).pid).toBe(process.pid);
    } finally {
      await reopened.close();
    }
  });
});

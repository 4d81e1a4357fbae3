import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../src/core/db/connect.js';
import { isTenonError, type TenonError } from '../../../src/core/errors.js';
import { spawnTenonAndWait } from '../../support/cli.js';
import {
  requireExtPostgres,
  requireExtPostgresTls,
  requirePostgres,
  SERVER_DATABASE_URL,
} from '../../support/services.js';

const server = await requirePostgres();
const ext = await requireExtPostgres();
const tls = await requireExtPostgresTls();

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

/** The ext cluster's URL for another user, password and query. */
function extUrl(user: string, password = '', query = ''): string {
  const url = new URL(ext.url);
  url.username = user;
  url.password = password;
  url.search = query;
  return url.toString();
}

/** Runs `fn` while listening for process warnings (pg prints its sslmode warning through them). */
async function warningsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const warnings: string[] = [];
  const listen = (warning: Error) => warnings.push(warning.message);
  process.on('warning', listen);
  try {
    await fn().catch(() => undefined);
    // Warnings are emitted on the next tick.
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('warning', listen);
  }
  return warnings;
}

describe.skipIf(!ext.available)(`passwords (${ext.reason})`, () => {
  it("no password for a SCRAM role → TENON_DB_PASSWORD_MISSING, not the driver's SASL message", async () => {
    for (const url of [extUrl('tenon_pw'), extUrl('tenon_pw').replace('tenon_pw@', 'tenon_pw:@')]) {
      const error = await failure(connect({ databaseUrl: url }));
      expect(error.code).toBe('TENON_DB_PASSWORD_MISSING');
      expect(error.message).toBe('The server asks for a password for user "tenon_pw", and none was given.');
      expect(error.message).not.toMatch(/SASL|SCRAM/);
      expect(error.hint).toMatch(/PGPASSWORD/);
    }
  });

  it('PGPASSWORD gives the password the URL leaves out', async () => {
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = 'tenon-secret';
    try {
      const db = await connect({ databaseUrl: extUrl('tenon_pw') });
      await db.close();
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });
});

describe.skipIf(!tls.available)(
  `TLS: sslmode with libpq's meaning, no driver warning (${tls.reason})`,
  () => {
    const sslUsed = async (databaseUrl: string) => {
      const db = await connect({ databaseUrl });
      try {
        const { rows } = await db.query<{ ssl: boolean }>(
          'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
        );
        return rows[0]!.ssl;
      } finally {
        await db.close();
      }
    };

    it('require encrypts without checking the certificate; prefer uses TLS when offered; disable does not', async () => {
      const warnings = await warningsDuring(async () => {
        expect(await sslUsed(extUrl('postgres', '', 'sslmode=require'))).toBe(true);
        expect(await sslUsed(extUrl('postgres', '', 'sslmode=prefer'))).toBe(true);
        expect(await sslUsed(extUrl('postgres', '', 'sslmode=no-verify'))).toBe(true);
        expect(await sslUsed(extUrl('postgres', '', 'sslmode=disable'))).toBe(false);
      });
      expect(warnings).toEqual([]);
    });

    it('verify-full checks the certificate: refused when self-signed, accepted with sslrootcert', async () => {
      const error = await failure(connect({ databaseUrl: extUrl('postgres', '', 'sslmode=verify-full') }));
      expect(error.code).toBe('TENON_DB_TLS_FAILED');
      expect(error.message).toMatch(
        /certificate of 127\.0\.0\.1:\d+ was not accepted: self-signed certificate/,
      );
      expect(error.hint).toMatch(/sslrootcert/);
      const root = `sslrootcert=${encodeURIComponent(tls.certFile)}`;
      expect(await sslUsed(extUrl('postgres', '', `sslmode=verify-full&${root}`))).toBe(true);
      expect(await sslUsed(extUrl('postgres', '', `sslmode=verify-ca&${root}`))).toBe(true);
    });

    it('verify-ca without sslrootcert, or a certificate file that is not there → TENON_DB_URL_INVALID', async () => {
      const noCa = await failure(connect({ databaseUrl: extUrl('postgres', '', 'sslmode=verify-ca') }));
      expect(noCa.code).toBe('TENON_DB_URL_INVALID');
      expect(noCa.message).toMatch(/sslrootcert/);
      const missing = await failure(
        connect({
          databaseUrl: extUrl('postgres', '', 'sslmode=verify-full&sslrootcert=/nonexistent/ca.pem'),
        }),
      );
      expect(missing.code).toBe('TENON_DB_URL_INVALID');
      expect(missing.message).toMatch(/\/nonexistent\/ca\.pem cannot be read \(ENOENT\)/);
    });

    it('a role the server takes over TLS only: without sslmode → TENON_DB_TLS_FAILED; allow and prefer get there', async () => {
      const error = await failure(connect({ databaseUrl: extUrl('tenon_tls') }));
      expect(error.code).toBe('TENON_DB_TLS_FAILED');
      expect(error.message).toMatch(/accepts user "tenon_tls" only over TLS/);
      expect(error.hint).toMatch(/sslmode=require/);
      expect(await sslUsed(extUrl('tenon_tls', '', 'sslmode=allow'))).toBe(true);
      expect(await sslUsed(extUrl('tenon_tls', '', 'sslmode=prefer'))).toBe(true);
    });

    it("Unix-domain sockets, in both of libpq's spellings", async () => {
      const socket = encodeURIComponent(tls.socketDir);
      for (const url of [
        `postgres:///postgres?host=${socket}&port=${tls.port}&user=postgres`,
        `postgres://postgres@/postgres?host=${socket}&port=${tls.port}`,
        `postgres://postgres@${socket}:${tls.port}/postgres`,
      ]) {
        const db = await connect({ databaseUrl: url });
        try {
          const { rows } = await db.query<{ addr: string | null }>('select inet_client_addr() as addr');
          expect(rows, url).toEqual([{ addr: null }]); // null: not TCP
        } finally {
          await db.close();
        }
      }
      const error = await failure(
        connect({ databaseUrl: `postgres://postgres@/postgres?host=/nonexistent-dir&port=${tls.port}` }),
      );
      expect(error.code).toBe('TENON_DB_UNREACHABLE');
      expect(error.message).toContain(`the socket /nonexistent-dir/.s.PGSQL.${tls.port}`);
    });
  },
);

describe.skipIf(!server.available)(`server connection inputs a stranger might try (${server.reason})`, () => {
  const withQuery = (query: string) => {
    const url = new URL(SERVER_DATABASE_URL);
    url.search = query;
    return url.toString();
  };

  it('sslmode=require against a server without TLS → TENON_DB_TLS_FAILED; prefer and allow fall back', async () => {
    const warnings = await warningsDuring(async () => {
      const error = await failure(connect({ databaseUrl: withQuery('sslmode=require') }));
      expect(error.code).toBe('TENON_DB_TLS_FAILED');
      expect(error.message).toMatch(/does not accept TLS connections, and sslmode=require requires TLS/);
      expect(error.hint).toMatch(/sslmode=prefer/);
      for (const mode of ['prefer', 'allow']) {
        const db = await connect({ databaseUrl: withQuery(`sslmode=${mode}`) });
        await db.close();
      }
    });
    expect(warnings).toEqual([]);
  });

  it("the CLI prints tenon's error and nothing of the driver (no SECURITY WARNING)", async () => {
    const run = await spawnTenonAndWait([
      'db',
      'explain',
      'select 1',
      '--database-url',
      withQuery('sslmode=require'),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toMatch(/SECURITY WARNING|pg-connection-string|uselibpqcompat/);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error TENON_DB_TLS_FAILED: .* does not accept TLS connections/),
      expect.stringMatching(/^hint: /),
    ]);
  });

  it('postgresql:// and POSTGRES:// are the same scheme', async () => {
    for (const scheme of ['postgresql', 'POSTGRES']) {
      const db = await connect({ databaseUrl: SERVER_DATABASE_URL.replace(/^postgres(ql)?/, scheme) });
      await db.close();
    }
  });

  it('an unknown host → TENON_DB_UNREACHABLE naming it', async () => {
    const url = new URL(SERVER_DATABASE_URL);
    url.hostname = 'no-such-host.invalid';
    const error = await failure(connect({ databaseUrl: url.toString(), connectTimeoutMs: 3000 }));
    expect(error.code).toBe('TENON_DB_UNREACHABLE');
    expect(error.message).toMatch(/"no-such-host\.invalid" could not be resolved/);
  });

  it("a role that does not exist → TENON_DB_AUTH_FAILED with the server's reason", async () => {
    const url = new URL(SERVER_DATABASE_URL);
    url.username = 'tenon_no_such_role';
    const error = await failure(connect({ databaseUrl: url.toString() }));
    expect(error.code).toBe('TENON_DB_AUTH_FAILED');
    expect(error.message).toMatch(/role "tenon_no_such_role" does not exist/);
  });
});

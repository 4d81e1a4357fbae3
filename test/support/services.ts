import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { corpusDir } from './corpus-dir.js';

/** The always-running server PostgreSQL (CI and dev machines). */
export const SERVER_DATABASE_URL =
  process.env.TENON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** When set (CI does), a missing service fails the tests that need it instead of skipping them. */
export const SERVICES_REQUIRED = process.env.TENON_TEST_REQUIRE_SERVICES === '1';

/** The always-running Redis (CI and dev machines). */
export const SERVER_REDIS_URL = process.env.TENON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a service is there, and if not, why. */
export interface ServiceStatus {
  available: boolean;
  reason: string;
}

async function canConnect(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A service's status from the problem found (none: available); throws when services are required. */
export function serviceStatus(name: string, problem: string | undefined): ServiceStatus {
  if (!problem) return { available: true, reason: '' };
  const reason = `${name} is not available: ${problem}`;
  if (SERVICES_REQUIRED)
    throw new Error(`${reason} (TENON_TEST_REQUIRE_SERVICES=1, so this is a failure, not a skip)`);
  return { available: false, reason };
}

/**
 * Checks the server PostgreSQL at {@link SERVER_DATABASE_URL}. Use with
 * `describe.skipIf(!pg.available)`; throws when services are required.
 */
export async function requirePostgres(): Promise<ServiceStatus> {
  return serviceStatus(`PostgreSQL at ${SERVER_DATABASE_URL}`, await canConnect(SERVER_DATABASE_URL));
}

/** Answers undefined when a Redis at `url` replies to PING, else the problem (RESP over a plain socket). */
async function canPing(url: string): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection(Number(port || 6379), hostname);
    let reply = '';
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(3000, () => done('no answer within 3 s'));
    socket.on('error', (error) => done(error.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += String(chunk);
      if (reply.includes('\r\n'))
        done(reply.startsWith('+PONG') ? undefined : `unexpected reply ${reply.trim()}`);
    });
  });
}

/**
 * Checks the Redis at {@link SERVER_REDIS_URL}; throws when services are
 * required and it does not answer.
 */
export async function requireRedis(): Promise<ServiceStatus & { url: string }> {
  return {
    ...serviceStatus(`Redis at ${SERVER_REDIS_URL}`, await canPing(SERVER_REDIS_URL)),
    url: SERVER_REDIS_URL,
  };
}

/** Checks the throwaway cluster started by the global setup (pg_stat_statements, hypopg, tenon_pw). */
export async function requireExtPostgres(): Promise<ServiceStatus & { url: string }> {
  const url = inject('extDatabaseUrl');
  const problem = url ? await canConnect(url) : inject('extDatabaseError') || 'not started';
  return { ...serviceStatus('the throwaway PostgreSQL cluster', problem), url };
}

/** What the connection tests need to know about the throwaway cluster beyond its URL. */
export interface ExtClusterTls extends ServiceStatus {
  url: string;
  /** Its self-signed server certificate, which is also the CA to verify it with. */
  certFile: string;
  /** The directory of its Unix-domain socket. */
  socketDir: string;
  port: number;
}

/**
 * Checks that the throwaway cluster has TLS on (scripts/test-postgres.sh
 * turns it on when openssl is installed) and says where its certificate
 * and socket are.
 */
export async function requireExtPostgresTls(): Promise<ExtClusterTls> {
  const ext = await requireExtPostgres();
  const none = { certFile: '', socketDir: '', port: 0 };
  if (!ext.available) return { ...ext, ...none };
  const client = new pg.Client({ connectionString: ext.url });
  await client.connect();
  try {
    const show = async (name: string) =>
      (await client.query<Record<string, string>>(`show ${name}`)).rows[0]![name]!;
    const [ssl, certFile, socketDirs, port] = [
      await show('ssl'),
      await show('ssl_cert_file'),
      await show('unix_socket_directories'),
      await show('port'),
    ];
    const problem =
      ssl !== 'on'
        ? 'ssl is off (scripts/test-postgres.sh turns it on when openssl is installed)'
        : !existsSync(certFile)
          ? `its certificate ${certFile} is not readable here`
          : undefined;
    return {
      ...serviceStatus('TLS on the throwaway PostgreSQL cluster', problem),
      url: ext.url,
      certFile,
      socketDir: socketDirs.split(',')[0]!.trim(),
      port: Number(port),
    };
  } finally {
    await client.end();
  }
}

/** A database created for one test file, dropped by `drop()`. */
export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty database on the server of `baseUrl` with a unique name,
 * so test files running in parallel never share state.
 */
export async function createTempDatabase(
  baseUrl: string = SERVER_DATABASE_URL,
  prefix = 'tenon_t',
): Promise<TempDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Debian's Chromium, which the browser tests of the HTML reports drive (installed by .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Checks that Chromium is installed; throws when services are required and it is not. */
export function requireChromium(): ServiceStatus {
  return serviceStatus(
    `Chromium at ${CHROMIUM_PATH}`,
    existsSync(CHROMIUM_PATH) ? undefined : 'not installed',
  );
}

export { corpusDir } from './corpus-dir.js';

/** The real-world corpus this run reads ({@link corpusDir}). */
export const CORPUS_DIR = corpusDir();

/**
 * Checks that a folder of the corpus is there (`migrations/supabase-auth`);
 * throws when services are required and it is not.
 */
export function requireCorpus(path: string): ServiceStatus & { dir: string } {
  const dir = join(CORPUS_DIR, path);
  const problem = existsSync(dir)
    ? undefined
    : 'not found (TENON_CORPUS_DIR names the corpus when it is elsewhere)';
  return { ...serviceStatus(`the corpus folder ${dir}`, problem), dir };
}

/** Checks that a program (pgbench, psql) is on the PATH; throws when services are required and it is not. */
export function requireCommand(name: string): ServiceStatus & { path: string } {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((candidate) => existsSync(candidate));
  return {
    ...serviceStatus(`the program ${name}`, path ? undefined : 'not on the PATH'),
    path: path ?? name,
  };
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';

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

function status(name: string, problem: string | undefined): ServiceStatus {
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
  return status(`PostgreSQL at ${SERVER_DATABASE_URL}`, await canConnect(SERVER_DATABASE_URL));
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
    ...status(`Redis at ${SERVER_REDIS_URL}`, await canPing(SERVER_REDIS_URL)),
    url: SERVER_REDIS_URL,
  };
}

/** Checks the throwaway cluster started by the global setup (pg_stat_statements, hypopg, tenon_pw). */
export async function requireExtPostgres(): Promise<ServiceStatus & { url: string }> {
  const url = inject('extDatabaseUrl');
  const problem = url ? await canConnect(url) : inject('extDatabaseError') || 'not started';
  return { ...status('the throwaway PostgreSQL cluster', problem), url };
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

/** The real-world corpus (`../shared/corpus` from the project root; its README says where each input comes from). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/**
 * Checks that the corpus folder `sub` (e.g. `openapi`) is there. Use with
 * `describe.skipIf(!corpus.available)`; throws when services are required.
 */
export function requireCorpus(sub = ''): ServiceStatus & { dir: string } {
  const dir = join(CORPUS_DIR, sub);
  return { ...status(`the corpus at ${dir}`, existsSync(dir) ? undefined : 'the folder is missing'), dir };
}

/** Debian's Chromium, which the browser tests of the HTML reports drive (installed by .ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Checks that Chromium is installed; throws when services are required and it is not. */
export function requireChromium(): ServiceStatus {
  return status(`Chromium at ${CHROMIUM_PATH}`, existsSync(CHROMIUM_PATH) ? undefined : 'not installed');
}

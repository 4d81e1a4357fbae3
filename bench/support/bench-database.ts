import pg from 'pg';

/** The server the migrate benches create their databases on (`TENON_BENCH_DATABASE_URL`). */
export const BENCH_DATABASE_URL =
  process.env.TENON_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL of database `name` on the bench server. */
export function benchDatabaseUrl(name: string): string {
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` with a client of `url` (the bench server by default), closed after. */
export async function withClient<T>(fn: (c: pg.Client) => Promise<T>, url = BENCH_DATABASE_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` afresh and returns its URL. Every run starts from
 * the same state: the previous run's WAL flushed, no checkpoint pending
 * (dropping a database with 1,000 tables forces one, and it would land on
 * the next tool's run).
 */
export async function freshBenchDatabase(name: string): Promise<string> {
  await withClient(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
    await c.query('checkpoint');
  });
  return benchDatabaseUrl(name);
}

/** Drops database `name` of the bench server. */
export async function dropBenchDatabase(name: string): Promise<void> {
  await withClient((c) => c.query(`drop database if exists ${name} with (force)`));
}

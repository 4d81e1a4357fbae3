import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates a database of a unique name on the server of `baseUrl`; `drop()` removes it. */
export async function tempDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tenon_oracle_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`).finally(() => client.end());
    },
  };
}

import { execFile } from 'node:child_process';

/** The live schema as SQL, or why it could not be read. */
export type LiveSchema = { sql: string } | { unavailable: string };

/**
 * The pg_dump tenon runs: the configured one (`migrate.pgDump`, `TENON_MIGRATE_PG_DUMP`), else
 * `TENON_PG_DUMP` (its earlier name, still read), else `pg_dump` on the PATH.
 */
export function pgDumpCommand(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return configured || env.TENON_PG_DUMP || 'pg_dump';
}

/**
 * Reads the live server's schema with `pg_dump --schema-only`: every
 * schema, extension, type, table, index, constraint, function, trigger,
 * view and policy, whether a migration made it or not — so a shadow built
 * from it starts where the real run starts. The password goes in
 * `PGPASSWORD`, not on the command line (where `ps` shows it). Never
 * throws: a missing pg_dump, or one older than the server (pg_dump
 * refuses those), is reported so the caller can fall back to replaying.
 * `privileges: false` leaves out GRANTs (for a shadow without the roles).
 */
export async function dumpLiveSchema(
  databaseUrl: string,
  options: { privileges: boolean; pgDump?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<LiveSchema> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const command = pgDumpCommand(options.pgDump, env);
  const args = [
    '--schema-only',
    '--no-owner',
    // Subscriptions would connect to their publisher; tablespaces need not exist where the shadow lives.
    '--no-subscriptions',
    '--no-publications',
    '--no-tablespaces',
    '--no-security-labels',
    // GRANTs name roles, which a server shadow shares with the live database and a PGlite lacks.
    ...(options.privileges ? [] : ['--no-privileges']),
    // Waits no longer than this for a table's ACCESS SHARE lock (the dump takes one on every table).
    '--lock-wait-timeout=10000',
    `--dbname=${url.toString()}`,
  ];
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        env: { ...env, ...(password ? { PGPASSWORD: password } : {}), PGAPPNAME: 'tenon migrate shadow' },
        maxBuffer: 512 * 1024 * 1024,
        timeout: 300_000,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const why =
            code === 'ENOENT'
              ? `${command} was not found (install the PostgreSQL client, or set migrate.pgDump / TENON_MIGRATE_PG_DUMP)`
              : `${command} failed: ${String(stderr).trim().split('\n')[0] || error.message}`;
          resolve({ unavailable: why });
          return;
        }
        resolve({ sql: restorableSql(String(stdout)) });
      },
    );
  });
}

/**
 * The dump as a script the simple query protocol runs: pg_dump 15.14+ (and
 * the other branches' August 2025 releases) wraps it in psql-only
 * `\restrict KEY` / `\unrestrict KEY` lines, which a server rejects.
 */
export function restorableSql(dump: string): string {
  return dump
    .split('\n')
    .filter((line) => !/^\\(un)?restrict\s/.test(line))
    .join('\n');
}

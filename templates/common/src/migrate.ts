import { ConfigError, loadConfig } from './config.js';
import { grantAppRole } from './db/app-role.js';
import { createDb } from './db/database.js';
import { migrationConfig } from './db/migration-config.js';
import { migrateDown, migrateUp, migrationStatus } from './db/migrator.js';

/**
 * `npm run migrate [up|down|status]`: the project's own migration runner.
 * It shares the history table, checksums and lock with `tenon migrate`, so
 * either can be used on the same database. Run it as the owner of the
 * schema; with DB_APP_ROLE set, `up` then grants the service's own role the
 * data rights and nothing more (src/db/app-role.ts).
 */
async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'up';
  // The migration step signs no tokens: it needs the owner's DATABASE_URL, not JWT_SECRET.
  const config = loadConfig(undefined, { signsTokens: false });
  // A migration may run longer than a request may (an index build, a backfill): no statement timeout.
  const db = await createDb(migrationConfig(config));
  const options = { dir: config.MIGRATIONS_DIR, log: (m: string) => process.stdout.write(`${m}\n`) };
  try {
    if (command === 'up') {
      const applied = await migrateUp(db, options);
      process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : 'database is up to date\n');
      if (config.DB_APP_ROLE) {
        const { created } = await grantAppRole(db, { role: config.DB_APP_ROLE, password: config.DB_APP_PASSWORD });
        process.stdout.write(`${created ? 'created role' : 'role'} ${config.DB_APP_ROLE}: select, insert, update, delete on the tables (no DDL)\n`);
      }
    } else if (command === 'down') {
      await migrateDown(db, options, Number(argv[1] ?? 1));
    } else if (command === 'status') {
      for (const s of await migrationStatus(db, options)) process.stdout.write(`${s.state.padEnd(8)} ${s.version}_${s.name}\n`);
    } else {
      process.stderr.write(`unknown command "${command}"; use up, down [n] or status\n`);
      return 2;
    }
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`}\n`);
    process.exit(1);
  },
);

import { parseArgs } from 'node:util';
import { checkNewPassword } from './auth/passwords.js';
import { createUser } from './auth/users.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/database.js';
import { AppError } from './http/errors.js';

/**
 * `npm run create-admin -- --email EMAIL --password PASSWORD`: the only way
 * to make an admin (registering through the API always makes a `user`, and
 * there is no default password). The password rules are the API's.
 * In a built image: `node dist/create-admin.js --email … --password …`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.password) {
    process.stderr.write('usage: npm run create-admin -- --email EMAIL --password PASSWORD\n');
    process.exit(2);
  }
  // The password rules first: a refused password never needs the database.
  checkNewPassword(values.password);
  const config = loadConfig();
  const db = await createDb(config);
  try {
    const user = await createUser(db, config, { email: values.email, password: values.password, role: 'admin' });
    process.stdout.write(`created admin ${user.email} (id ${user.id})\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof AppError) {
    const details = (error.details ?? []).map((d) => `  ${d.field}: ${d.message}`).join('\n');
    process.stderr.write(`${error.message}${details ? `\n${details}` : ''}\n`);
  } else if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`create-admin failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { grantAccess } from './auth/grants.js';
import { securityLog } from './auth/security-events.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/database.js';
import { AppError } from './http/errors.js';
import { loggerOptions } from './logger.js';

const USAGE = 'usage: npm run grant -- <email> <role|scope> [--revoke]\n';

/**
 * `npm run grant -- <email> <role|scope> [--revoke]`: gives a user a role
 * (replacing theirs) or a scope of the spec's security requirements (added
 * to theirs), or takes a scope back. A running service sees it within
 * AUTH_ACCOUNT_CACHE_MS (5 s by default), on tokens already issued too.
 * The `auth.role_changed` event goes to stderr as a JSON line (stdout keeps
 * the result). In a built image: `node dist/grant.js …`.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { revoke: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  const [email, grant] = positionals;
  if (!email || !grant || positionals.length !== 2) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const db = await createDb(config);
  try {
    const log = securityLog(pino(loggerOptions(config), pino.destination({ fd: 2, sync: true })));
    const result = await grantAccess(db, email, grant, { revoke: values.revoke, log });
    process.stdout.write(`${result.email}: role ${result.role}; scopes ${result.scopes.join(' ') || '(none)'}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof AppError || error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`grant failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

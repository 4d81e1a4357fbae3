import { parseArgs } from 'node:util';
import { checkNewPassword } from './auth/passwords.js';
import { createUser } from './auth/users.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/database.js';
import { AppError } from './http/errors.js';

const USAGE = `usage: npm run create-admin -- --email EMAIL
  The password is read from ADMIN_PASSWORD, or else from stdin:
    npm run create-admin -- --email you@example.com            (asks for it on a terminal)
    printf '%s\\n' "$PASSWORD" | npm run create-admin -- --email you@example.com
`;

/**
 * `npm run create-admin -- --email EMAIL`: the only way to make an admin
 * (registering through the API always makes a `user`, and there is no
 * default password). The password rules are the API's. The password comes
 * from ADMIN_PASSWORD or stdin, never from the command line, where other
 * users of the machine see it (`ps`, /proc) and the shell history keeps it.
 * In a built image: `ADMIN_PASSWORD=… node dist/create-admin.js --email …`.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (values.password !== undefined) {
    process.stderr.write(
      '--password is refused: a password on the command line is visible to every user of the machine (ps, /proc) and stays in the shell history.\n' +
        'Set ADMIN_PASSWORD, or pipe it on stdin.\n' +
        USAGE,
    );
    process.exit(2);
  }
  if (!values.email) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const password = process.env.ADMIN_PASSWORD || (await readPassword());
  if (!password) {
    process.stderr.write(`no password: ADMIN_PASSWORD is unset and stdin gave none\n${USAGE}`);
    process.exit(2);
  }
  // The password rules first: a refused password never needs the database.
  checkNewPassword(password);
  const config = loadConfig();
  const db = await createDb(config);
  try {
    const user = await createUser(db, config, { email: values.email, password, role: 'admin' });
    process.stdout.write(`created admin ${user.email} (id ${user.id})\n`);
  } finally {
    await db.close();
  }
}

/** The first line of stdin; on a terminal, asked for without echoing what is typed. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  let typed = '';
  try {
    for await (const chunk of stdin) {
      for (const char of chunk as string) {
        if (char === '\r' || char === '\n') return typed;
        if (char === '\u0003') process.exit(130); // Ctrl-C
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    }
    return typed;
  } finally {
    // Leaving the loop early destroys the stream; the terminal's mode is restored with it.
    if (!stdin.destroyed) stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
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

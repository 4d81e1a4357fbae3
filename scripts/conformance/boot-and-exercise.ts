import { exerciseApp, type OracleReport, roleAccountEmail, rolesToGrant } from './exercise.js';
import { bootServer, runCommand, tail } from './processes.js';
import { SIGN_IN_SCRIPT, specTakesLogin, tokenOf } from './sign-in.js';
import type { Spec } from './spec-reader.js';

/** The account the oracle calls the app as: created by the project's create-admin before the server starts. */
const ADMIN = { email: 'oracle-admin@example.test', password: 'Oracle-Admin-Passw0rd-9' };

/** Migrates, creates the admin, boots the built server on `env`'s database and runs the oracle against it. */
export async function bootAndExercise(
  dir: string,
  env: Record<string, string>,
  spec: Spec,
  specFile: string,
  prismBin: string,
): Promise<OracleReport> {
  // The project's own scripts, one after another; create-admin reads the password from
  // ADMIN_PASSWORD (never from argv).
  const runScripts = async (commands: string[][], extra: Record<string, string> = {}) => {
    let output = '';
    for (const args of commands) {
      const result = await runCommand(
        dir,
        process.execPath,
        args,
        { ...env, ADMIN_PASSWORD: ADMIN.password, ...extra },
        120_000,
      );
      if (!result.ok) throw new Error(`node ${args.join(' ')} failed:\n${tail(result.output)}`);
      output += result.output;
    }
    return output;
  };
  await runScripts([['dist/migrate.js'], ['dist/create-admin.js', '--email', ADMIN.email]]);
  // Operations the spec gives to roles of its own are called by an account holding one: made now,
  // while no server owns the embedded database (create-admin, then grant replaces the role).
  const accounts: Record<string, { email: string; password: string }> = {};
  for (const role of rolesToGrant(spec)) {
    const account = { email: roleAccountEmail(role), password: ADMIN.password };
    await runScripts([
      ['dist/create-admin.js', '--email', account.email],
      ['dist/grant.js', account.email, role],
    ]);
    accounts[role] = account;
  }
  // A spec that declares POST /api/v1/auth/login itself leaves tenon's sign-in unserved: the accounts
  // (a plain user's too, made here as no register-then-login can follow) sign in through the
  // project's auth service now, for an hour (the longest access token the project allows).
  let tokens: Record<string, string> | undefined;
  if (specTakesLogin(spec)) {
    const user = { email: roleAccountEmail('user'), password: ADMIN.password };
    await runScripts([
      ['dist/create-admin.js', '--email', user.email],
      ['dist/grant.js', user.email, 'user'],
    ]);
    tokens = {};
    const signIn = { admin: ADMIN, user, ...accounts };
    for (const [role, account] of Object.entries(signIn)) {
      const output = await runScripts([['--input-type=module', '-e', SIGN_IN_SCRIPT]], {
        ORACLE_EMAIL: account.email,
        AUTH_ACCESS_TOKEN_TTL_SECONDS: '3600',
      });
      tokens[role] = tokenOf(output);
    }
  }
  const server = await bootServer(dir, env);
  let report: OracleReport;
  try {
    report = await exerciseApp({
      spec,
      specFile,
      app: server.base,
      prismBin,
      admin: ADMIN,
      accounts,
      ...(tokens ? { tokens } : {}),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const code = await server.stop();
  if (code !== 0)
    throw new Error(`the server did not shut down cleanly (exit ${code}):\n${tail(server.log())}`);
  return report;
}

import { exerciseApp, type OracleReport, roleAccountEmail, rolesToGrant } from './exercise.js';
import { bootServer, runCommand, tail } from './processes.js';
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
  const runScripts = async (commands: string[][]) => {
    for (const args of commands) {
      const result = await runCommand(
        dir,
        process.execPath,
        args,
        { ...env, ADMIN_PASSWORD: ADMIN.password },
        120_000,
      );
      if (!result.ok) throw new Error(`node ${args.join(' ')} failed:\n${tail(result.output)}`);
    }
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
  const server = await bootServer(dir, env);
  let report: OracleReport;
  try {
    report = await exerciseApp({ spec, specFile, app: server.base, prismBin, admin: ADMIN, accounts });
  } catch (error) {
    await server.stop();
    throw error;
  }
  const code = await server.stop();
  if (code !== 0)
    throw new Error(`the server did not shut down cleanly (exit ${code}):\n${tail(server.log())}`);
  return report;
}

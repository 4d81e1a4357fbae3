import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/** The role the service connects as, and (optionally) the password to create it with. */
export interface AppRoleOptions {
  role: string;
  /** Creates the role (LOGIN, this password) when it does not exist; needs CREATEROLE. */
  password?: string;
  /** The history table of the migrations, which the service never touches. */
  historyTable?: string;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * The SCRAM-SHA-256 verifier of a password in the form PostgreSQL stores
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802 and
 * 7677). `create role … password` is sent this instead of the password, as
 * psql's `\password` does: a statement's text reaches the server log
 * (`log_statement = ddl`) and `pg_stat_statements`, and the password must not.
 * Characters outside ASCII are normalised to NFKC, as SASLprep does.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Least privilege: run by the migration step as the schema's owner, gives
 * the service's role the data rights (select, insert, update, delete) on
 * every table and sequence of the current schema (update on a sequence:
 * `setval`, which moves an identity past a key a client chose) and nothing else — no
 * DDL, no TRUNCATE, no access to the migration history. Default privileges
 * extend the same rights to the tables later migrations create (as this
 * owner). Idempotent: every `npm run migrate` runs it again.
 */
export async function grantAppRole(db: Db, options: AppRoleOptions): Promise<{ created: boolean }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ schema: string; owner: string }>('select current_schema() as schema, current_user as owner');
    const { schema, owner } = rows[0]!;
    if (options.role === owner) throw new Error(`DB_APP_ROLE is ${owner}, the role running the migrations: the service needs a role of its own`);
    const role = ident(options.role);
    const exists = (await tx.query('select 1 from pg_roles where rolname = $1', [options.role])).rowCount > 0;
    if (!exists && !options.password) {
      throw new Error(
        `role ${options.role} does not exist: create it (create role ${role} login password '…'), or set DB_APP_PASSWORD so the migration step creates it`,
      );
    }
    if (!exists) await tx.exec(`create role ${role} login password ${literal(scramVerifier(options.password!))}`);
    const s = ident(schema);
    await tx.exec(`grant usage on schema ${s} to ${role};
grant select, insert, update, delete on all tables in schema ${s} to ${role};
grant usage, select, update on all sequences in schema ${s} to ${role};
alter default privileges in schema ${s} grant select, insert, update, delete on tables to ${role};
alter default privileges in schema ${s} grant usage, select, update on sequences to ${role}`);
    // PostgreSQL 14 and older let every role create tables in `public`; take that back where this owner may.
    if ((await tx.query(`select has_schema_privilege('public', $1, 'CREATE') as open`, [schema])).rows[0]?.open) {
      await tx.exec('savepoint open_schema');
      await tx.exec(`revoke create on schema ${s} from public`).then(
        () => tx.exec('release savepoint open_schema'),
        () => tx.exec('rollback to savepoint open_schema'),
      );
    }
    const history = options.historyTable ?? 'public.tenon_migrations';
    if ((await tx.query('select to_regclass($1) is not null as found', [history])).rows[0]?.found) {
      await tx.exec(`revoke all on table ${history.split('.').map(ident).join('.')} from ${role}`);
    }
    return { created: !exists };
  });
}
